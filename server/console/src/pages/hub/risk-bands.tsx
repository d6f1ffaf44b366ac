// The risk bands: how many counting concerns (open or substantiated, in the last 12 months) make a
// setting's or a provider's risk rating low, medium or high — the bands in force, and a form for the
// hub-admin to move them (concerns.setRiskBands).
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  InsetText,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Table,
  TextInput,
} from '../../components/govuk.js';
import { formatDateTime } from '../../format.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Bands = Outputs['concerns']['riskBands'];

const EMPTY = { mediumFrom: '', highFrom: '' };

/** "1 to 4", or "1" when the band holds one count. */
const counts = (from: number, to: number) => (from === to ? String(from) : `${from} to ${to}`);

const rowsOf = (b: Bands) => [
  { key: 'none', cells: ['None', '0'] },
  { key: 'low', cells: ['Low', counts(1, b.mediumFrom - 1)] },
  { key: 'medium', cells: ['Medium', counts(b.mediumFrom, b.highFrom - 1)] },
  { key: 'high', cells: ['High', `${b.highFrom} or more`] },
];

export const RiskBandsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const bands = useQuery(trpc.concerns.riskBands.queryOptions());
  const form = useHubForm('hub:risk-bands', EMPTY);
  const [saved, setSaved] = useState<Bands | null>(null);
  const set = useMutation(
    trpc.concerns.setRiskBands.mutationOptions({
      onSuccess: (b) => {
        form.reset(EMPTY);
        setSaved(b);
        queryClient.setQueryData(trpc.concerns.riskBands.queryKey(), b);
        // Every rating is counted again with the new bands.
        void queryClient.invalidateQueries(trpc.concerns.list.pathFilter());
        void queryClient.invalidateQueries(trpc.checks.pathFilter());
      },
      onError: (e) => {
        setSaved(null);
        form.fail(e);
      },
    }),
  );
  const v = form.values;
  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    const whole = (x: string) => /^\d+$/.test(x.trim());
    if (!whole(v.mediumFrom))
      issues.push({
        path: 'mediumFrom',
        message: 'Enter the number of concerns as a whole number, such as 5',
      });
    if (!whole(v.highFrom))
      issues.push({
        path: 'highFrom',
        message: 'Enter the number of concerns as a whole number, such as 11',
      });
    if (issues.length > 0) return form.failWith(issues);
    // The hub judges the figures (their range, and high above medium) and names the problem.
    set.mutate({ mediumFrom: Number(v.mediumFrom.trim()), highFrom: Number(v.highFrom.trim()) });
  };

  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">Risk bands for concerns</PageHeading>
      <p className="govuk-body">
        A setting&apos;s risk rating, and its provider&apos;s over all its settings, comes from the concerns
        that count — open or substantiated — that happened in the last 12 months. The rating is low below the
        medium band, medium from it, and high from the high band.
      </p>
      <InsetText>
        A level 2 concern that counts raises the rating to at least medium on its own, whatever the number.
      </InsetText>
      {saved ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">
            Saved: medium from {saved.mediumFrom} concerns, high from {saved.highFrom}. Every rating now uses
            these bands.
          </p>
        </NotificationBanner>
      ) : null}
      {bands.isPending ? (
        <Loading what="the risk bands" />
      ) : bands.isError ? (
        <ProblemText {...hubErrorOf(bands.error)} />
      ) : (
        <>
          <Table
            caption="Risk ratings by the number of counting concerns in the last 12 months"
            head={['Rating', 'Counting concerns']}
            rows={rowsOf(bands.data)}
          />
          <p className="govuk-body" data-testid="bands-source">
            {bands.data.isDefault
              ? 'These are the defaults (Medway’s figure 6): no one has changed them.'
              : `Set by the hub admin${bands.data.updatedAt ? ` on ${formatDateTime(bands.data.updatedAt)}` : ''}.`}
          </p>
        </>
      )}
      <h2 className="govuk-heading-m">Change the bands</h2>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['mediumFrom', 'highFrom']}
        label="Save the bands"
      >
        <TextInput
          id="mediumFrom"
          label="Medium from (concerns)"
          hint={`The least number of counting concerns rated medium${bands.data ? `; now ${bands.data.mediumFrom}` : ''}`}
          inputMode="numeric"
          width="3"
          value={v.mediumFrom}
          onChange={(x) => form.set('mediumFrom', x)}
          error={form.errorFor('mediumFrom')}
        />
        <TextInput
          id="highFrom"
          label="High from (concerns)"
          hint={`The least number rated high: more than medium${bands.data ? `; now ${bands.data.highFrom}` : ''}`}
          inputMode="numeric"
          width="3"
          value={v.highFrom}
          onChange={(x) => form.set('highFrom', x)}
          error={form.errorFor('highFrom')}
        />
        <Button disabled={set.isPending}>Save the bands</Button>
      </Form>
    </>
  );
};
