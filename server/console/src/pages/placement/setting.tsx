// A setting's page: the placement check's verdict with every reason, the record behind it and whom to
// contact; the directory's facts; outcomes, restrictions and concerns at the layer this person may see,
// each with "Why can I see this?"; and, below detail, a request for pre-placement access that shows
// the detail at once.
import { useEffect, useState, type ReactNode } from 'react';
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
  SummaryList,
  Tag,
  TextInput,
  Textarea,
} from '../../components/govuk.js';
import { formatDate, formatDateTime } from '../../format.js';
import { Link } from '../../navigation.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import {
  LAYER_ABOUT,
  LAYER_COLOUR,
  LAYER_WORDS,
  MONITORING_WORDS,
  RECORD_WORDS,
  REASON_RECORD,
  RISK_WORDS,
  TYPE_WORDS,
  VERDICT_ADVICE,
  VERDICT_COLOUR,
  VERDICT_WORDS,
  recordAnchor,
  words,
  type CheckReason,
  type Layer,
  type PlacementCheck,
} from './labels.js';
import { CONCERN_CATEGORIES, LOGGED_CONCERN_LEVELS } from '../quality/labels.js';
import { PlacingAuthorities } from './placing-authorities.js';
import { WhyCanISee } from './why.js';

type OutcomeView = Outputs['outcomes']['listForProvision'][number];
type RestrictionView = Outputs['restrictions']['list']['items'][number];
type ConcernList = Outputs['concerns']['list'];
type Grant = Outputs['access']['requestProspective'];

const RATING = ['no concerns', 'minor', 'moderate', 'significant', 'catastrophic'];
const ratingInWords = (r: number) => `${r} of 5 (${RATING[r - 1] ?? 'unknown'}), where 5 is the most serious`;

const LayerTag = ({ layer }: { layer: Layer }) => (
  <Tag colour={LAYER_COLOUR[layer]}>
    <span className="govuk-visually-hidden">Shown at layer: </span>
    {LAYER_WORDS[layer]}
  </Tag>
);

const Mail = ({ to }: { to: string }) =>
  /^[^\s@]+@[^\s@]+$/.test(to) ? (
    <a className="govuk-link" href={`mailto:${to}`}>
      {to}
    </a>
  ) : (
    <>{to}</>
  );

/** A restricted signal's words: the hub's message ends with whom to contact; show it as a link. */
const Signal = ({ message, contact }: { message: string; contact: string }) => (
  <>
    <p className="govuk-body">{message.charAt(0).toUpperCase() + message.slice(1)}.</p>
    <p className="govuk-body">
      Contact: <Mail to={contact} />
    </p>
  </>
);

// --- the verdict -------------------------------------------------------------------------------------

const ReasonItem = ({ reason, hasRecord }: { reason: CheckReason; hasRecord: (id: string) => boolean }) => {
  const type = REASON_RECORD[reason.code];
  return (
    <li className="govuk-!-margin-bottom-3" data-testid="verdict-reason">
      <Tag colour={VERDICT_COLOUR[reason.verdict]}>{VERDICT_WORDS[reason.verdict]}</Tag>{' '}
      <span>{reason.message.charAt(0).toUpperCase() + reason.message.slice(1)}.</span>
      <br />
      <span className="govuk-body-s">
        Record:{' '}
        {reason.recordId && type && hasRecord(reason.recordId) ? (
          <a className="govuk-notification-banner__link" href={`#${recordAnchor(type, reason.recordId)}`}>
            the {RECORD_WORDS[type]} below
          </a>
        ) : reason.recordId && type ? (
          `a ${RECORD_WORDS[type]} (${reason.recordId})`
        ) : reason.code === 'restricted-information' ? (
          'restricted: its holder is named as the contact'
        ) : (
          'the setting’s directory facts'
        )}
        {reason.contact ? (
          <>
            {' '}
            · Contact:{' '}
            <a className="govuk-notification-banner__link" href={`mailto:${reason.contact}`}>
              {reason.contact}
            </a>
          </>
        ) : null}
      </span>
    </li>
  );
};

