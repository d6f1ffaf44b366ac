// One outcome: its status, its fields and its history, with what its publisher may do next — change,
// publish or delete a draft, amend a published one.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  ButtonLink,
  InsetText,
  Loading,
  PageHeading,
  ProblemText,
  SummaryList,
  Table,
  Tag,
  PageLoadFailed,
} from '../../components/govuk.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Link, navigate } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC } from '../../trpc.js';
import {
  ACTION_STATUSES,
  ACTIVITY_TYPES,
  CONCERN_LEVELS,
  JUDGEMENTS,
  OUTCOME_STATUSES,
  ratingInWords,
  yesNo,
} from './labels.js';
import type { OutcomeDetail } from './outcome-content.js';
import { DoneBanner, SettingLink, WhyCanISee } from './parts.js';
import { MarkMetButton } from './deadlines.js';
import { Confirm } from '../admin/parts.js';

type Deleted = { provision: OutcomeDetail['provision'] };

const DONE = {
  'draft-saved': 'Draft saved. Only your authority can see it until you publish it.',
  'draft-updated': 'Draft updated.',
  published: 'Outcome published. Members with a need to know have been told.',
  amended: 'Amendment saved as a new version.',
};

const CHANGES: Record<string, string> = {
  published: 'Published',
  amended: 'Amended',
  withdrawn: 'Withdrawn',
  'action-item': 'Action item updated',
  created: 'Draft created',
};

const Detail = ({ o, onDeleted }: { o: OutcomeDetail; onDeleted: (d: Deleted) => void }) => {
  const trpc = useTRPC();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const { me, can } = useSession();
  const queryClient = useQueryClient();
  // Only the publisher's officers change an outcome.
  const mine = o.publisherAuthorityId === me.authority.id && can('officer');
  // A published outcome's publisher marks its action items met, which ends their deadlines.
  const markable = mine && (o.status === 'published' || o.status === 'amended');
  const publish = useMutation(
    trpc.outcomes.publish.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.outcomes.pathFilter());
        navigate(`/outcomes/${o.id}?done=published`);
      },
      // Refused (someone else changed it meanwhile): show the outcome as it now stands.
      onError: () => queryClient.invalidateQueries(trpc.outcomes.get.queryFilter({ id: o.id })),
    }),
  );
  // Only a draft is deleted (never seen by another authority); a published outcome is withdrawn.
  const remove = useMutation(
    trpc.outcomes.deleteDraft.mutationOptions({
      onSuccess: async () => {
        onDeleted({ provision: o.provision });
        queryClient.removeQueries(trpc.outcomes.get.queryFilter({ id: o.id }));
        await queryClient.invalidateQueries(trpc.outcomes.list.pathFilter());
        await queryClient.invalidateQueries(trpc.outcomes.listForProvision.pathFilter());
      },
      onError: () => {
        setConfirmingDelete(false);
        return queryClient.invalidateQueries(trpc.outcomes.get.queryFilter({ id: o.id }));
      },
    }),
  );
  const status = OUTCOME_STATUSES[o.status];
  const failure = publish.error ?? remove.error;
  const problem = failure ? hubErrorOf(failure) : null;
  if (confirmingDelete)
    return (
      <Confirm
        heading="Delete this draft?"
        warning="The draft is deleted for good. No other authority has seen it, so no one is told."
        confirmText="Yes, delete the draft"
        onConfirm={() => remove.mutate({ id: o.id, version: o.version })}
        onCancel={() => setConfirmingDelete(false)}
        busy={remove.isPending}
      >
        <p className="govuk-body">
          {ACTIVITY_TYPES[o.activityType]} on {formatDate(o.activityDate)} at{' '}
          {o.provision?.name ?? 'a setting'}
        </p>
      </Confirm>
    );
  return (
    <>
      <PageHeading caption={<SettingLink provision={o.provision} />}>
        {ACTIVITY_TYPES[o.activityType]} on {formatDate(o.activityDate)}
      </PageHeading>
      <DoneBanner messages={DONE} />
      {problem ? (
        <>
          <ProblemText
            message={
              problem.code === 'CONFLICT'
                ? `Someone else changed this outcome since you opened it (${problem.message}). The page now shows it as it stands: check it, then try again.`
                : problem.message
            }
            requestId={problem.requestId}
          />
        </>
      ) : null}
      <p className="govuk-body">
        Status: <Tag colour={status.colour}>{status.text}</Tag>{' '}
        <span className="govuk-body-s">(version {o.version})</span>
      </p>
      {o.restricted ? (
        <InsetText>
          Restricted information: only {o.publisherAuthority?.name ?? 'the publisher'} and those it shares
          with read this.
        </InsetText>
      ) : null}
      {mine && o.status !== 'withdrawn' ? (
        <div className="govuk-button-group">
          {o.status === 'draft' ? (
            <>
              <Button
                type="button"
                disabled={publish.isPending}
                onClick={() => publish.mutate({ id: o.id, version: o.version })}
              >
                Publish
              </Button>
              <ButtonLink to={`/outcomes/${o.id}/edit`} kind="secondary">
                Edit draft
              </ButtonLink>
              <Button kind="warning" type="button" onClick={() => setConfirmingDelete(true)}>
                Delete draft
              </Button>
            </>
          ) : (
            <ButtonLink to={`/outcomes/${o.id}/edit`} kind="secondary">
              Amend
            </ButtonLink>
          )}
        </div>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Setting', value: <SettingLink provision={o.provision} /> },
          { key: 'Published by', value: o.publisherAuthority?.name ?? o.publisherAuthorityId },
          { key: 'By the lead authority', value: yesNo(o.byLead) },
          { key: 'Type of activity', value: ACTIVITY_TYPES[o.activityType] },
          { key: 'Date of the activity', value: formatDate(o.activityDate) },
          { key: 'Announced in advance', value: yesNo(o.announced) },
          { key: 'Overall rating', value: ratingInWords(o.overallRating) },
          { key: 'Summary', value: o.summary },
          { key: 'Findings', value: o.findings || 'None recorded' },
          { key: 'Next activity due', value: o.nextDueOn ? formatDate(o.nextDueOn) : 'Not set' },
          { key: 'Restricted information', value: yesNo(o.restricted) },
          { key: 'Published', value: o.publishedAt ? formatDateTime(o.publishedAt) : 'Not yet (draft)' },
          ...(o.withdrawnReason ? [{ key: 'Why it was withdrawn', value: o.withdrawnReason }] : []),
        ]}
      />
      {o.sectionJudgements.length > 0 ? (
        <Table
          caption="Section judgements"
          head={['Section', 'Judgement', 'Comment']}
          rows={o.sectionJudgements.map((j, i) => ({
            key: String(i),
            cells: [j.section, JUDGEMENTS[j.judgement], j.comment ?? ''],
          }))}
        />
      ) : (
        <p className="govuk-body">No section judgements.</p>
      )}
      {o.actionItems.length > 0 ? (
        <Table
          caption="Action items"
          head={['Action', 'Concern level', 'Due', 'Status', ...(markable ? ['Progress'] : [])]}
          rows={o.actionItems.map((a) => ({
            key: a.id,
            cells: [
              a.description,
              CONCERN_LEVELS[a.concernLevel].split(' (')[0],
              `${formatDate(a.dueOn)}${a.dueOnFromPublication ? ' (counted again from publication)' : ''}`,
              ACTION_STATUSES[a.status],
              ...(markable
                ? [
                    a.status === 'met' ? (
                      ''
                    ) : (
                      <MarkMetButton key="m" outcomeId={o.id} version={o.version} item={a} />
                    ),
                  ]
                : []),
            ],
          }))}
        />
      ) : (
        <p className="govuk-body">No action items.</p>
      )}
      <Table
        caption="History"
        head={['Version', 'When', 'What changed', 'By', 'Note']}
        rows={[...o.history].reverse().map((h) => ({
          key: `${h.version}-${h.at}`,
          cells: [
            String(h.version),
            formatDateTime(h.at),
            CHANGES[h.change] ?? h.change,
            h.byAuthority?.name ?? h.byAuthorityId,
            h.note ?? '',
          ],
        }))}
      />
      <WhyCanISee recordType="outcome" recordId={o.id} />
    </>
  );
};

