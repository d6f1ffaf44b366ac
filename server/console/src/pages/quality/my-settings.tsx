// My settings: the settings this authority leads on (its current quality allocations), each with where
// its monitoring stands — overdue first — and the way to record a visit, a restriction or a concern.
import { useQuery } from '@tanstack/react-query';
import { Details, Loading, PageHeading, ProblemText, Table, Tag } from '../../components/govuk.js';
import { formatDate, relativeDays } from '../../format.js';
import { Link } from '../../navigation.js';
import type { PageProps } from '../../route-kit.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import { MONITORING_STATUSES, type MonitoringStatus } from './labels.js';
import { SettingLink } from './parts.js';

type Allocation = Outputs['allocations']['mine'][number];

const ORDER: Record<MonitoringStatus, number> = { overdue: 0, 'never-monitored': 1, 'due-soon': 2, ok: 3 };

type ProvisionType = Outputs['monitoring']['frequencies'][number]['type'];
const PROVISION_TYPES = {
  'childrens-home': "Children's homes",
  'short-breaks-home': 'Short breaks homes',
  'secure-childrens-home': "Secure children's homes",
  'independent-fostering-agency': 'Independent fostering agencies',
  'residential-special-school': 'Residential special schools',
  'residential-family-centre': 'Residential family centres',
  'supported-accommodation': 'Supported accommodation',
  unregulated: 'Unregulated settings',
} satisfies Record<ProvisionType, string>;
const typeInWords = (type: ProvisionType) => PROVISION_TYPES[type];

const MonitoringTag = ({ a }: { a: Allocation }) => {
  const m = a.monitoring;
  if (!m) return <Tag colour="grey">Not known</Tag>;
  const s = MONITORING_STATUSES[m.status];
  return (
    <>
      <Tag colour={s.colour}>{s.text}</Tag>
      {m.status === 'overdue' ? (
        <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">
          {m.daysOverdue === 1 ? '1 day overdue' : `${m.daysOverdue} days overdue`}
        </span>
      ) : null}
    </>
  );
};

const dueText = (a: Allocation) => {
  const next = a.monitoring?.nextDueOn;
  if (!next) return a.monitoring?.status === 'never-monitored' ? 'Now (never monitored)' : 'Not set';
  return `${formatDate(next)} (${relativeDays(next)})`;
};

export const MySettingsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const { me } = useSession();
  const mine = useQuery(trpc.allocations.mine.queryOptions());
  const frequencies = useQuery({ ...trpc.monitoring.frequencies.queryOptions(), staleTime: 300_000 });

  const rows = [...(mine.data ?? [])].sort(
    (a, b) =>
      ORDER[a.monitoring?.status ?? 'ok'] - ORDER[b.monitoring?.status ?? 'ok'] ||
      (a.provision?.name ?? '').localeCompare(b.provision?.name ?? ''),
  );
  const count = (s: MonitoringStatus) => rows.filter((a) => a.monitoring?.status === s).length;

  return (
    <>
      <PageHeading caption={me.authority.name}>My settings</PageHeading>
      <p className="govuk-body">
        The settings {me.authority.name} leads on for the partnership: you monitor them, and record what each
        visit or review found.
      </p>
      {mine.isPending ? (
        <Loading what="your settings" />
      ) : mine.error ? (
        <ProblemText message={hubErrorOf(mine.error).message} requestId={hubErrorOf(mine.error).requestId} />
      ) : rows.length === 0 ? (
        <p className="govuk-body">{me.authority.name} does not lead on any setting at the moment.</p>
      ) : (
        <>
          <ul className="govuk-list govuk-list--bullet" data-testid="monitoring-counts">
            <li>
              {rows.length} {rows.length === 1 ? 'setting' : 'settings'} led by {me.authority.name}
            </li>
            <li>{count('overdue')} overdue for monitoring</li>
            <li>{count('never-monitored')} never monitored</li>
            <li>{count('due-soon')} due within 30 days</li>
          </ul>
          <Table
            caption="Settings you lead on, overdue first"
            head={['Setting', 'Monitoring', 'Last monitored', 'Next due', 'Record']}
            rows={rows.map((a) => ({
              key: a.id,
              cells: [
                <SettingLink provision={a.provision} key="s" />,
                <MonitoringTag a={a} key="m" />,
                a.monitoring?.lastMonitoredOn ? formatDate(a.monitoring.lastMonitoredOn) : 'Never',
                <span key="d">
                  {dueText(a)}
                  {a.monitoring ? (
                    <span className="govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block">
                      {a.monitoring.interval.reason}
                    </span>
                  ) : null}
                </span>,
                <ul className="govuk-list govuk-!-margin-bottom-0" key="r">
                  <li>
                    <Link
                      to={`/outcomes/new?provisionId=${a.provisionId}`}
                      aria-label={`Record a visit outcome for ${a.provision?.name ?? 'this setting'}`}
                    >
                      Record a visit outcome
                    </Link>
                  </li>
                  <li>
                    <Link
                      to={`/restrictions/new?provisionId=${a.provisionId}`}
                      aria-label={`Add a restriction to ${a.provision?.name ?? 'this setting'}`}
                    >
                      Add a restriction
                    </Link>
                  </li>
                  <li>
                    <Link
                      to={`/concerns/new?provisionId=${a.provisionId}`}
                      aria-label={`Log a concern about ${a.provision?.name ?? 'this setting'}`}
                    >
                      Log a concern
                    </Link>
                  </li>
                </ul>,
              ],
            }))}
          />
        </>
      )}
      <Details summary="How often settings are monitored">
        {frequencies.data ? (
          <ul className="govuk-list govuk-list--bullet">
            {frequencies.data.map((f) => (
              <li key={f.type}>
                {typeInWords(f.type)}: every {f.months === 1 ? 'month' : `${f.months} months`}; graded
                inadequate every {f.risk['grade-inadequate']}, requires improvement every{' '}
                {f.risk['grade-requires-improvement']}, after a change of registered manager every{' '}
                {f.risk['manager-changed']} (months)
              </li>
            ))}
          </ul>
        ) : (
          <p className="govuk-body">Asking the hub…</p>
        )}
        <p className="govuk-body">A setting is due soon when its next visit falls within 30 days.</p>
        <p className="govuk-body">
          Only your own visits and reviews as the setting&apos;s lead count as monitoring: another
          authority&apos;s outcome, or a contract meeting, does not move the next due date.
        </p>
      </Details>
    </>
  );
};
