// Writing a visit outcome: a new draft (outcomes.create), changes to a draft or an amendment of a
// published outcome (outcomes.amend, naming the version read). What is typed is kept (useHubForm), so a
// refused submit or an ended session loses nothing. When someone else changed the outcome meanwhile,
// the page says so, shows what they changed field by field, and re-applies the officer's changes on the
// version as it now stands.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm, type HubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  DateInput,
  InsetText,
  Loading,
  NotificationBanner,
  PageHeading,
  Radios,
  Select,
  Table,
  TextInput,
  Textarea,
  WarningText,
  fieldId,
  PageLoadFailed,
} from '../../components/govuk.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Link, navigate, useSearchParams } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, useTRPCClient } from '../../trpc.js';
import {
  ACTIVITY_TYPES,
  ACTION_STATUSES,
  CONCERN_LEVELS,
  JUDGEMENTS,
  OVERALL_RATINGS,
  optionsOf,
} from './labels.js';
import {
  CONTENT_FIELDS,
  FIELD_NAMES,
  actionsToWire,
  changedFields,
  contentOf,
  createFields,
  emptyContent,
  inWords,
  reapply,
  wireValue,
  type ActionRow,
  type Content,
  type JudgementRow,
  type OutcomeDetail,
} from './outcome-content.js';
import { dateProblem, todayInLondon, useSettingName } from './parts.js';

type Values = Content & {
  /** New action items (a draft's first ones, or those an amendment adds). */
  actionItems: ActionRow[];
  /** Why a published outcome is amended. */
  reason: string;
  /** The version the officer opened, and its content: what the changes are made against. */
  baseVersion: number | null;
  base: Content | null;
};

type Mode = { kind: 'create'; provisionId: string } | { kind: 'edit'; outcome: OutcomeDetail };

/** The hub's path of a field: an amendment sends the fields under `changes`, new items as addActionItems. */
const pathIn = (mode: Mode['kind']) => (field: string) =>
  mode === 'create' || field === 'reason'
    ? field
    : `changes.${field.replace(/^actionItems/, 'addActionItems')}`;

const blankJudgement = (): JudgementRow => ({ section: '', judgement: '', comment: '' });
const blankAction = (): ActionRow => ({ description: '', concernLevel: '', dueOn: '' });

/** Problems found before asking the hub: what was left out, dates that are not real. */
const localProblems = (v: Values, P: (f: string) => string, needReason: boolean) => {
  const issues: { path: string; message: string }[] = [];
  const add = (path: string, message: string | null) => {
    if (message) issues.push({ path: P(path), message });
  };
  if (!v.activityType) add('activityType', 'Select the type of activity');
  add('activityDate', dateProblem(v.activityDate, 'the date of the activity', true));
  if (v.activityDate && !dateProblem(v.activityDate, '', true) && v.activityDate > todayInLondon())
    add('activityDate', 'The date of the activity must be today or in the past');
  if (!v.overallRating) add('overallRating', 'Select the overall rating');
  if (!v.summary.trim()) add('summary', 'Enter a summary of what the activity found');
  add('nextDueOn', dateProblem(v.nextDueOn, 'the date the next activity is due', false));
  v.sectionJudgements.forEach((j, i) => {
    if (!j.section.trim()) add(`sectionJudgements.${i}.section`, `Enter the section of judgement ${i + 1}`);
    if (!j.judgement) add(`sectionJudgements.${i}.judgement`, `Select the judgement for section ${i + 1}`);
  });
  v.actionItems.forEach((a, i) => {
    if (!a.description.trim())
      add(`actionItems.${i}.description`, `Enter what must be done for action item ${i + 1}`);
    if (!a.concernLevel)
      add(`actionItems.${i}.concernLevel`, `Select the concern level of action item ${i + 1}`);
    add(`actionItems.${i}.dueOn`, dateProblem(a.dueOn, `the due date of action item ${i + 1}`, false));
  });
  if (needReason && v.reason.trim().length < 3) add('reason', 'Say why you are amending this outcome');
  return issues;
};

