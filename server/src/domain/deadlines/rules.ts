// The deadline rules, written once: when an action item, a letter of concern's compliance period or a
// restriction's review date has passed, and the words that say so. Pure functions of a record's row
// and today's date; the check, the overdue list and the job all read them.
//   - an action item (Medway figure 8 timescales) is overdue once its due date has passed and it is
//     not met (open or extended);
//   - a letter of concern (Knowsley: 15 working days) is overdue once its compliance date has passed
//     with no compliance recorded; non-compliance recorded stays a reason ("did not comply by …");
//   - a restriction's review (Medway: regulator restrictions run 12 weeks) is overdue once its review
//     date has passed with no review recorded (a recorded review sets the next date).
// "Passed" means the day after the date: on the date itself it is still due.
import type { ActionItem, CheckReasonCode, DeadlineKind } from '@ccx/schema';
import type { restrictions } from '../../db/schema/index.js';
import { dateInWords } from '../../shared/dates.js';

type RestrictionRow = typeof restrictions.$inferSelect;

export type DeadlineFinding = {
  kind: DeadlineKind;
  code: CheckReasonCode;
  dueOn: string;
  /** overdue: passed with nothing recorded; not-met: non-compliance recorded; due: not yet passed. */
  state: 'overdue' | 'not-met' | 'due';
  message: string;
  itemId: string | null;
  what: string;
};

/** An action item's deadline: overdue once its due date has passed while it is not met. */
export const actionItemDeadline = (item: ActionItem, today: string): DeadlineFinding | null => {
  if (item.status === 'met') return null;
  return {
    kind: 'action-item',
    code: 'action-overdue',
    dueOn: item.dueOn,
    state: item.dueOn < today ? 'overdue' : 'due',
    message:
      item.dueOn < today
        ? `action due on ${dateInWords(item.dueOn)} is overdue: ${item.description}`
        : `action due on ${dateInWords(item.dueOn)}: ${item.description}`,
    itemId: item.id,
    what: item.description,
  };
};

type RestrictionFacts = Pick<
  RestrictionRow,
  'kind' | 'complianceDueOn' | 'complianceRecordedOn' | 'complied' | 'reviewOn'
>;

/** A restriction's compliance deadline (letters of concern carry one), or null when it has none or was met. */
export const complianceDeadline = (r: RestrictionFacts, today: string): DeadlineFinding | null => {
  if (!r.complianceDueOn) return null;
  const what = r.kind.replace(/-/g, ' ');
  const due = dateInWords(r.complianceDueOn);
  if (r.complianceRecordedOn !== null) {
    if (r.complied !== false) return null;
    return {
      kind: 'compliance',
      code: 'compliance-not-met',
      dueOn: r.complianceDueOn,
      state: 'not-met',
      message: `did not comply by ${due} (non-compliance recorded on ${dateInWords(r.complianceRecordedOn)})`,
      itemId: null,
      what,
    };
  }
  const passed = r.complianceDueOn < today;
  return {
    kind: 'compliance',
    code: 'compliance-overdue',
    dueOn: r.complianceDueOn,
    state: passed ? 'overdue' : 'due',
    message: passed
      ? `compliance period ended on ${due} without compliance recorded`
      : `compliance period ends on ${due}`,
    itemId: null,
    what,
  };
};

/** A restriction's review deadline, or null when it has no review date. */
export const reviewDeadline = (r: RestrictionFacts, today: string): DeadlineFinding | null => {
  if (!r.reviewOn) return null;
  const passed = r.reviewOn < today;
  return {
    kind: 'review',
    code: 'review-overdue',
    dueOn: r.reviewOn,
    state: passed ? 'overdue' : 'due',
    message: passed
      ? `review due on ${dateInWords(r.reviewOn)} has passed`
      : `review due on ${dateInWords(r.reviewOn)}`,
    itemId: null,
    what: r.kind.replace(/-/g, ' '),
  };
};

/**
 * The reasons an active restriction's deadlines give in a placement check, at the caller's layer: the
 * compliance date is detail (so only a caller reading detail is told of it); the review date is in the
 * summary too. A signal-layer caller gets none: the restricted-information signal says all it may know.
 */
export const restrictionDeadlineReasons = (
  r: RestrictionFacts,
  layer: 'detail' | 'summary' | 'signal' | 'none',
  today: string,
): DeadlineFinding[] => {
  if (layer !== 'detail' && layer !== 'summary') return [];
  const found = [layer === 'detail' ? complianceDeadline(r, today) : null, reviewDeadline(r, today)];
  return found.filter((d): d is DeadlineFinding => d !== null && d.state !== 'due');
};

/** The reasons a published outcome's action items give, for a caller reading it in detail. */
export const actionItemReasons = (items: ActionItem[], today: string): DeadlineFinding[] =>
  items
    .map((i) => actionItemDeadline(i, today))
    .filter((d): d is DeadlineFinding => d !== null && d.state === 'overdue');
