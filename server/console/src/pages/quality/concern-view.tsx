// One concern: its level, category and status, whether it counts and whether it is significant, and
// every version. Officers of the authority that logged it correct it, mark it substantiated or
// unsubstantiated, or close it, each on a page of its own (`?action=…`) that sends the version it read.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  ButtonLink,
  DateInput,
  InsetText,
  Loading,
  PageHeading,
  PageLoadFailed,
  Radios,
  SummaryList,
  Table,
  Tag,
  Textarea,
  WarningText,
  type TagColour,
} from '../../components/govuk.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import {
  CONCERN_CATEGORIES,
  LOGGED_CONCERN_LEVELS,
  optionsOf,
  yesNo,
  type ConcernCategory,
  type LoggedConcernLevel,
} from './labels.js';
import { DoneBanner, SettingLink, WhyCanISee, dateProblem, todayInLondon } from './parts.js';

type ConcernView = Outputs['concerns']['get'];
type ConcernDetail = Extract<ConcernView, { layer: 'detail' }>;
type ConcernStatus = ConcernDetail['status'];

const STATUSES: Record<ConcernStatus, { text: string; colour: TagColour }> = {
  open: { text: 'Open', colour: 'yellow' },
  substantiated: { text: 'Substantiated', colour: 'red' },
  unsubstantiated: { text: 'Unsubstantiated', colour: 'green' },
  closed: { text: 'Closed', colour: 'grey' },
};

const CHANGES: Record<string, string> = {
  logged: 'Logged',
  corrected: 'Corrected',
  substantiated: 'Marked substantiated',
  unsubstantiated: 'Marked unsubstantiated',
  closed: 'Closed',
};

const DONE = {
  corrected: 'Concern corrected. The version before is kept in its history.',
  substantiated: 'Concern marked substantiated: it keeps counting towards the risk rating.',
  unsubstantiated: 'Concern marked unsubstantiated: it no longer counts towards the risk rating.',
  closed: 'Concern closed: it no longer counts, and no longer changes.',
};
type Done = keyof typeof DONE;

const ACTIONS = {
  correct: { link: 'Correct it', heading: 'Correct this concern' },
  substantiate: { link: 'Mark substantiated', heading: 'Mark this concern substantiated' },
  unsubstantiate: { link: 'Mark unsubstantiated', heading: 'Mark this concern unsubstantiated' },
  close: { link: 'Close it', heading: 'Close this concern' },
};
type Action = keyof typeof ACTIONS;

/** What may be done to a concern as it stands: nothing once closed, and no mark it already has. */
const actionsFor = (c: ConcernDetail): Action[] =>
  c.status === 'closed'
    ? []
    : [
        'correct',
        ...(c.status === 'substantiated' ? [] : (['substantiate'] as const)),
        ...(c.status === 'unsubstantiated' ? [] : (['unsubstantiate'] as const)),
        'close',
      ];

const titleOf = (c: ConcernDetail) =>
  `${CONCERN_CATEGORIES[c.category]} concern on ${formatDate(c.occurredOn)}`;

const StatusTag = ({ status }: { status: ConcernStatus }) => (
  <Tag colour={STATUSES[status].colour}>{STATUSES[status].text}</Tag>
);

const countsInWords = (c: ConcernDetail) =>
  c.counts
    ? 'Yes: it counts towards the setting’s and its provider’s risk ratings for 12 months from when it happened'
    : 'No: an unsubstantiated or closed concern does not count';

const significantInWords = (c: ConcernDetail) =>
  !c.significant
    ? 'No'
    : c.counts
      ? 'Yes: a reason in every placement check of this setting'
      : 'Yes, but it no longer counts, so it is no longer a reason in placement checks';

// --- after the hub answers ------------------------------------------------------------------------