/** What the form shows: every field of the contract, rows of judgements and action items. */
const OutcomeFields = ({
  form,
  P,
  existingActions,
}: {
  form: HubForm<Values>;
  P: (f: string) => string;
  existingActions: OutcomeDetail['actionItems'] | null;
}) => {
  const { values: v, set } = form;
  const err = (f: string) => form.errorFor(P(f));
  const id = (f: string) => fieldId(P(f));
  const setJudgement = (i: number, patch: Partial<JudgementRow>) =>
    set(
      'sectionJudgements',
      v.sectionJudgements.map((j, k) => (k === i ? { ...j, ...patch } : j)),
    );
  const setAction = (i: number, patch: Partial<ActionRow>) =>
    set(
      'actionItems',
      v.actionItems.map((a, k) => (k === i ? { ...a, ...patch } : a)),
    );
  return (
    <>
      <Select
        id={id('activityType')}
        label="Type of activity"
        error={err('activityType')}
        value={v.activityType}
        onChange={(x) => set('activityType', x)}
        options={[{ value: '', label: 'Choose the type of activity' }, ...optionsOf(ACTIVITY_TYPES)]}
      />
      <DateInput
        id={id('activityDate')}
        legend="Date of the activity"
        hint="The day of the visit or review, for example, 27 3 2026"
        error={err('activityDate')}
        value={v.activityDate}
        onChange={(x) => set('activityDate', x)}
      />
      <Radios
        id={id('announced')}
        legend="Was the activity announced in advance?"
        error={err('announced')}
        inline
        options={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]}
        value={v.announced}
        onChange={(x) => set('announced', x as 'yes' | 'no')}
      />
      <Radios
        id={id('overallRating')}
        legend="Overall rating"
        hint="How serious the concerns are: 1 is no concerns, 5 the most serious"
        error={err('overallRating')}
        options={optionsOf(OVERALL_RATINGS)}
        value={v.overallRating}
        onChange={(x) => set('overallRating', x)}
      />
      <Textarea
        id={id('summary')}
        label="Summary"
        hint="What the activity found, in a few sentences. Other members may read it unless the outcome is restricted."
        error={err('summary')}
        value={v.summary}
        onChange={(x) => set('summary', x)}
        rows={4}
      />
      <Textarea
        id={id('findings')}
        label="Findings (optional)"
        hint="The full findings"
        error={err('findings')}
        value={v.findings}
        onChange={(x) => set('findings', x)}
        rows={8}
      />

      <h2 className="govuk-heading-m">Section judgements</h2>
      {v.sectionJudgements.length === 0 ? <p className="govuk-body">No section judgements yet.</p> : null}
      {v.sectionJudgements.map((j, i) => (
        <fieldset className="govuk-fieldset" key={i}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            Section judgement {i + 1}
          </legend>
          <TextInput
            id={id(`sectionJudgements.${i}.section`)}
            label="Section"
            hint="For example, Leadership and management"
            error={err(`sectionJudgements.${i}.section`)}
            value={j.section}
            onChange={(x) => setJudgement(i, { section: x })}
          />
          <Select
            id={id(`sectionJudgements.${i}.judgement`)}
            label="Judgement"
            error={err(`sectionJudgements.${i}.judgement`)}
            value={j.judgement}
            onChange={(x) => setJudgement(i, { judgement: x })}
            options={[{ value: '', label: 'Choose a judgement' }, ...optionsOf(JUDGEMENTS)]}
          />
          <TextInput
            id={id(`sectionJudgements.${i}.comment`)}
            label="Comment (optional)"
            error={err(`sectionJudgements.${i}.comment`)}
            value={j.comment}
            onChange={(x) => setJudgement(i, { comment: x })}
          />
          <Button
            type="button"
            kind="secondary"
            onClick={() =>
              set(
                'sectionJudgements',
                v.sectionJudgements.filter((_, k) => k !== i),
              )
            }
          >
            Remove section judgement {i + 1}
          </Button>
        </fieldset>
      ))}
      <Button
        type="button"
        kind="secondary"
        onClick={() => set('sectionJudgements', [...v.sectionJudgements, blankJudgement()])}
      >
        Add a section judgement
      </Button>

      <h2 className="govuk-heading-m">Action items</h2>
      {existingActions && existingActions.length > 0 ? (
        <Table
          caption="Action items already recorded"
          head={['Action', 'Concern level', 'Due', 'Status']}
          rows={existingActions.map((a) => ({
            key: a.id,
            cells: [
              a.description,
              CONCERN_LEVELS[a.concernLevel].split(' (')[0],
              formatDate(a.dueOn),
              ACTION_STATUSES[a.status],
            ],
          }))}
        />
      ) : null}
      {existingActions ? (
        <p className="govuk-body">
          Action items already recorded stay as they are; you can add new ones here.
        </p>
      ) : null}
      {v.actionItems.length === 0 ? (
        <p className="govuk-body">{existingActions ? 'No new action items.' : 'No action items yet.'}</p>
      ) : null}
      {v.actionItems.map((a, i) => (
        <fieldset className="govuk-fieldset" key={i}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            {existingActions ? 'New action item' : 'Action item'} {i + 1}
          </legend>
          <Textarea
            id={id(`actionItems.${i}.description`)}
            label="What must be done"
            error={err(`actionItems.${i}.description`)}
            value={a.description}
            onChange={(x) => setAction(i, { description: x })}
            rows={2}
          />
          <Select
            id={id(`actionItems.${i}.concernLevel`)}
            label="Concern level"
            hint="Sets the due date unless you give one"
            error={err(`actionItems.${i}.concernLevel`)}
            value={a.concernLevel}
            onChange={(x) => setAction(i, { concernLevel: x })}
            options={[{ value: '', label: 'Choose a concern level' }, ...optionsOf(CONCERN_LEVELS)]}
          />
          <DateInput
            id={id(`actionItems.${i}.dueOn`)}
            legend="Due date (optional)"
            hint="Leave empty to take the concern level's timescale from the date of the activity"
            error={err(`actionItems.${i}.dueOn`)}
            value={a.dueOn}
            onChange={(x) => setAction(i, { dueOn: x })}
          />
          <Button
            type="button"
            kind="secondary"
            onClick={() =>
              set(
                'actionItems',
                v.actionItems.filter((_, k) => k !== i),
              )
            }
          >
            Remove action item {i + 1}
          </Button>
        </fieldset>
      ))}
      <Button
        type="button"
        kind="secondary"
        onClick={() => set('actionItems', [...v.actionItems, blankAction()])}
      >
        Add an action item
      </Button>

      <h2 className="govuk-heading-m">Next activity and who may read it</h2>
      <DateInput
        id={id('nextDueOn')}
        legend="When is the next activity due? (optional)"
        hint="Leave empty for the setting type's usual frequency, for example, 27 3 2027"
        error={err('nextDueOn')}
        value={v.nextDueOn}
        onChange={(x) => set('nextDueOn', x)}
      />
      <Radios
        id={id('restricted')}
        legend="Is this restricted information?"
        error={err('restricted')}
        options={[
          {
            value: 'no',
            label: 'No',
            hint: 'Members with a need to know read the detail; every member reads a summary',
          },
          {
            value: 'yes',
            label: 'Yes, restricted',
            hint: 'Only your authority and those you share it with read it; others learn only that it exists and whom to contact',
          },
        ]}
        value={v.restricted}
        onChange={(x) => set('restricted', x as 'yes' | 'no')}
      />
    </>
  );
};

