// Logging a concern about a setting (concerns.log): what kind, how serious, when, in words. Each
// concern counts towards the setting's risk rating for a year.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  DateInput,
  NotificationBanner,
  PageHeading,
  Radios,
  SummaryList,
  Textarea,
} from '../../components/govuk.js';
import { formatDate } from '../../format.js';
import { Link, useSearchParams } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useTRPC, type Outputs } from '../../trpc.js';
import {
  LOGGED_CONCERN_LEVELS,
  CONCERN_CATEGORIES,
  optionsOf,
  yesNo,
  type ConcernCategory,
  type LoggedConcernLevel,
} from './labels.js';
import { WhyCanISee, dateProblem, todayInLondon, useSettingName } from './parts.js';

type Logged = Extract<Outputs['concerns']['log'], { layer: 'detail' }>;

const blank = { category: '', level: '', occurredOn: '', summary: '', restricted: 'no' as 'yes' | 'no' };

export const NewConcernPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const provisionId = useSearchParams().get('provisionId');
  const setting = useSettingName(provisionId);
  const form = useHubForm(`concern:new:${provisionId ?? ''}`, blank);
  const { values: v, set } = form;
  const [logged, setLogged] = useState<Logged | null>(null);
  const log = useMutation(
    trpc.concerns.log.mutationOptions({
      onSuccess: async (c) => {
        form.done();
        form.replace(blank);
        await queryClient.invalidateQueries(trpc.concerns.pathFilter());
        if (c.layer === 'detail') setLogged(c);
      },
      onError: form.fail,
    }),
  );

  if (!provisionId)
    return (
      <>
        <PageHeading>Log a concern</PageHeading>
        <p className="govuk-body">
          Choose the setting first, from <Link to="/my-settings">your settings</Link>.
        </p>
      </>
    );

  if (logged)
    return (
      <>
        <PageHeading caption={setting ?? 'A setting'}>Concern logged</PageHeading>
        <NotificationBanner success>
          <h3 className="govuk-notification-banner__heading">
            The concern is logged. It counts towards the setting&apos;s risk rating for 12 months.
          </h3>
        </NotificationBanner>
        <SummaryList
          rows={[
            { key: 'Category', value: CONCERN_CATEGORIES[logged.category] },
            { key: 'Level', value: LOGGED_CONCERN_LEVELS[logged.level] },
            { key: 'When it happened', value: formatDate(logged.occurredOn) },
            { key: 'Summary', value: logged.summary },
            { key: 'Restricted information', value: yesNo(logged.restricted) },
            { key: 'Logged by', value: logged.loggedByAuthority?.name ?? logged.loggedByAuthorityId },
          ]}
        />
        <WhyCanISee recordType="concern" recordId={logged.id} />
        <ul className="govuk-list">
          <li>
            <Link to={`/concerns/${logged.id}`}>Open the concern (correct, substantiate or close it)</Link>
          </li>
          <li>
            <Link to={`/settings/${provisionId}`}>Go to the setting</Link>
          </li>
          <li>
            <a
              className="govuk-link"
              href={`/concerns/new?provisionId=${provisionId}`}
              onClick={(e) => {
                e.preventDefault();
                setLogged(null);
              }}
            >
              Log another concern
            </a>
          </li>
          <li>
            <Link to="/my-settings">Back to my settings</Link>
          </li>
        </ul>
      </>
    );

  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    if (!v.category) issues.push({ path: 'category', message: 'Select what the concern is about' });
    if (!v.level) issues.push({ path: 'level', message: 'Select the level of concern' });
    const d = dateProblem(v.occurredOn, 'the date it happened', true);
    if (d) issues.push({ path: 'occurredOn', message: d });
    else if (v.occurredOn > todayInLondon())
      issues.push({ path: 'occurredOn', message: 'The date it happened must be today or in the past' });
    if (!v.summary.trim()) issues.push({ path: 'summary', message: 'Enter what happened' });
    if (issues.length > 0) return form.failWith(issues);
    log.mutate({
      provisionId,
      category: v.category as ConcernCategory,
      level: v.level as LoggedConcernLevel,
      occurredOn: v.occurredOn,
      summary: v.summary,
      restricted: v.restricted === 'yes',
    });
  };

  return (
    <>
      <BackLink to="/my-settings" />
      <PageHeading caption={setting ?? 'A setting'}>Log a concern</PageHeading>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['provisionId', 'category', 'level', 'occurredOn', 'summary', 'restricted']}
        label="Log a concern"
      >
        <Radios
          id="category"
          legend="What is the concern about?"
          error={form.errorFor('category')}
          options={optionsOf(CONCERN_CATEGORIES)}
          value={v.category}
          onChange={(x) => set('category', x)}
        />
        <Radios
          id="level"
          legend="How serious is it?"
          error={form.errorFor('level')}
          options={optionsOf(LOGGED_CONCERN_LEVELS)}
          value={v.level}
          onChange={(x) => set('level', x)}
          inline
        />
        <DateInput
          id="occurredOn"
          legend="When did it happen?"
          error={form.errorFor('occurredOn')}
          value={v.occurredOn}
          onChange={(x) => set('occurredOn', x)}
        />
        <Textarea
          id="summary"
          label="What happened?"
          hint="Do not name children: give a case reference if you need one"
          error={form.errorFor('summary')}
          value={v.summary}
          onChange={(x) => set('summary', x)}
        />
        <Radios
          id="restricted"
          legend="Is this restricted information?"
          error={form.errorFor('restricted')}
          options={[
            { value: 'no', label: 'No', hint: 'Members with a need to know read it' },
            {
              value: 'yes',
              label: 'Yes, restricted',
              hint: 'Others learn only that restricted information is held, and whom to contact',
            },
          ]}
          value={v.restricted}
          onChange={(x) => set('restricted', x as 'yes' | 'no')}
        />
        <div className="govuk-button-group">
          <Button disabled={log.isPending}>Log concern</Button>
          <Link to="/my-settings">Cancel</Link>
        </div>
      </Form>
    </>
  );
};