/** The hub accepted a change: show the concern as it now stands, with the banner, and read again what it changes. */
const useAccepted = (id: string) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (c: ConcernView, done: Done) => {
    queryClient.setQueryData(trpc.concerns.get.queryKey({ id }), c);
    await Promise.all([
      queryClient.invalidateQueries(trpc.concerns.list.pathFilter()),
      queryClient.invalidateQueries(trpc.checks.pathFilter()),
    ]);
    navigate(`/concerns/${id}?done=${done}`);
  };
};

/**
 * The hub refused a change: its problem on the form. On a version conflict the concern is read again,
 * so the page shows it as it now stands and the next attempt names the version read.
 */
const useRefused = (id: string, fail: (error: unknown) => void, onFresh: (c: ConcernDetail) => void) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (error: unknown) => {
    fail(error);
    if (hubErrorOf(error).code !== 'CONFLICT') return;
    void queryClient
      .fetchQuery({ ...trpc.concerns.get.queryOptions({ id }), staleTime: 0 })
      .then((fresh) => (fresh.layer === 'detail' ? onFresh(fresh) : undefined));
  };
};

const ConflictNote = ({ code }: { code: string | undefined }) =>
  code === 'CONFLICT' ? (
    <InsetText>The concern above now shows it as it stands: check it, then try again.</InsetText>
  ) : null;

// --- the actions ----------------------------------------------------------------------------------

const CORRECTABLE = ['level', 'category', 'occurredOn', 'summary'] as const;
type Correctable = Record<(typeof CORRECTABLE)[number], string>;
const correctableOf = (c: ConcernDetail): Correctable => ({
  level: c.level,
  category: c.category,
  occurredOn: c.occurredOn,
  summary: c.summary,
});