export const OutcomePage = ({ params }: PageProps) => {
  const trpc = useTRPC();
  const [deleted, setDeleted] = useState<Deleted | null>(null);
  const q = useQuery({ ...trpc.outcomes.get.queryOptions({ id: params.id! }), enabled: deleted === null });
  if (deleted)
    return (
      <>
        <PageHeading>Draft deleted</PageHeading>
        <p className="govuk-body">The draft outcome has been deleted. No other authority had seen it.</p>
        <p className="govuk-body">
          {deleted.provision ? (
            <>
              Back to <SettingLink provision={deleted.provision} />
            </>
          ) : (
            <Link to="/my-settings">Back to my settings</Link>
          )}
        </p>
      </>
    );
  if (q.isPending) return <Loading what="the outcome" />;
  if (q.error) return <PageLoadFailed title="Outcome" error={q.error} />;
  const o = q.data;
  if (o.layer === 'detail') return <Detail o={o} onDeleted={setDeleted} />;
  if (o.layer === 'summary')
    return (
      <>
        <PageHeading caption={<SettingLink provision={o.provision} />}>
          {ACTIVITY_TYPES[o.activityType]} on {formatDate(o.activityDate)}
        </PageHeading>
        <SummaryList
          rows={[
            {
              key: 'Status',
              value: <Tag colour={OUTCOME_STATUSES[o.status].colour}>{OUTCOME_STATUSES[o.status].text}</Tag>,
            },
            { key: 'Published by', value: o.publisherAuthority?.name ?? o.publisherAuthorityId },
            { key: 'Overall rating', value: ratingInWords(o.overallRating) },
          ]}
        />
        <InsetText>You see a summary: your authority has no need-to-know basis for the detail.</InsetText>
        <WhyCanISee recordType="outcome" recordId={o.id} />
      </>
    );
  return (
    <>
      <PageHeading caption={<SettingLink provision={o.provision} />}>Restricted information</PageHeading>
      <p className="govuk-body">{o.message}</p>
      <p className="govuk-body">Contact: {o.contact}</p>
      <p className="govuk-body">
        <Link to="/my-settings">Back to my settings</Link>
      </p>
    </>
  );
};
