// How often each type of setting is monitored, and the shorter intervals while a risk holds (an Ofsted
// grade of inadequate or requires improvement, a change of registered manager in the last 12 months):
// the table of every type, and a form for the hub-admin to change one type's figures.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Select,
  Table,
  TextInput,
  fieldId,
} from '../../components/govuk.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Frequency = Outputs['monitoring']['frequencies'][number];

const TRIGGERS = [
  ['grade-inadequate', 'Graded inadequate'],
  ['grade-requires-improvement', 'Graded requires improvement'],
  ['manager-changed', 'Registered manager changed in the last 12 months'],
] as const;
const FIELDS = ['type', 'months', ...TRIGGERS.map(([t]) => `risk.${t}`)];

const EMPTY = {
  type: '',
  months: '',
  'grade-inadequate': '',
  'grade-requires-improvement': '',
  'manager-changed': '',
};

const monthsIn = (n: number) => (n === 1 ? '1 month' : `${n} months`);

export const FrequenciesPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.monitoring.frequencies.queryOptions());
  const form = useHubForm('hub:frequencies', EMPTY);
  const [saved, setSaved] = useState<Frequency | null>(null);
  const set = useMutation(
    trpc.monitoring.setFrequency.mutationOptions({
      onSuccess: (all, input) => {
        form.reset(EMPTY);
        setSaved(all.find((f) => f.type === input.type) ?? null);
        void queryClient.invalidateQueries(trpc.monitoring.frequencies.queryFilter());
      },
      onError: (e) => {
        setSaved(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    if (!v.type) return form.failWith([{ path: 'type', message: 'Choose the type of setting' }]);
    const num = (x: string) => (x.trim() === '' ? undefined : Number(x.trim()));
    const risk = Object.fromEntries(
      TRIGGERS.flatMap(([t]) => (num(v[t]) === undefined ? [] : [[t, num(v[t])]])),
    );
    set.mutate({
      type: v.type as Frequency['type'],
      ...(num(v.months) !== undefined ? { months: num(v.months) } : {}),
      ...(Object.keys(risk).length ? { risk } : {}),
    });
  };

  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">How often settings are monitored</PageHeading>
      <p className="govuk-body">
        Only a visit or review by a setting&apos;s lead authority counts as monitoring. A risk shortens the
        interval: the shortest that applies is used, and never one longer than the type&apos;s own.
      </p>
      {saved ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            Saved: {saved.type} every {monthsIn(saved.months)}.
          </p>
        </NotificationBanner>
      ) : null}
      {list.isPending ? (
        <Loading what="the monitoring frequencies" />
      ) : list.isError ? (
        <ProblemText {...hubErrorOf(list.error)} />
      ) : (
        <Table
          caption="Months between monitoring activities, by type of setting"
          head={['Type of setting', 'Usually', ...TRIGGERS.map(([, label]) => label)]}
          rows={list.data.map((f) => ({
            key: f.type,
            cells: [f.type, monthsIn(f.months), ...TRIGGERS.map(([t]) => monthsIn(f.risk[t]))],
          }))}
        />
      )}
      <h2 className="govuk-heading-m">Change a type&apos;s figures</h2>
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label="Save the figures">
        <Select
          id="type"
          label="Type of setting"
          value={v.type}
          onChange={(x) => form.set('type', x)}
          error={form.errorFor('type')}
          options={[
            { value: '', label: 'Choose a type' },
            ...(list.data ?? []).map((f) => ({ value: f.type, label: f.type })),
          ]}
        />
        <TextInput
          id="months"
          label="Usually every (months)"
          hint="Leave empty to keep it as it is"
          inputMode="numeric"
          width="2"
          value={v.months}
          onChange={(x) => form.set('months', x)}
          error={form.errorFor('months')}
        />
        {TRIGGERS.map(([t, label]) => (
          <TextInput
            key={t}
            id={fieldId(`risk.${t}`)}
            label={`${label}: every (months)`}
            hint="Leave empty to keep it as it is"
            inputMode="numeric"
            width="2"
            value={v[t]}
            onChange={(x) => form.set(t, x)}
            error={form.errorFor(`risk.${t}`)}
          />
        ))}
        <Button disabled={set.isPending}>Save the figures</Button>
      </Form>
    </>
  );
};