const CorrectForm = ({ c }: { c: ConcernDetail }) => {
  const trpc = useTRPC();
  const accepted = useAccepted(c.id);
  // What the person read when the form opened: its version is sent, and only the fields changed from it.
  const [read, setRead] = useState(() => ({ version: c.version, ...correctableOf(c) }));
  const form = useHubForm(`concern-correct:${c.id}`, { ...correctableOf(c), note: '' });
  const v = form.values;
  const refused = useRefused(c.id, form.fail, (fresh) => {
    // Changed meanwhile: what this person left alone takes the new values; what they changed stays theirs.
    const now = correctableOf(fresh);
    const kept = CORRECTABLE.filter((f) => v[f] !== read[f]);
    form.replace({ ...v, ...now, ...Object.fromEntries(kept.map((f) => [f, v[f]])) });
    setRead({ version: fresh.version, ...now });
  });
  const correct = useMutation(
    trpc.concerns.correct.mutationOptions({
      onSuccess: (res) => {
        form.reset({ ...(res.layer === 'detail' ? correctableOf(res) : read), note: '' });
        return accepted(res, 'corrected');
      },
      onError: refused,
    }),
  );
  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    if (!v.level) issues.push({ path: 'level', message: 'Select the level of concern' });
    if (!v.category) issues.push({ path: 'category', message: 'Select what the concern is about' });
    const d = dateProblem(v.occurredOn, 'the date it happened', true);
    if (d) issues.push({ path: 'occurredOn', message: d });
    else if (v.occurredOn > todayInLondon())
      issues.push({ path: 'occurredOn', message: 'The date it happened must be today or in the past' });
    if (!v.summary.trim()) issues.push({ path: 'summary', message: 'Enter what happened' });
    if (v.note.trim().length < 3) issues.push({ path: 'note', message: 'Say why you are correcting it' });
    const changed = new Set(
      CORRECTABLE.filter((f) => (f === 'summary' ? v.summary.trim() : v[f]) !== read[f]),
    );
    if (issues.length === 0 && changed.size === 0)
      issues.push({
        path: '(input)',
        message: 'Change at least one thing: the level, what it is about, when it happened or what happened',
      });
    if (issues.length > 0) return form.failWith(issues);
    correct.mutate({
      id: c.id,
      version: read.version,
      note: v.note.trim(),
      ...(changed.has('level') ? { level: v.level as LoggedConcernLevel } : {}),
      ...(changed.has('category') ? { category: v.category as ConcernCategory } : {}),
      ...(changed.has('occurredOn') ? { occurredOn: v.occurredOn } : {}),
      ...(changed.has('summary') ? { summary: v.summary.trim() } : {}),
    });
  };
  return (
    <>
      <ConflictNote code={form.problem?.code} />
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['level', 'category', 'occurredOn', 'summary', 'note']}
        label={ACTIONS.correct.heading}
      >
        <Radios
          id="level"
          legend="How serious is it?"
          hint="Level 2, or a safeguarding concern, is significant: while it counts it is a reason in every placement check of the setting"
          error={form.errorFor('level')}
          options={optionsOf(LOGGED_CONCERN_LEVELS)}
          value={v.level}
          onChange={(x) => form.set('level', x)}
        />
        <Radios
          id="category"
          legend="What is the concern about?"
          error={form.errorFor('category')}
          options={optionsOf(CONCERN_CATEGORIES)}
          value={v.category}
          onChange={(x) => form.set('category', x)}
        />
        <DateInput
          id="occurredOn"
          legend="When did it happen?"
          error={form.errorFor('occurredOn')}
          value={v.occurredOn}
          onChange={(x) => form.set('occurredOn', x)}
        />
        <Textarea
          id="summary"
          label="What happened?"
          hint="Do not name children: give a case reference if you need one"
          error={form.errorFor('summary')}
          value={v.summary}
          onChange={(x) => form.set('summary', x)}
          rows={3}
        />
        <Textarea
          id="note"
          label="Why are you correcting it?"
          hint="Kept with this version in the concern’s history"
          error={form.errorFor('note')}
          value={v.note}
          onChange={(x) => form.set('note', x)}
          rows={2}
        />
        <div className="govuk-button-group">
          <Button disabled={correct.isPending}>Save the correction</Button>
          <Link to={`/concerns/${c.id}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
};

const MarkForm = ({ c, to }: { c: ConcernDetail; to: 'substantiated' | 'unsubstantiated' }) => {
  const trpc = useTRPC();
  const accepted = useAccepted(c.id);
  const [version, setVersion] = useState(c.version);
  const form = useHubForm(`concern-${to}:${c.id}`, { note: '' });
  const refused = useRefused(c.id, form.fail, (fresh) => setVersion(fresh.version));
  const options = {
    onSuccess: (res: ConcernView) => {
      form.reset({ note: '' });
      return accepted(res, to);
    },
    onError: refused,
  };
  const substantiate = useMutation(trpc.concerns.substantiate.mutationOptions(options));
  const unsubstantiate = useMutation(trpc.concerns.unsubstantiate.mutationOptions(options));
  const mark = to === 'substantiated' ? substantiate : unsubstantiate;
  const submit = () => {
    const note = form.values.note.trim();
    if (note && note.length < 3)
      return form.failWith([
        { path: 'note', message: 'Write at least 3 characters in the note, or leave it empty' },
      ]);
    mark.mutate({ id: c.id, version, ...(note ? { note } : {}) });
  };
  const label = to === 'substantiated' ? 'Mark substantiated' : 'Mark unsubstantiated';
  return (
    <>
      <p className="govuk-body">
        {to === 'substantiated'
          ? 'What was reported is confirmed. The concern keeps counting towards the risk ratings for 12 months from when it happened.'
          : 'What was reported was looked into and not confirmed. The concern stops counting towards the risk ratings, and is no longer a reason in placement checks.'}
      </p>
      <ConflictNote code={form.problem?.code} />
      <Form onSubmit={submit} problem={form.problem} fields={['note']} label={label}>
        <Textarea
          id="note"
          label="What was found? (optional)"
          hint="Kept with this version in the concern’s history"
          error={form.errorFor('note')}
          value={form.values.note}
          onChange={(x) => form.set('note', x)}
          rows={3}
        />
        <div className="govuk-button-group">
          <Button disabled={mark.isPending}>{label}</Button>
          <Link to={`/concerns/${c.id}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
};