const Verdict = ({ check, hasRecord }: { check: PlacementCheck; hasRecord: (id: string) => boolean }) => (
  <div data-testid="verdict" data-verdict={check.verdict}>
    <NotificationBanner title="Placement check" focus={false}>
      <p className="govuk-notification-banner__heading">
        Verdict: <Tag colour={VERDICT_COLOUR[check.verdict]}>{VERDICT_WORDS[check.verdict]}</Tag>
      </p>
      <p className="govuk-body">{VERDICT_ADVICE[check.verdict]}</p>
      {check.reasons.length > 0 ? (
        <>
          <h3 className="govuk-heading-s">
            {check.reasons.length === 1 ? 'The reason' : `All ${check.reasons.length} reasons`}
          </h3>
          <ul className="govuk-list">
            {check.reasons.map((r, i) => (
              <ReasonItem key={`${r.code}-${i}`} reason={r} hasRecord={hasRecord} />
            ))}
          </ul>
        </>
      ) : (
        <p className="govuk-body">There are no reasons for caution.</p>
      )}
      <p className="govuk-body-s govuk-!-margin-bottom-0">Checked {formatDateTime(check.checkedAt)}.</p>
    </NotificationBanner>
  </div>
);

// --- the directory's facts ---------------------------------------------------------------------------

const Facts = ({ check, id }: { check: PlacementCheck; id: string }) => {
  const trpc = useTRPC();
  const provision = useQuery(trpc.provisions.get.queryOptions({ id }));
  const { can, me } = useSession();
  const p = check.provision;
  const host = provision.data?.hostAuthority?.name ?? p.hostAuthorityId;
  return (
    <section aria-labelledby="facts-heading">
      <h2 className="govuk-heading-m" id="facts-heading">
        About the setting
      </h2>
      <SummaryList
        rows={[
          { key: 'URN', value: p.urn ?? 'None (not registered with Ofsted)' },
          { key: 'Type', value: TYPE_WORDS[p.type] },
          {
            key: 'Provider',
            value: `${check.provider.name}${check.provider.companyNumber ? ` (company ${check.provider.companyNumber})` : ''}`,
          },
          { key: 'Host authority', value: host },
          { key: 'Postcode', value: p.postcode ?? 'Not recorded' },
          { key: 'Registration', value: words(p.registrationStatus) },
          {
            key: 'Ofsted grade',
            value: `${words(p.ofstedGrade)}${p.ofstedGradeDate ? ` (${formatDate(p.ofstedGradeDate)})` : ''}`,
          },
          {
            key: 'Lead authority',
            value: check.lead ? (
              <>
                {check.lead.name} since {formatDate(check.lead.since)}
                <br />
                <Mail to={check.lead.qaInbox} />
              </>
            ) : (
              'None allocated'
            ),
          },
          {
            key: 'Monitoring',
            value: `${MONITORING_WORDS[check.monitoring.status]}${
              check.monitoring.lastMonitoredOn
                ? `; last ${formatDate(check.monitoring.lastMonitoredOn)}`
                : '; never monitored'
            }${check.monitoring.nextDueOn ? `; next due ${formatDate(check.monitoring.nextDueOn)}` : ''}${
              check.monitoring.daysOverdue > 0 ? ` (${check.monitoring.daysOverdue} days overdue)` : ''
            }`,
          },
          {
            key: 'Concerns risk',
            value: `${RISK_WORDS[check.riskRag]} (${check.concernsLast12Months} in the last 12 months); provider: ${RISK_WORDS[check.providerRiskRag]} (${check.providerConcernsLast12Months} over all its settings)`,
          },
        ]}
      />
      {can('officer') ? (
        <p className="govuk-body">
          <Link to={`/partnership/directory/settings/${id}`}>
            {can('hub-admin') || provision.data?.hostAuthorityId === me.authority.id
              ? 'Change these facts'
              : 'Propose a correction of these facts'}
          </Link>
        </p>
      ) : null}
      <WhyCanISee input={{ provisionId: id }} />
    </section>
  );
};

// --- the records -------------------------------------------------------------------------------------

