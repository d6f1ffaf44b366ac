// Corrections of the directory: those awaiting the authority's decision (the settings it hosts, or every
// one for the hub admin), each accepted — the change is made as the decider's own edit — or declined
// with a note the proposer reads; and the authority's own proposals with what became of them.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  Loading,
  NotificationBanner,
  PageHeading,
  ProblemText,
  Table,
  Tag,
  Textarea,
} from '../../components/govuk.js';
import { Link, useSearchParams } from '../../navigation.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';

type Correction = Outputs['corrections']['get'];

const subjectOf = (c: Correction) =>
  c.provisionId ? (
    <Link to={`/partnership/directory/settings/${c.provisionId}`}>
      {c.provision ? `${c.provision.urn ? `${c.provision.urn} ` : ''}${c.provision.name}` : c.provisionId}
    </Link>
  ) : (
    `provider ${c.provider?.name ?? c.providerId}`
  );

const show = (v: unknown) =>
  v === null || v === undefined || v === ''
    ? 'none'
    : typeof v === 'object'
      ? JSON.stringify(v)
      : `${v as string | number | boolean}`;

const changesOf = (c: Correction) => (
  <ul className="govuk-list">
    {Object.entries(c.changes).map(([k, v]) => (
      <li key={k}>
        {k}: {show(c.was[k])} → <strong>{show(v)}</strong>
      </li>
    ))}
  </ul>
);

const STATUS_COLOUR = { proposed: 'blue', accepted: 'green', declined: 'grey' } as const;

/** Accept or decline one correction, with a note (required to decline). */
const Decide = ({ c, onDone }: { c: Correction; onDone: (what: string) => void }) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm(`hub:correction:${c.id}`, { note: '' });
  const after = (d: Correction) => {
    form.done();
    void queryClient.invalidateQueries(trpc.corrections.list.queryFilter());
    void queryClient.invalidateQueries(trpc.provisions.get.queryFilter());
    onDone(
      `${d.status === 'accepted' ? 'Accepted' : 'Declined'} the correction of ${d.provision?.name ?? d.provider?.name ?? 'the entry'}.`,
    );
  };
  const accept = useMutation(
    trpc.corrections.accept.mutationOptions({ onSuccess: after, onError: form.fail }),
  );
  const decline = useMutation(
    trpc.corrections.decline.mutationOptions({ onSuccess: after, onError: form.fail }),
  );
  const note = form.values.note.trim();
  return (
    <Form
      onSubmit={() => undefined}
      problem={form.problem}
      fields={[`note-${c.id}`]}
      label={`Decide correction ${c.id}`}
    >
      <Textarea
        id={`note-${c.id}`}
        label="Note (required to decline: the proposer reads it)"
        rows={2}
        value={form.values.note}
        onChange={(x) => form.set('note', x)}
        error={form.errorFor('note')}
      />
      <div className="govuk-button-group">
        <Button
          type="button"
          disabled={accept.isPending || decline.isPending}
          onClick={() => accept.mutate({ id: c.id, version: c.version, ...(note ? { note } : {}) })}
        >
          Accept
        </Button>
        <Button
          type="button"
          kind="secondary"
          disabled={accept.isPending || decline.isPending}
          onClick={() =>
            note
              ? decline.mutate({ id: c.id, version: c.version, note })
              : form.failWith([{ path: 'note', message: 'Say why you decline it' }])
          }
        >
          Decline
        </Button>
      </div>
    </Form>
  );
};

export const CorrectionsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const mine = useSearchParams().get('view') === 'mine';
  const view = mine ? 'proposed-by-me' : 'awaiting-my-decision';
  const list = useQuery(trpc.corrections.list.queryOptions({ view, limit: 200 }));
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeading caption="The directory">
        {mine ? 'Corrections you proposed' : 'Corrections awaiting your decision'}
      </PageHeading>
      <p className="govuk-body">
        {mine ? (
          <Link to="/partnership/corrections">Corrections awaiting your decision</Link>
        ) : (
          <Link to="/partnership/corrections?view=mine">Corrections you proposed</Link>
        )}
      </p>
      {done ? (
        <NotificationBanner success>
          <p className="govuk-notification-banner__heading">{done}</p>
        </NotificationBanner>
      ) : null}
      {list.isPending ? (
        <Loading what="the corrections" />
      ) : list.isError ? (
        <ProblemText {...hubErrorOf(list.error)} />
      ) : list.data.items.length === 0 ? (
        <p className="govuk-body">
          {mine ? 'Your authority has proposed no corrections.' : 'None await your decision.'}
        </p>
      ) : mine ? (
        <Table
          caption="Your proposals"
          head={['Setting or provider', 'Changes', 'Reason', 'Status', 'Decision']}
          rows={list.data.items.map((c) => ({
            key: c.id,
            cells: [
              subjectOf(c),
              changesOf(c),
              c.reason,
              <Tag colour={STATUS_COLOUR[c.status]}>{c.status}</Tag>,
              c.decisionNote ?? '',
            ],
          }))}
        />
      ) : (
        list.data.items.map((c) => (
          <section
            key={c.id}
            className="govuk-!-margin-bottom-8"
            aria-label={`Correction of ${c.provision?.name ?? c.provider?.name ?? c.id}`}
          >
            <h2 className="govuk-heading-m">{subjectOf(c)}</h2>
            <p className="govuk-body">
              Proposed by {c.proposerAuthority?.name ?? c.proposerAuthorityId}: {c.reason}
            </p>
            {changesOf(c)}
            <Decide c={c} onDone={setDone} />
          </section>
        ))
      )}
    </>
  );
};