const CloseForm = ({ c }: { c: ConcernDetail }) => {
  const trpc = useTRPC();
  const accepted = useAccepted(c.id);
  const [version, setVersion] = useState(c.version);
  const form = useHubForm(`concern-close:${c.id}`, { reason: '' });
  const refused = useRefused(c.id, form.fail, (fresh) => setVersion(fresh.version));
  const close = useMutation(
    trpc.concerns.close.mutationOptions({
      onSuccess: (res) => {
        form.reset({ reason: '' });
        return accepted(res, 'closed');
      },
      onError: refused,
    }),
  );
  const submit = () => {
    const reason = form.values.reason.trim();
    if (reason.length < 3)
      return form.failWith([{ path: 'reason', message: 'Say why the concern is closed' }]);
    close.mutate({ id: c.id, version, reason });
  };
  return (
    <>
      <WarningText>
        A closed concern stops counting towards the risk ratings, and can no longer be changed.
      </WarningText>
      <ConflictNote code={form.problem?.code} />
      <Form onSubmit={submit} problem={form.problem} fields={['reason']} label={ACTIONS.close.heading}>
        <Textarea
          id="reason"
          label="Why is it closed?"
          hint="Members who read the concern read this"
          error={form.errorFor('reason')}
          value={form.values.reason}
          onChange={(x) => form.set('reason', x)}
          rows={3}
        />
        <div className="govuk-button-group">
          <Button kind="warning" disabled={close.isPending}>
            Close concern
          </Button>
          <Link to={`/concerns/${c.id}`}>Cancel</Link>
        </div>
      </Form>
    </>
  );
};

const ActionPage = ({ c, action }: { c: ConcernDetail; action: Action }) => (
  <>
    <BackLink to={`/concerns/${c.id}`}>Back to the concern</BackLink>
    <PageHeading caption={titleOf(c)}>{ACTIONS[action].heading}</PageHeading>
    <SummaryList
      rows={[
        { key: 'Setting', value: <SettingLink provision={c.provision} /> },
        { key: 'Level', value: LOGGED_CONCERN_LEVELS[c.level] },
        { key: 'About', value: CONCERN_CATEGORIES[c.category] },
        { key: 'Status', value: <StatusTag status={c.status} /> },
        { key: 'When it happened', value: formatDate(c.occurredOn) },
        { key: 'What happened', value: c.summary },
        { key: 'Version', value: String(c.version) },
      ]}
    />
    {action === 'correct' ? (
      <CorrectForm c={c} />
    ) : action === 'close' ? (
      <CloseForm c={c} />
    ) : (
      <MarkForm c={c} to={action === 'substantiate' ? 'substantiated' : 'unsubstantiated'} />
    )}
  </>
);

// --- the concern ----------------------------------------------------------------------------------