const RecordBox = ({
  anchor,
  title,
  to,
  layer,
  children,
  explain,
}: {
  anchor?: string;
  title: string;
  /** The record's own page, linked from the title. */
  to?: string;
  layer: Layer;
  children: ReactNode;
  explain: Parameters<typeof WhyCanISee>[0]['input'];
}) => (
  <article
    id={anchor}
    className="govuk-!-margin-bottom-6"
    data-testid="record"
    data-layer={layer}
    aria-label={title}
  >
    <h3 className="govuk-heading-s govuk-!-margin-bottom-2">{to ? <Link to={to}>{title}</Link> : title}</h3>
    <p className="govuk-body govuk-!-margin-bottom-2">
      <LayerTag layer={layer} /> <span className="govuk-body-s">{LAYER_ABOUT[layer]}</span>
    </p>
    {children}
    <WhyCanISee input={explain} />
  </article>
);

const Outcome = ({ o }: { o: OutcomeView; provisionId: string }) => {
  // Shown, whatever its kind, under Restricted information (a signal names no kind).
  if (o.layer === 'signal') return null;
  const title = `${words(o.activityType)} on ${formatDate(o.activityDate)}`;
  const rows = [
    { key: 'Published by', value: o.publisherAuthority?.name ?? o.publisherAuthorityId },
    { key: 'Overall rating', value: ratingInWords(o.overallRating) },
    { key: 'Status', value: words(o.status) },
  ];
  return (
    <RecordBox
      anchor={recordAnchor('outcome', o.id)}
      title={title}
      layer={o.layer}
      explain={{ recordType: 'outcome', recordId: o.id }}
    >
      {o.layer === 'detail' ? (
        <SummaryList
          rows={[
            ...rows,
            { key: 'Summary', value: o.summary },
            { key: 'Findings', value: o.findings },
            ...o.sectionJudgements.map((s) => ({
              key: s.section,
              value: `${words(s.judgement)}${s.comment ? `: ${s.comment}` : ''}`,
            })),
            {
              key: 'Actions',
              value:
                o.actionItems.length === 0 ? (
                  'None'
                ) : (
                  <ul className="govuk-list">
                    {o.actionItems.map((a) => (
                      <li key={a.id}>
                        {a.description} ({words(a.concernLevel)} concern, {words(a.status).toLowerCase()}, due{' '}
                        {formatDate(a.dueOn)})
                      </li>
                    ))}
                  </ul>
                ),
            },
            ...(o.restricted ? [{ key: 'Restricted', value: 'Yes: shared only with a need to know' }] : []),
          ]}
        />
      ) : (
        <SummaryList rows={rows} />
      )}
    </RecordBox>
  );
};

const Restriction = ({ r }: { r: RestrictionView; provisionId: string }) => {
  if (r.layer === 'signal') return null;
  const rows = [
    { key: 'Issued by', value: r.issuerAuthority?.name ?? r.issuerAuthorityId },
    { key: 'Status', value: words(r.status) },
    {
      key: 'Applies to',
      value: r.provisionId ? 'This setting' : `Every setting of ${r.provider?.name ?? 'the provider'}`,
    },
    { key: 'In force from', value: formatDate(r.effectiveFrom) },
    ...(r.partnershipWide ? [{ key: 'Partnership-wide', value: 'Yes: applies to every member' }] : []),
    ...(r.reviewOn ? [{ key: 'Review on', value: formatDate(r.reviewOn) }] : []),
    ...(r.expiresOn ? [{ key: 'Expires on', value: formatDate(r.expiresOn) }] : []),
  ];
  return (
    <RecordBox
      anchor={recordAnchor('restriction', r.id)}
      title={`${words(r.kind)} (${r.source === 'regulator' ? 'regulator' : 'member'})`}
      layer={r.layer}
      explain={{ recordType: 'restriction', recordId: r.id }}
    >
      {r.layer === 'detail' ? (
        <SummaryList
          rows={[
            ...rows,
            ...(r.summary ? [{ key: 'Summary', value: r.summary }] : []),
            {
              key: 'Reasons',
              value: (
                <ul className="govuk-list">
                  {r.reasons.map((x, i) => (
                    <li key={i}>
                      {words(x.category)}: {x.text}
                    </li>
                  ))}
                </ul>
              ),
            },
            ...(r.details ? [{ key: 'Details', value: r.details }] : []),
          ]}
        />
      ) : (
        <SummaryList rows={rows} />
      )}
    </RecordBox>
  );
};

