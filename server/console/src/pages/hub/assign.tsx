// Assign a setting's lead authority by hand: which setting (found by name, or given by the page that
// sent you here), which member, from when, and why.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  DateInput,
  NotificationBanner,
  PageHeading,
  Select,
  SummaryList,
  Textarea,
  TextInput,
} from '../../components/govuk.js';
import { Link, useSearchParams } from '../../navigation.js';
import { useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Allocation = Outputs['allocations']['assign'];
const FIELDS = ['provisionId', 'authorityId', 'startsOn', 'endsOn', 'rationale'];

export const AssignPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const given = useSearchParams().get('provisionId') ?? '';
  const form = useHubForm(`hub:assign:${given}`, {
    provisionId: given,
    authorityId: '',
    startsOn: '',
    endsOn: '',
    rationale: '',
  });
  const [find, setFind] = useState('');
  const [done, setDone] = useState<Allocation | null>(null);
  const authorities = useQuery(trpc.authorities.list.queryOptions({ status: 'active' }));
  const setting = useQuery({
    ...trpc.provisions.get.queryOptions({ id: form.values.provisionId }),
    enabled: Boolean(form.values.provisionId),
  });
  const found = useQuery({
    ...trpc.provisions.search.queryOptions({ q: find.trim(), limit: 20 }),
    enabled: find.trim().length >= 2,
  });
  const current = useQuery({
    ...trpc.allocations.list.queryOptions({ provisionId: form.values.provisionId, currentOnly: true }),
    enabled: Boolean(form.values.provisionId),
  });
  const assign = useMutation(
    trpc.allocations.assign.mutationOptions({
      onSuccess: (a) => {
        form.done();
        form.clearProblem();
        setDone(a);
        void queryClient.invalidateQueries(trpc.allocations.list.queryFilter());
      },
      onError: (e) => {
        setDone(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    const problems = [
      !v.provisionId && { path: 'provisionId', message: 'Choose the setting' },
      !v.authorityId && { path: 'authorityId', message: 'Choose the lead authority' },
    ].filter((x): x is { path: string; message: string } => Boolean(x));
    if (problems.length > 0) return form.failWith(problems);
    assign.mutate({
      provisionId: v.provisionId,
      authorityId: v.authorityId,
      rationale: v.rationale,
      ...(v.startsOn ? { startsOn: v.startsOn } : {}),
      ...(v.endsOn ? { endsOn: v.endsOn } : {}),
    });
  };
  const lead = current.data?.items[0];

  return (
    <>
      <BackLink to="/partnership/allocations">Lead authorities</BackLink>
      <PageHeading caption="Lead authorities">Assign a lead authority</PageHeading>
      {done ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            {done.authority?.name ?? done.authorityId} now leads {done.provision?.name ?? 'the setting'}.{' '}
            <Link to="/partnership/allocations" className="govuk-notification-banner__link">
              See every lead authority
            </Link>
          </p>
        </NotificationBanner>
      ) : null}
      <Form onSubmit={submit} problem={form.problem} fields={FIELDS} label="Assign a lead authority">
        {given ? (
          <SummaryList
            rows={[
              {
                key: 'Setting',
                value: setting.data
                  ? `${setting.data.name}${setting.data.urn ? ` (${setting.data.urn})` : ''}`
                  : setting.isError
                    ? 'Not found'
                    : 'Loading…',
                action: (
                  <Link to="/partnership/allocations/assign">
                    Change<span className="govuk-visually-hidden"> setting</span>
                  </Link>
                ),
              },
              {
                key: 'Lead now',
                value: current.isPending
                  ? 'Loading…'
                  : lead
                    ? (lead.authority?.name ?? lead.authorityId)
                    : 'None',
              },
            ]}
          />
        ) : (
          <>
            <TextInput
              id="find"
              label="Find the setting by name"
              hint="Type two letters or more, then choose it from the list below"
              type="search"
              value={find}
              onChange={setFind}
            />
            <Select
              id="provisionId"
              label="Setting"
              value={v.provisionId}
              onChange={(x) => form.set('provisionId', x)}
              error={form.errorFor('provisionId')}
              options={[
                {
                  value: '',
                  label: found.data
                    ? `${found.data.items.length} settings found: choose one`
                    : 'Find a setting first',
                },
                ...(found.data?.items ?? []).map((p) => ({
                  value: p.id,
                  label: `${p.name}${p.urn ? ` (${p.urn})` : ''}`,
                })),
              ]}
            />
            {v.provisionId && !current.isPending ? (
              <p className="govuk-body">
                Lead now: {lead ? (lead.authority?.name ?? lead.authorityId) : 'none'}
              </p>
            ) : null}
          </>
        )}
        <Select
          id="authorityId"
          label="Lead authority"
          hint="Only active members can lead"
          value={v.authorityId}
          onChange={(x) => form.set('authorityId', x)}
          error={form.errorFor('authorityId')}
          options={[
            { value: '', label: 'Choose an authority' },
            ...(authorities.data ?? []).map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <DateInput
          id="startsOn"
          legend="Starts on (optional)"
          hint="Leave empty for today. For example, 27 3 2027"
          value={v.startsOn}
          onChange={(x) => form.set('startsOn', x)}
          error={form.errorFor('startsOn')}
        />
        <DateInput
          id="endsOn"
          legend="Ends on (optional)"
          hint="The first day it no longer holds; leave empty for no end"
          value={v.endsOn}
          onChange={(x) => form.set('endsOn', x)}
          error={form.errorFor('endsOn')}
        />
        <Textarea
          id="rationale"
          label="Why this authority"
          hint="Other members see this beside the allocation"
          rows={3}
          value={v.rationale}
          onChange={(x) => form.set('rationale', x)}
          error={form.errorFor('rationale')}
        />
        <Button disabled={assign.isPending}>Assign lead authority</Button>
      </Form>
    </>
  );
};