const Detail = ({ c, mine }: { c: ConcernDetail; mine: boolean }) => {
  const done = useSearchParams().get('done');
  const actions = mine ? actionsFor(c) : [];
  const logger = c.loggedByAuthority?.name ?? c.loggedByAuthorityId;
  return (
    <>
      <PageHeading caption={<SettingLink provision={c.provision} />}>{titleOf(c)}</PageHeading>
      {/* Keyed by the change, so a second change in a row shows (and focuses) its own banner. */}
      <DoneBanner key={done ?? ''} messages={DONE} />
      <p className="govuk-body">
        Status: <StatusTag status={c.status} /> <span className="govuk-body-s">(version {c.version})</span>
      </p>
      {c.significant && c.counts ? (
        <WarningText>
          This concern is significant: while it counts it is a reason in every placement check of this
          setting.
        </WarningText>
      ) : null}
      {c.restricted ? (
        <InsetText>
          Restricted information: only {logger} and those it shares with read this; others with a need to know
          learn only that restricted information is held, and whom to contact.
        </InsetText>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Setting', value: <SettingLink provision={c.provision} /> },
          { key: 'Logged by', value: logger },
          { key: 'Level', value: LOGGED_CONCERN_LEVELS[c.level] },
          { key: 'What it is about', value: CONCERN_CATEGORIES[c.category] },
          { key: 'Status', value: <StatusTag status={c.status} /> },
          { key: 'When it happened', value: formatDate(c.occurredOn) },
          { key: 'What happened', value: c.summary },
          { key: 'Restricted information', value: yesNo(c.restricted) },
          { key: 'Counts towards the risk rating', value: countsInWords(c) },
          { key: 'Significant', value: significantInWords(c) },
          ...(c.closedReason ? [{ key: 'Why it was closed', value: c.closedReason }] : []),
          { key: 'Logged', value: formatDateTime(c.createdAt) },
          { key: 'Last changed', value: formatDateTime(c.updatedAt) },
        ]}
      />
      {actions.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">Change this concern</h2>
          <p className="govuk-body">Each change is kept as a new version, with your note.</p>
          <div className="govuk-button-group">
            {actions.map((a) => (
              <ButtonLink key={a} to={`/concerns/${c.id}?action=${a}`} kind="secondary">
                {ACTIONS[a].link}
              </ButtonLink>
            ))}
          </div>
        </>
      ) : c.status === 'closed' ? (
        <p className="govuk-body">This concern is closed and no longer changes.</p>
      ) : (
        <p className="govuk-body">
          Only an officer of {logger} can correct this concern, mark it substantiated or unsubstantiated, or
          close it.
        </p>
      )}
      <Table
        caption="History"
        head={['Version', 'When', 'What changed', 'By', 'Note', 'As it then stood']}
        rows={[...c.history].reverse().map((h) => ({
          key: `${h.version}-${h.at}`,
          cells: [
            String(h.version),
            formatDateTime(h.at),
            CHANGES[h.change] ?? h.change,
            h.byAuthority?.name ?? h.byAuthorityId,
            h.note ?? '',
            [
              h.level ? LOGGED_CONCERN_LEVELS[h.level] : null,
              h.category ? CONCERN_CATEGORIES[h.category] : null,
              h.status ? STATUSES[h.status].text : null,
            ]
              .filter(Boolean)
              .join(', '),
          ],
        }))}
      />
      <WhyCanISee recordType="concern" recordId={c.id} />
    </>
  );
};

export const ConcernPage = ({ params }: PageProps) => {
  const trpc = useTRPC();
  const { me, can } = useSession();
  const action = useSearchParams().get('action');
  const q = useQuery(trpc.concerns.get.queryOptions({ id: params.id! }));
  if (q.isPending) return <Loading what="the concern" />;
  if (q.error) return <PageLoadFailed title="Concern" error={q.error} />;
  const c = q.data;
  if (c.layer === 'detail') {
    // Only the logging authority's officers change a concern (the hub refuses anyone else).
    const mine = c.loggedByAuthorityId === me.authority.id && can('officer');
    const allowed = mine ? actionsFor(c) : [];
    return allowed.includes(action as Action) ? (
      <ActionPage c={c} action={action as Action} />
    ) : (
      <Detail c={c} mine={mine} />
    );
  }
  return (
    <>
      <PageHeading caption={<SettingLink provision={c.provision} />}>Restricted information</PageHeading>
      <p className="govuk-body">{c.message}</p>
      <p className="govuk-body">Contact: {c.contact}</p>
      <p className="govuk-body">
        <Link to="/my-settings">Back to my settings</Link>
      </p>
    </>
  );
};
