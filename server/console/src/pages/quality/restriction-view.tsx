// One restriction: its kind, what it applies to, its status and history; its issuer may lift it
// (restrictions.lift, naming the version read and why).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  Button,
  DateInput,
  InsetText,
  Loading,
  PageHeading,
  SummaryList,
  Table,
  Tag,
  Textarea,
  PageLoadFailed,
} from '../../components/govuk.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Link, navigate } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { useTRPC, type Outputs } from '../../trpc.js';
import {
  CONTRACT_SCOPES,
  REASON_CATEGORIES,
  RESTRICTION_KINDS,
  RESTRICTION_STATUSES,
  yesNo,
} from './labels.js';
import { DoneBanner, SettingLink, WhyCanISee, dateProblem } from './parts.js';
import { ComplianceForm, ReviewForm } from './deadlines.js';

type RestrictionDetail = Extract<Outputs['restrictions']['get'], { layer: 'detail' }>;

const DONE = {
  created: 'Restriction added. Members with a need to know have been told.',
  joined:
    'This regulator notice was already recorded: your authority joined the existing record as a relayer, and no second record was made.',
  lifted: 'Restriction lifted.',
  compliance: "The provider's compliance is recorded.",
  reviewed: 'The review is recorded.',
};

const Target = ({
  r,
}: {
  r: { provision?: RestrictionDetail['provision']; provider?: RestrictionDetail['provider'] };
}) =>
  r.provision ? (
    <SettingLink provision={r.provision} />
  ) : (
    <>every setting of {r.provider?.name ?? 'the provider'}</>
  );

/** Who relayed a regulator notice (public), first relayer first; null for a member's own restriction. */
const relayersRow = (r: { relayers?: RestrictionDetail['relayers'] }) =>
  r.relayers && r.relayers.length > 0
    ? [
        {
          key: 'Relayed by',
          value: (
            <ul className="govuk-list">
              {r.relayers.map((x) => (
                <li key={x.authorityId}>
                  {x.authority?.name ?? x.authorityId} ({x.authorityId}), {formatDateTime(x.at)}
                </li>
              ))}
            </ul>
          ),
        },
      ]
    : [];

const LiftForm = ({ r }: { r: RestrictionDetail }) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm(`restriction-lift:${r.id}`, { reason: '', liftedOn: '' });
  const lift = useMutation(
    trpc.restrictions.lift.mutationOptions({
      onSuccess: async () => {
        form.done();
        await queryClient.invalidateQueries(trpc.restrictions.pathFilter());
        navigate(`/restrictions/${r.id}?done=lifted`);
      },
      onError: form.fail,
    }),
  );
  const submit = () => {
    const issues: { path: string; message: string }[] = [];
    if (form.values.reason.trim().length < 3)
      issues.push({ path: 'reason', message: 'Say why it is lifted' });
    const d = dateProblem(form.values.liftedOn, 'the date it was lifted', false);
    if (d) issues.push({ path: 'liftedOn', message: d });
    if (issues.length > 0) return form.failWith(issues);
    lift.mutate({
      id: r.id,
      version: r.version,
      reason: form.values.reason,
      ...(form.values.liftedOn ? { liftedOn: form.values.liftedOn } : {}),
    });
  };
  return (
    <>
      <h2 className="govuk-heading-m">Lift this restriction</h2>
      <Form
        onSubmit={submit}
        problem={form.problem}
        fields={['reason', 'liftedOn', 'version']}
        label="Lift this restriction"
      >
        <Textarea
          id="reason"
          label="Why is it lifted?"
          hint="Members who see the restriction read this"
          error={form.errorFor('reason')}
          value={form.values.reason}
          onChange={(x) => form.set('reason', x)}
          rows={2}
        />
        <DateInput
          id="liftedOn"
          legend="When was it lifted? (optional)"
          hint="Leave empty for today"
          error={form.errorFor('liftedOn')}
          value={form.values.liftedOn}
          onChange={(x) => form.set('liftedOn', x)}
        />
        <Button kind="warning" disabled={lift.isPending}>
          Lift restriction
        </Button>
      </Form>
    </>
  );
};