const countingConcerns = (n: number) => (n === 1 ? '1 counting concern' : `${n} counting concerns`);

const Concerns = ({ data }: { data: ConcernList; provisionId: string }) => (
  <>
    <p className="govuk-body">
      {data.concernsLast12Months === 1
        ? '1 concern was logged'
        : `${data.concernsLast12Months} concerns were logged`}{' '}
      in the last 12 months (risk: {RISK_WORDS[data.riskRag].toLowerCase()}).
      {data.notVisible > 0
        ? ` ${data.notVisible} of them you may not read: your authority has no need-to-know basis for them.`
        : ''}
    </p>
    <SummaryList
      rows={[
        {
          key: 'This setting’s risk',
          value: `${RISK_WORDS[data.riskRag]} (${countingConcerns(data.concernsLast12Months)} in the last 12 months)`,
        },
        {
          key: 'The provider’s risk',
          value: `${RISK_WORDS[data.providerRiskRag]} (${countingConcerns(data.providerConcernsLast12Months)} in the last 12 months, over all its settings)`,
        },
      ]}
    />
    {data.items.map((c, i) =>
      c.layer === 'signal' ? (
        <span key={`s${i}`} hidden />
      ) : (
        <RecordBox
          key={c.id}
          anchor={recordAnchor('concern', c.id)}
          title={`${CONCERN_CATEGORIES[c.category]} concern on ${formatDate(c.occurredOn)}`}
          to={`/concerns/${c.id}`}
          layer="detail"
          explain={{ recordType: 'concern', recordId: c.id }}
        >
          <SummaryList
            rows={[
              { key: 'Logged by', value: c.loggedByAuthority?.name ?? c.loggedByAuthorityId },
              { key: 'What it is about', value: CONCERN_CATEGORIES[c.category] },
              { key: 'Level', value: LOGGED_CONCERN_LEVELS[c.level] },
              { key: 'Status', value: words(c.status) },
              {
                key: 'Counts towards the risk',
                value: c.counts ? 'Yes (open or substantiated)' : 'No (unsubstantiated or closed)',
              },
              { key: 'Summary', value: c.summary },
            ]}
          />
        </RecordBox>
      ),
    )}
  </>
);

type SignalView = { contact: string; message: string; signalIds: string[] };

/**
 * Restricted information held here, whatever its kind (DESIGN.md §3; Medway shares on a need-to-know
 * basis): one box per authority holding some, saying only whom to contact.
 */
const RestrictedInformation = ({ signals, provisionId }: { signals: SignalView[]; provisionId: string }) => {
  const byAuthority = new Map<string, SignalView>();
  for (const s of signals) {
    const k = `${s.contact}|${s.message}`;
    const known = byAuthority.get(k);
    byAuthority.set(k, known ? { ...known, signalIds: [...known.signalIds, ...s.signalIds] } : s);
  }
  if (byAuthority.size === 0) return null;
  return (
    <section aria-labelledby="restricted-heading" className="govuk-!-margin-top-8">
      <h2 className="govuk-heading-m" id="restricted-heading">
        Restricted information
      </h2>
      {[...byAuthority.values()].map((s) => (
        <RecordBox
          key={s.signalIds[0] ?? s.contact}
          title="Restricted information"
          layer="signal"
          explain={{ provisionId }}
        >
          <Signal message={s.message} contact={s.contact} />
        </RecordBox>
      ))}
    </section>
  );
};

