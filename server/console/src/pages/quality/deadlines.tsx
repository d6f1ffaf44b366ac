// Deadlines that act when they pass: the Deadlines page (what this authority published, or leads,
// that is overdue or due within 30 days), the issuer's forms to record a letter of concern's compliance
// and a restriction's review, and the publisher's "mark as met" for an action item.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  DateInput,
  Loading,
  PageHeading,
  ProblemText,
  Radios,
  Table,
  Tag,
  Textarea,
} from '../../components/govuk.js';
import { formatDate, relativeDays } from '../../format.js';
import { Link, navigate } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import { dateProblem } from './parts.js';

type Deadline = Outputs['deadlines']['overdue']['items'][number];
type RestrictionDetail = Extract<Outputs['restrictions']['get'], { layer: 'detail' }>;

const KINDS: Record<Deadline['kind'], string> = {
  'action-item': 'Action item',
  compliance: 'Letter of concern: compliance',
  review: 'Restriction review',
};

const recordLink = (d: Deadline) =>
  d.recordType === 'outcome' ? `/outcomes/${d.recordId}` : `/restrictions/${d.recordId}`;

const DeadlineTable = ({ caption, items }: { caption: string; items: Deadline[] }) => (
  <Table
    caption={caption}
    head={['Due', 'What', 'Setting', 'Published by', 'Record']}
    rows={items.map((d) => ({
      key: `${d.recordId}-${d.kind}-${d.itemId ?? ''}`,
      cells: [
        <>
          {formatDate(d.dueOn)}{' '}
          <span className="govuk-body-s govuk-!-display-block">
            {d.state === 'overdue' ? (
              <Tag colour="red">
                {d.daysOverdue === 1 ? '1 day overdue' : `${d.daysOverdue} days overdue`}
              </Tag>
            ) : (
              relativeDays(d.dueOn)
            )}
          </span>
        </>,
        <>
          <strong>{KINDS[d.kind]}</strong>
          <span className="govuk-!-display-block">{d.message}</span>
        </>,
        d.provision?.name ?? d.provider?.name ?? d.provisionId ?? d.providerId ?? '',
        d.publisherAuthority?.name ?? d.publisherAuthorityId,
        <Link to={recordLink(d)} key="l" aria-label={`Open the ${d.recordType} behind: ${d.message}`}>
          Open the {d.recordType}
        </Link>,
      ],
    }))}
  />
);

export const DeadlinesPage = (_: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const q = useQuery(trpc.deadlines.overdue.queryOptions({ dueWithinDays: 30 }));
  const overdue = (q.data?.items ?? []).filter((d) => d.state === 'overdue');
  const soon = (q.data?.items ?? []).filter((d) => d.state === 'due-soon');
  return (
    <>
      <PageHeading caption={me.authority.name}>Deadlines</PageHeading>
      <p className="govuk-body">
        Action items, letters of concern and restriction reviews that {me.authority.name} published, or at the
        settings it leads: what has passed with nothing recorded, and what falls due within 30 days. Recording
        the provider&rsquo;s compliance, a review or an action met ends a deadline.
      </p>
      {q.isPending ? (
        <Loading what="the deadlines" />
      ) : q.error ? (
        <ProblemText message={hubErrorOf(q.error).message} requestId={hubErrorOf(q.error).requestId} />
      ) : (
        <>
          <h2 className="govuk-heading-m">Overdue ({overdue.length})</h2>
          {overdue.length === 0 ? (
            <p className="govuk-body">Nothing is overdue.</p>
          ) : (
            <DeadlineTable caption="Overdue, the oldest first" items={overdue} />
          )}
          <h2 className="govuk-heading-m">Due within 30 days ({soon.length})</h2>
          {soon.length === 0 ? (
            <p className="govuk-body">Nothing falls due in the next 30 days.</p>
          ) : (
            <DeadlineTable caption="Due soon, the soonest first" items={soon} />
          )}
        </>
      )}
    </>
  );
};

