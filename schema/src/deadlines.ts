// Deadlines that act when they pass: an action item's due date, a letter of concern's compliance
// period, a restriction's review date. Each, once passed, is an event to the record's publisher and the
// setting's lead, a line in the overdue list and a reason in the placement check.
import { z } from 'zod';
import { zAuthorityRef, zProviderRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { zDate, zId, zInput } from './common.js';

export const DEADLINE_KINDS = ['action-item', 'compliance', 'review'] as const;
export const zDeadlineKind = z.enum(DEADLINE_KINDS);
export type DeadlineKind = z.infer<typeof zDeadlineKind>;

/** How far ahead the list shows deadlines not yet passed ("due soon"), at most. */
export const DEADLINES_AHEAD_MAX_DAYS = 90;

export const zDeadlinesList = zInput({
  dueWithinDays: z
    .number()
    .int()
    .min(0)
    .max(DEADLINES_AHEAD_MAX_DAYS)
    .default(0)
    .describe('also the deadlines falling due within this many days (0: only those already passed)'),
  authorityId: zAuthorityId
    .optional()
    .describe('hub-admin only: the deadlines of this authority (its records, and the settings it leads)'),
}).default({ dueWithinDays: 0 });

export const zDeadline = z.object({
  kind: zDeadlineKind,
  /** overdue: the date has passed with nothing recorded; due-soon: it falls within the days asked. */
  state: z.enum(['overdue', 'due-soon']),
  dueOn: zDate,
  daysOverdue: z.number().int().describe('negative: days until it is due'),
  recordType: z.enum(['outcome', 'restriction']),
  recordId: zId,
  /** The action item, for kind action-item. */
  itemId: z.string().nullable(),
  /** In words: "compliance period ended on 13 January 2027 without compliance recorded". */
  message: z.string(),
  what: z.string().describe('the action item, or the kind of restriction'),
  provisionId: zId.nullable(),
  provision: zProvisionRef.nullable().optional(),
  providerId: zId.nullable(),
  provider: zProviderRef.nullable().optional(),
  publisherAuthorityId: zAuthorityId,
  publisherAuthority: zAuthorityRef.optional(),
  /** Why the caller sees it: it published the record, or leads the setting. */
  as: z.enum(['publisher', 'lead', 'hub-admin']),
});
export type Deadline = z.infer<typeof zDeadline>;
export const zDeadlineList = z.object({ items: z.array(zDeadline) });