/** Every field path the form shows, so the error summary can link to each. */
const shownPaths = (v: Values, P: (f: string) => string, withReason: boolean) =>
  [
    ...CONTENT_FIELDS,
    ...v.sectionJudgements.flatMap((_, i) =>
      ['section', 'judgement', 'comment'].map((f) => `sectionJudgements.${i}.${f}`),
    ),
    ...v.actionItems.flatMap((_, i) =>
      ['description', 'concernLevel', 'dueOn'].map((f) => `actionItems.${i}.${f}`),
    ),
    ...(withReason ? ['reason'] : []),
  ].map(P);

type Conflict = { current: OutcomeDetail; readVersion: number; base: Content };

/** What someone else changed between the version the officer read and the one now stored. */
const ConflictPanel = ({
  conflict,
  mine,
  onReapply,
  onDiscard,
  busy,
}: {
  conflict: Conflict;
  mine: Content;
  onReapply: () => void;
  onDiscard: () => void;
  busy: boolean;
}) => {
  const now = contentOf(conflict.current);
  const theirs = changedFields(conflict.base, now);
  const yours = changedFields(conflict.base, mine);
  const both = theirs.filter((f) => yours.includes(f));
  const last = conflict.current.history.at(-1);
  const addedActions = conflict.current.actionItems.length;
  return (
    <NotificationBanner title="Important" focus>
      <h3 className="govuk-notification-banner__heading" data-testid="conflict-heading">
        Someone else changed this outcome while you were editing it
      </h3>
      <p className="govuk-body">
        You opened version {conflict.readVersion}; it is now version {conflict.current.version}
        {last
          ? `, changed ${formatDateTime(last.at)} by ${last.byAuthority?.name ?? last.byAuthorityId}${last.note ? ` (“${last.note}”)` : ''}`
          : `, changed ${formatDateTime(conflict.current.updatedAt)}`}
        . Your changes have not been saved yet, and nothing you typed is lost.
      </p>
      <Table
        caption="What they changed"
        head={[
          'Field',
          `When you opened it (version ${conflict.readVersion})`,
          `Now (version ${conflict.current.version})`,
        ]}
        rows={
          theirs.length > 0
            ? theirs.map((f) => ({
                key: f,
                cells: [FIELD_NAMES[f], inWords(conflict.base, f), inWords(now, f)],
              }))
            : [
                {
                  key: 'none',
                  cells: [
                    'Action items',
                    'As you read them',
                    `${addedActions} action ${addedActions === 1 ? 'item' : 'items'}, some added or updated since`,
                  ],
                },
              ]
        }
      />
      {yours.length > 0 ? (
        <Table
          caption="Your changes"
          head={['Field', 'Yours']}
          rows={yours.map((f) => ({ key: f, cells: [FIELD_NAMES[f], inWords(mine, f)] }))}
        />
      ) : null}
      {both.length > 0 ? (
        <WarningText>
          You both changed {both.map((f) => FIELD_NAMES[f].toLowerCase()).join(', ')}: re-applying your
          changes replaces their value with yours.
        </WarningText>
      ) : null}
      <p className="govuk-body">
        Re-applying keeps their changes to the fields you did not touch and saves yours on top.
      </p>
      <div className="govuk-button-group">
        <Button type="button" onClick={onReapply} disabled={busy}>
          Re-apply my changes to version {conflict.current.version}
        </Button>
        <Button type="button" kind="secondary" onClick={onDiscard} disabled={busy}>
          Discard my changes
        </Button>
      </div>
    </NotificationBanner>
  );
};