const Section = ({
  id,
  title,
  query,
  children,
}: {
  id: string;
  title: string;
  query: { isPending: boolean; error: unknown };
  children: () => ReactNode;
}) => (
  <section aria-labelledby={`${id}-heading`} className="govuk-!-margin-top-8">
    <h2 className="govuk-heading-m" id={`${id}-heading`}>
      {title}
    </h2>
    {query.isPending ? (
      <Loading what={title.toLowerCase()} />
    ) : query.error ? (
      <p className="govuk-body">{hubErrorOf(query.error).message}</p>
    ) : (
      children()
    )}
  </section>
);

// --- pre-placement access ----------------------------------------------------------------------------

const RequestAccess = ({
  provisionId,
  onGranted,
}: {
  provisionId: string;
  onGranted: (g: Grant) => void;
}) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useHubForm(`placement:prospective:${provisionId}`, {
    reason: '',
    caseReference: '',
    days: '7',
  });
  const { values, set } = form;
  const request = useMutation(
    trpc.access.requestProspective.mutationOptions({
      onSuccess: async (grant) => {
        form.reset({ reason: '', caseReference: '', days: '7' });
        // Every record of the setting is read again, now at the layer the grant gives.
        await Promise.all([
          queryClient.invalidateQueries(trpc.checks.pathFilter()),
          queryClient.invalidateQueries(trpc.outcomes.pathFilter()),
          queryClient.invalidateQueries(trpc.restrictions.pathFilter()),
          queryClient.invalidateQueries(trpc.concerns.pathFilter()),
          queryClient.invalidateQueries(trpc.access.pathFilter()),
        ]);
        onGranted(grant);
      },
      onError: form.fail,
    }),
  );
  return (
    <section aria-labelledby="request-heading" className="govuk-!-margin-top-8">
      <h2 className="govuk-heading-m" id="request-heading">
        Request pre-placement access
      </h2>
      <p className="govuk-body">
        If you are considering this setting for a child, your authority may see its records in full for up to
        14 days. The request is granted at once and recorded with your reason and case reference.
      </p>
      <Form
        label="Request pre-placement access"
        problem={form.problem}
        fields={['reason', 'caseReference', 'days']}
        onSubmit={() => {
          form.clearProblem();
          const days = values.days.trim() === '' ? undefined : Number(values.days.trim());
          if (days !== undefined && !Number.isInteger(days))
            return form.failWith([
              { path: 'days', message: 'Enter the number of days as a whole number, such as 7' },
            ]);
          request.mutate({
            provisionId,
            reason: values.reason,
            caseReference: values.caseReference,
            ...(days !== undefined ? { days } : {}),
          });
        }}
      >
        <Textarea
          id="reason"
          label="Why do you need to see the detail?"
          hint="At least 10 characters. Do not name the child."
          value={values.reason}
          onChange={(v) => set('reason', v)}
          error={form.errorFor('reason')}
          rows={3}
        />
        <TextInput
          id="caseReference"
          label="Case reference"
          hint="The case's reference in your own system, such as CR-2026-0412"
          value={values.caseReference}
          onChange={(v) => set('caseReference', v)}
          error={form.errorFor('caseReference')}
          spellCheck={false}
          width="20"
        />
        <TextInput
          id="days"
          label="For how many days?"
          hint="From 1 to 14"
          value={values.days}
          onChange={(v) => set('days', v)}
          error={form.errorFor('days')}
          inputMode="numeric"
          width="2"
        />
        <Button disabled={request.isPending}>Request access</Button>
      </Form>
    </section>
  );
};

// --- the page ----------------------------------------------------------------------------------------