/** The issuer records whether the provider complied with a letter of concern. */
export const ComplianceForm = ({ r }: { r: RestrictionDetail }) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm(`restriction-comply:${r.id}`, { complied: '', recordedOn: '', note: '' });
  const comply = useMutation(
    trpc.restrictions.comply.mutationOptions({
      onSuccess: async () => {
        form.reset({ complied: '', recordedOn: '', note: '' });
        await queryClient.invalidateQueries(trpc.restrictions.pathFilter());
        await queryClient.invalidateQueries(trpc.deadlines.pathFilter());
        navigate(`/restrictions/${r.id}?done=compliance`);
      },
      onError: form.fail,
    }),
  );
  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    if (!form.values.complied)
      issues.push({ path: 'complied', message: 'Say whether the provider complied' });
    const d = dateProblem(form.values.recordedOn, 'the date it was recorded', false);
    if (d) issues.push({ path: 'recordedOn', message: d });
    if (issues.length > 0) return form.failWith(issues);
    comply.mutate({
      id: r.id,
      version: r.version,
      complied: form.values.complied === 'yes',
      ...(form.values.recordedOn ? { recordedOn: form.values.recordedOn } : {}),
      ...(form.values.note.trim() ? { note: form.values.note } : {}),
    });
  };
  return (
    <>
      <h2 className="govuk-heading-m">Record the provider&rsquo;s compliance</h2>
      <p className="govuk-body">
        {r.complianceDueOn ? `The compliance period ends on ${formatDate(r.complianceDueOn)}.` : null}{' '}
        {r.complianceRecordedOn
          ? `Recorded on ${formatDate(r.complianceRecordedOn)}: the provider ${r.complied ? 'complied' : 'did not comply'}.`
          : 'Nothing recorded yet.'}
      </p>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['complied', 'recordedOn', 'note', 'version']}
        label="Record the provider's compliance"
      >
        <Radios
          id="complied"
          legend="Did the provider comply?"
          error={form.errorFor('complied')}
          options={[
            { value: 'yes', label: 'Yes, it complied' },
            { value: 'no', label: 'No, it did not comply', hint: 'This stays a caution in placement checks' },
          ]}
          value={form.values.complied}
          onChange={(x) => form.set('complied', x)}
        />
        <DateInput
          id="recordedOn"
          legend="When? (optional)"
          hint="Leave empty for today"
          error={form.errorFor('recordedOn')}
          value={form.values.recordedOn}
          onChange={(x) => form.set('recordedOn', x)}
        />
        <Textarea
          id="note"
          label="Note (optional)"
          hint="What was found; kept with this version"
          error={form.errorFor('note')}
          value={form.values.note}
          onChange={(x) => form.set('note', x)}
          rows={2}
        />
        <Button disabled={comply.isPending}>Record compliance</Button>
      </Form>
    </>
  );
};

/** The issuer records a review of a restriction and sets the next review date. */
export const ReviewForm = ({ r }: { r: RestrictionDetail }) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm(`restriction-review:${r.id}`, { nextReviewOn: '', note: '' });
  const review = useMutation(
    trpc.restrictions.review.mutationOptions({
      onSuccess: async () => {
        form.reset({ nextReviewOn: '', note: '' });
        await queryClient.invalidateQueries(trpc.restrictions.pathFilter());
        await queryClient.invalidateQueries(trpc.deadlines.pathFilter());
        navigate(`/restrictions/${r.id}?done=reviewed`);
      },
      onError: form.fail,
    }),
  );
  const submit = () => {
    const d = dateProblem(form.values.nextReviewOn, 'the next review date', false);
    if (d) return form.failWith([{ path: 'nextReviewOn', message: d }]);
    review.mutate({
      id: r.id,
      version: r.version,
      nextReviewOn: form.values.nextReviewOn || null,
      ...(form.values.note.trim() ? { note: form.values.note } : {}),
    });
  };
  return (
    <>
      <h2 className="govuk-heading-m">Record a review</h2>
      <p className="govuk-body">
        {r.reviewOn ? `Review due on ${formatDate(r.reviewOn)}.` : 'No review date is set.'}
        {r.reviewedOn ? ` Last reviewed on ${formatDate(r.reviewedOn)}.` : ''}
      </p>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['nextReviewOn', 'reviewedOn', 'note', 'version']}
        label="Record a review"
      >
        <DateInput
          id="nextReviewOn"
          legend="Next review (optional)"
          hint="Leave empty for no further review"
          error={form.errorFor('nextReviewOn')}
          value={form.values.nextReviewOn}
          onChange={(x) => form.set('nextReviewOn', x)}
        />
        <Textarea
          id="reviewNote"
          label="What did the review find? (optional)"
          error={form.errorFor('note')}
          value={form.values.note}
          onChange={(x) => form.set('note', x)}
          rows={2}
        />
        <Button kind="secondary" disabled={review.isPending}>
          Record review
        </Button>
      </Form>
    </>
  );
};

/** The publisher marks one action item met, which ends its deadline. */
export const MarkMetButton = ({
  outcomeId,
  version,
  item,
}: {
  outcomeId: string;
  version: number;
  item: { id: string; description: string };
}) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const met = useMutation(
    trpc.outcomes.updateActionItem.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.outcomes.pathFilter());
        await queryClient.invalidateQueries(trpc.deadlines.pathFilter());
      },
    }),
  );
  return (
    <>
      <button
        type="button"
        className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
        data-module="govuk-button"
        disabled={met.isPending}
        onClick={() => met.mutate({ outcomeId, version, itemId: item.id, status: 'met' })}
        aria-label={`Mark as met: ${item.description}`}
      >
        Mark as met
      </button>
      {met.error ? <ProblemText message={hubErrorOf(met.error).message} /> : null}
    </>
  );
};