const OutcomeForm = ({ mode }: { mode: Mode }) => {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const outcome = mode.kind === 'edit' ? mode.outcome : null;
  const provisionId = outcome?.provisionId ?? (mode.kind === 'create' ? mode.provisionId : '');
  const setting = useSettingName(provisionId);
  const P = pathIn(mode.kind);
  const published = outcome !== null && outcome.status !== 'draft';
  const key = outcome ? `outcome:${outcome.id}` : `outcome:new:${provisionId}`;
  const form = useHubForm<Values>(key, {
    ...(outcome ? contentOf(outcome) : emptyContent()),
    actionItems: [],
    reason: '',
    baseVersion: outcome?.version ?? null,
    base: outcome ? contentOf(outcome) : null,
  });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const v = form.values;

  const saved = async (id: string, done: string) => {
    form.done();
    await queryClient.invalidateQueries(trpc.outcomes.pathFilter());
    navigate(`/outcomes/${id}?done=${done}`);
  };

  const create = useMutation(
    trpc.outcomes.create.mutationOptions({
      onSuccess: (o) => ('id' in o ? saved(o.id, 'draft-saved') : undefined),
      onError: form.fail,
    }),
  );

  const amend = useMutation({
    mutationFn: (values: Values) => {
      const base = values.base!;
      const changes: Record<string, unknown> = {};
      for (const f of changedFields(base, values)) changes[f] = wireValue(values, f);
      if (values.actionItems.length > 0) changes.addActionItems = actionsToWire(values.actionItems);
      return client.outcomes.amend.mutate({
        id: outcome!.id,
        version: values.baseVersion!,
        reason: published ? values.reason : 'Draft changed before publication',
        changes,
      });
    },
    onSuccess: (o) => {
      setConflict(null);
      return 'id' in o ? saved(o.id, published ? 'amended' : 'draft-updated') : undefined;
    },
    onError: async (error, values) => {
      const problem = hubErrorOf(error);
      if (problem.code === 'CONFLICT' && /has changed/.test(problem.message)) {
        // Someone else saved a version meanwhile: fetch it, and show what changed.
        const current = await client.outcomes.get.query({ id: outcome!.id });
        if (current.layer === 'detail' && current.status !== 'withdrawn') {
          form.clearProblem();
          setConflict({ current, readVersion: values.baseVersion!, base: values.base! });
          return;
        }
      }
      form.fail(error);
    },
  });

  const submit = (values: Values) => {
    setConflict(null);
    const issues = localProblems(values, P, published);
    if (issues.length > 0) return form.failWith(issues);
    if (mode.kind === 'create') {
      create.mutate({
        provisionId,
        ...createFields(values),
        actionItems: actionsToWire(values.actionItems),
      });
      return;
    }
    if (changedFields(values.base!, values).length === 0 && values.actionItems.length === 0)
      return form.failWith([{ path: '(input)', message: 'Change at least one thing before saving' }]);
    form.clearProblem();
    amend.mutate(values);
  };

  const reapplyOnCurrent = () => {
    if (!conflict) return;
    const now = contentOf(conflict.current);
    const next: Values = {
      ...v,
      ...reapply(conflict.base, v, now),
      base: now,
      baseVersion: conflict.current.version,
    };
    form.replace(next);
    submit(next);
  };

  const discard = () => {
    if (!conflict) return;
    const now = contentOf(conflict.current);
    form.replace({ ...now, actionItems: [], reason: '', base: now, baseVersion: conflict.current.version });
    setConflict(null);
  };

  const busy = create.isPending || amend.isPending;
  const title =
    mode.kind === 'create'
      ? 'Record a visit outcome'
      : published
        ? 'Amend an outcome'
        : 'Change a draft outcome';
  return (
    <>
      <BackLink to={outcome ? `/outcomes/${outcome.id}` : '/my-settings'} />
      <PageHeading caption={setting ?? 'A setting'}>{title}</PageHeading>
      {mode.kind === 'create' ? (
        <InsetText>
          You save it as a draft first: only your authority sees a draft. You publish it when it is ready.
        </InsetText>
      ) : published ? (
        <InsetText>
          Amending makes a new version (version {(v.baseVersion ?? 0) + 1}); the earlier ones stay readable
          with the reason you give.
        </InsetText>
      ) : null}
      {conflict ? (
        <ConflictPanel
          conflict={conflict}
          mine={v}
          onReapply={reapplyOnCurrent}
          onDiscard={discard}
          busy={busy}
        />
      ) : null}
      <Form
        onSubmit={() => submit(v)}
        problem={form.problem}
        fields={shownPaths(v, P, published)}
        label={title}
      >
        <OutcomeFields form={form} P={P} existingActions={outcome?.actionItems ?? null} />
        {published ? (
          <Textarea
            id={fieldId(P('reason'))}
            label="Why are you amending it?"
            hint="Kept with the new version, for everyone who reads the outcome"
            error={form.errorFor(P('reason'))}
            value={v.reason}
            onChange={(x) => form.set('reason', x)}
            rows={2}
          />
        ) : null}
        <div className="govuk-button-group">
          <Button disabled={busy}>
            {mode.kind === 'create' ? 'Save as draft' : published ? 'Save amendment' : 'Save draft'}
          </Button>
          <Link to={outcome ? `/outcomes/${outcome.id}` : '/my-settings'}>Cancel</Link>
        </div>
      </Form>
    </>
  );
};