const Detail = ({ r }: { r: RestrictionDetail }) => {
  const { me, can } = useSession();
  const status = RESTRICTION_STATUSES[r.status];
  // The issuer's officers lift a restriction; a regulator notice's relayers' officers too.
  const mine =
    (r.issuerAuthorityId === me.authority.id ||
      (r.relayers ?? []).some((x) => x.authorityId === me.authority.id)) &&
    can('officer');
  return (
    <>
      <PageHeading caption={<Target r={r} />}>{RESTRICTION_KINDS[r.kind]}</PageHeading>
      <DoneBanner messages={DONE} />
      <p className="govuk-body">
        Status: <Tag colour={status.colour}>{status.text}</Tag>{' '}
        <span className="govuk-body-s">(version {r.version})</span>
      </p>
      {r.restricted ? (
        <InsetText>
          Restricted information: only {r.issuerAuthority?.name ?? 'the issuer'} and those it shares with read
          this.
        </InsetText>
      ) : null}
      <SummaryList
        rows={[
          { key: 'Applies to', value: <Target r={r} /> },
          { key: 'Provider-wide', value: yesNo(r.providerId !== null && r.provisionId === null) },
          { key: 'Issued by', value: r.issuerAuthority?.name ?? r.issuerAuthorityId },
          {
            key: 'Source',
            value: r.source === 'regulator' ? 'The regulator (Ofsted)' : 'A member authority',
          },
          ...(r.regulatorReference ? [{ key: "Regulator's reference", value: r.regulatorReference }] : []),
          ...relayersRow(r),
          { key: 'For the whole partnership', value: yesNo(r.partnershipWide) },
          { key: 'Takes effect', value: formatDate(r.effectiveFrom) },
          { key: 'Review', value: r.reviewOn ? formatDate(r.reviewOn) : 'Not set' },
          { key: 'Ends by itself', value: r.expiresOn ? formatDate(r.expiresOn) : 'No' },
          { key: 'Comply by', value: r.complianceDueOn ? formatDate(r.complianceDueOn) : 'Not set' },
          ...(r.complianceRecordedOn
            ? [
                {
                  key: 'Compliance',
                  value: `${r.complied ? 'Complied' : 'Did not comply'} (recorded ${formatDate(r.complianceRecordedOn)})${r.complianceNote ? `: ${r.complianceNote}` : ''}`,
                },
              ]
            : []),
          ...(r.reviewedOn ? [{ key: 'Last reviewed', value: formatDate(r.reviewedOn) }] : []),
          {
            key: 'Contracts',
            value: `${CONTRACT_SCOPES[r.contractScope]}${r.contractReference ? ` (${r.contractReference})` : ''}`,
          },
          { key: 'Summary', value: r.summary || 'None' },
          { key: 'Details', value: r.details || 'None' },
          { key: 'Restricted information', value: yesNo(r.restricted) },
          ...(r.liftedOn
            ? [
                {
                  key: 'Lifted',
                  value: `${formatDate(r.liftedOn)}${r.liftedByAuthorityId ? ` by ${r.liftedByAuthority?.name ?? r.liftedByAuthorityId}` : ''}${r.liftedReason ? `: ${r.liftedReason}` : ''}`,
                },
              ]
            : []),
        ]}
      />
      <Table
        caption="Reasons"
        head={['Category', 'Reason']}
        rows={r.reasons.map((x, i) => ({ key: String(i), cells: [REASON_CATEGORIES[x.category], x.text] }))}
      />
      <Table
        caption="History"
        head={['Version', 'When', 'What changed', 'By', 'Note']}
        rows={[...r.history].reverse().map((h) => ({
          key: `${h.version}-${h.at}`,
          cells: [
            String(h.version),
            formatDateTime(h.at),
            h.change.charAt(0).toUpperCase() + h.change.slice(1).replace(/-/g, ' '),
            h.byAuthority?.name ?? h.byAuthorityId,
            h.note ?? '',
          ],
        }))}
      />
      <WhyCanISee recordType="restriction" recordId={r.id} />
      {mine && r.status === 'active' && r.complianceDueOn ? <ComplianceForm r={r} /> : null}
      {mine && r.status === 'active' ? <ReviewForm r={r} /> : null}
      {mine && (r.status === 'active' || r.status === 'pending') ? <LiftForm r={r} /> : null}
    </>
  );
};

export const RestrictionPage = ({ params }: PageProps) => {
  const trpc = useTRPC();
  const q = useQuery(trpc.restrictions.get.queryOptions({ id: params.id! }));
  if (q.isPending) return <Loading what="the restriction" />;
  if (q.error) return <PageLoadFailed title="Restriction" error={q.error} />;
  const r = q.data;
  if (r.layer === 'detail') return <Detail r={r} />;
  if (r.layer === 'summary')
    return (
      <>
        <PageHeading caption={<Target r={r} />}>{RESTRICTION_KINDS[r.kind]}</PageHeading>
        <SummaryList
          rows={[
            {
              key: 'Status',
              value: (
                <Tag colour={RESTRICTION_STATUSES[r.status].colour}>
                  {RESTRICTION_STATUSES[r.status].text}
                </Tag>
              ),
            },
            { key: 'Issued by', value: r.issuerAuthority?.name ?? r.issuerAuthorityId },
            ...relayersRow(r),
            { key: 'Takes effect', value: formatDate(r.effectiveFrom) },
          ]}
        />
        <WhyCanISee recordType="restriction" recordId={r.id} />
      </>
    );
  return (
    <>
      <PageHeading caption={<Target r={r} />}>Restricted information</PageHeading>
      <p className="govuk-body">{r.message}</p>
      <p className="govuk-body">Contact: {r.contact}</p>
      <p className="govuk-body">
        <Link to="/my-settings">Back to my settings</Link>
      </p>
    </>
  );
};