export const SettingPage = ({ params }: PageProps) => {
  const id = params.id!;
  const trpc = useTRPC();
  const { can } = useSession();
  const [granted, setGranted] = useState<Grant | null>(null);
  const check = useQuery(trpc.checks.placement.queryOptions({ provisionId: id }));
  const explain = useQuery(trpc.access.explain.queryOptions({ provisionId: id }));
  const outcomes = useQuery(trpc.outcomes.listForProvision.queryOptions({ provisionId: id }));
  const restrictions = useQuery(trpc.restrictions.list.queryOptions({ provisionId: id, limit: 200 }));
  const concerns = useQuery(trpc.concerns.list.queryOptions({ provisionId: id }));
  const name = check.data?.provision.name;
  useEffect(() => {
    // The window's title names the setting, not just "Setting" (WCAG 2.4.2).
    if (name) document.title = `${name} – ccx`;
  }, [name]);

  if (check.isPending)
    return (
      <>
        <PageHeading>Setting</PageHeading>
        <Loading what="the placement check" />
      </>
    );
  if (check.error) {
    const p = hubErrorOf(check.error);
    return (
      <>
        <BackLink to="/settings">Find a setting</BackLink>
        <PageHeading>
          {p.code === 'NOT_FOUND' ? 'Setting not found' : 'Sorry, there is a problem'}
        </PageHeading>
        <ProblemText message={p.message} requestId={p.requestId} />
      </>
    );
  }
  const c = check.data;
  const recordIds = new Set<string>([
    ...(outcomes.data ?? []).flatMap((o) => (o.layer === 'signal' ? [] : [o.id])),
    ...(restrictions.data?.items ?? []).flatMap((r) => (r.layer === 'signal' ? [] : [r.id])),
    ...(concerns.data?.items ?? []).flatMap((x) => (x.layer === 'signal' ? [] : [x.id])),
  ]);
  const layer = explain.data?.layer;
  return (
    <>
      <BackLink to="/settings">Find a setting</BackLink>
      {granted ? (
        <NotificationBanner success title="Success">
          <p className="govuk-notification-banner__heading">
            You have pre-placement access to {c.provision.name}
            {granted.expiresAt ? ` until ${formatDateTime(granted.expiresAt)}` : ''}.
          </p>
          <p className="govuk-body">The records below now show what that access lets you see.</p>
        </NotificationBanner>
      ) : null}
      <PageHeading caption={c.provider.name}>{c.provision.name}</PageHeading>
      <Verdict check={c} hasRecord={(rid) => recordIds.has(rid)} />
      {layer ? (
        <InsetText>
          <p className="govuk-body" data-testid="setting-layer">
            You see this setting&apos;s records at the layer <LayerTag layer={layer} />:{' '}
            {explain.data!.reason}.
          </p>
        </InsetText>
      ) : null}
      <Facts check={c} id={id} />
      <Section id="outcomes" title="Monitoring outcomes" query={outcomes}>
        {() =>
          outcomes.data!.every((o) => o.layer === 'signal') ? (
            <p className="govuk-body">No monitoring outcome has been published.</p>
          ) : (
            outcomes.data!.map((o, i) => (
              <Outcome key={o.layer === 'signal' ? `s${i}` : o.id} o={o} provisionId={id} />
            ))
          )
        }
      </Section>
      <Section id="restrictions" title="Restrictions" query={restrictions}>
        {() =>
          restrictions.data!.items.every((r) => r.layer === 'signal') ? (
            <p className="govuk-body">No member or regulator has a restriction on this setting.</p>
          ) : (
            restrictions.data!.items.map((r, i) => (
              <Restriction key={r.layer === 'signal' ? `s${i}` : r.id} r={r} provisionId={id} />
            ))
          )
        }
      </Section>
      <Section id="concerns" title="Concerns" query={concerns}>
        {() => <Concerns data={concerns.data!} provisionId={id} />}
      </Section>
      <RestrictedInformation
        provisionId={id}
        signals={[
          ...(outcomes.data ?? []),
          ...(restrictions.data?.items ?? []),
          ...(concerns.data?.items ?? []),
        ].flatMap((s) => (s.layer === 'signal' ? [s] : []))}
      />
      {explain.data ? <PlacingAuthorities provisionId={id} bases={explain.data.bases} /> : null}
      {layer && layer !== 'detail' ? (
        can('officer') ? (
          <RequestAccess provisionId={id} onGranted={setGranted} />
        ) : (
          <section aria-labelledby="request-heading" className="govuk-!-margin-top-8">
            <h2 className="govuk-heading-m" id="request-heading">
              Pre-placement access
            </h2>
            <p className="govuk-body">
              An officer of your authority can request pre-placement access to see this setting&apos;s records
              in full.
            </p>
          </section>
        )
      ) : null}
    </>
  );
};