export const NewOutcomePage = (_: PageProps) => {
  const provisionId = useSearchParams().get('provisionId');
  if (!provisionId)
    return (
      <>
        <PageHeading>Record a visit outcome</PageHeading>
        <p className="govuk-body">
          Choose the setting first, from <Link to="/my-settings">your settings</Link>.
        </p>
      </>
    );
  return <OutcomeForm mode={{ kind: 'create', provisionId }} key={provisionId} />;
};

export const EditOutcomePage = ({ params }: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const id = params.id!;
  // Read once as the form opens: the version read is what the changes are made against.
  // Read afresh as the form opens (not from an older page's cache), then not again: the version read
  // is what the changes are made against.
  const q = useQuery({
    ...trpc.outcomes.get.queryOptions({ id }),
    staleTime: Infinity,
    refetchOnMount: 'always',
  });
  if (q.isPending || (q.isFetching && !q.isFetchedAfterMount)) return <Loading what="the outcome" />;
  if (q.error) return <PageLoadFailed title="Change an outcome" error={q.error} />;
  const o = q.data;
  if (o.layer !== 'detail' || o.publisherAuthorityId !== me.authority.id || o.status === 'withdrawn')
    return (
      <>
        <PageHeading>You cannot change this outcome</PageHeading>
        <p className="govuk-body">
          {o.layer === 'detail' && o.status === 'withdrawn'
            ? 'It was withdrawn, and can no longer be changed.'
            : 'Only the authority that wrote an outcome can change it.'}
        </p>
        <p className="govuk-body">
          <Link to={`/outcomes/${id}`}>Back to the outcome</Link>
        </p>
      </>
    );
  return <OutcomeForm mode={{ kind: 'edit', outcome: o }} key={o.id} />;
};
