// The monitoring report: per lead authority, the settings it leads, its visits made in time and out
// of time, and what is overdue now — as a chart (an image with a summary) and as a table (its text
// equivalent), with a CSV download of the same numbers.
import { useQuery } from '@tanstack/react-query';
import {
  BackLink,
  Button,
  Details,
  Loading,
  PageHeading,
  ProblemText,
  Table,
} from '../../components/govuk.js';
import { download, formatDate, toCsv } from '../../format.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { VisitsChart } from './chart.js';

type Report = Outputs['monitoring']['report'];

const nameOf = (r: Report['rows'][number]) => r.authority?.name ?? r.authorityId;

const summaryOf = (report: Report): string => {
  const inTime = report.rows.reduce((n, r) => n + r.visitsInTime, 0);
  const late = report.rows.reduce((n, r) => n + r.visitsOutOfTime, 0);
  const worst = [...report.rows].sort((a, b) => b.visitsOutOfTime - a.visitsOutOfTime)[0];
  return (
    `Visits in time and out of time for ${report.rows.length} lead authorities: ${inTime} in time and ${late} out of time in all.` +
    (worst && worst.visitsOutOfTime > 0
      ? ` Most out of time: ${nameOf(worst)}, ${worst.visitsOutOfTime}.`
      : '') +
    ' The table below gives every number.'
  );
};

export const MonitoringPage = (_: PageProps) => {
  const trpc = useTRPC();
  const report = useQuery(trpc.monitoring.report.queryOptions());
  return (
    <>
      <BackLink to="/partnership">Partnership</BackLink>
      <PageHeading caption="Partnership">Monitoring report</PageHeading>
      {report.isPending ? (
        <Loading what="the monitoring report" />
      ) : report.isError ? (
        <ProblemText {...hubErrorOf(report.error)} />
      ) : report.data.rows.length === 0 ? (
        <p className="govuk-body">No member authority leads a setting yet, so there is nothing to report.</p>
      ) : (
        <ReportBody report={report.data} />
      )}
    </>
  );
};

const ReportBody = ({ report }: { report: Report }) => {
  const rows = report.rows;
  const totals = rows.reduce(
    (t, r) => ({
      settings: t.settings + r.settingsAllocated,
      inTime: t.inTime + r.visitsInTime,
      late: t.late + r.visitsOutOfTime,
      overdue: t.overdue + r.overdueNow,
      never: t.never + r.neverMonitored,
    }),
    { settings: 0, inTime: 0, late: 0, overdue: 0, never: 0 },
  );
  const csv = () =>
    download(
      `monitoring-report-${report.asOf}.csv`,
      toCsv(
        ['authority', 'authority id', 'settings', 'in time', 'out of time', 'overdue now', 'never monitored'],
        rows.map((r) => [
          nameOf(r),
          r.authorityId,
          String(r.settingsAllocated),
          String(r.visitsInTime),
          String(r.visitsOutOfTime),
          String(r.overdueNow),
          String(r.neverMonitored),
        ]),
      ),
      'text/csv',
    );
  return (
    <>
      <p className="govuk-body">
        Counted on {formatDate(report.asOf)}. {rows.length} member authorities lead {totals.settings} settings
        between them: {totals.inTime} visits made in time, {totals.late} out of time, and {totals.overdue}{' '}
        {totals.overdue === 1 ? 'setting' : 'settings'} overdue now.
      </p>
      <Details summary="How visits are counted">
        <p className="govuk-body">
          A lead authority’s own published visits to the settings it leads today. A visit is in time when it
          was made on or before the date it was due: the date the visit before it set, or that visit’s date
          plus the type’s monitoring frequency. A setting’s first visit was due a frequency after the lead’s
          allocation began.
        </p>
      </Details>
      <h2 className="govuk-heading-m">Visits in time and out of time</h2>
      <VisitsChart
        title="Visits in time and out of time, by lead authority"
        summary={summaryOf(report)}
        rows={rows.map((r) => ({
          key: r.authorityId,
          label: nameOf(r),
          inTime: r.visitsInTime,
          outOfTime: r.visitsOutOfTime,
        }))}
      />
      <Table
        caption="Monitoring by lead authority"
        head={[
          'Lead authority',
          'Settings led',
          'Visits in time',
          'Visits out of time',
          'Overdue now',
          'Never monitored',
        ]}
        numeric={[1, 2, 3, 4, 5]}
        rows={rows.map((r) => ({
          key: r.authorityId,
          cells: [
            nameOf(r),
            r.settingsAllocated,
            r.visitsInTime,
            r.visitsOutOfTime,
            r.overdueNow,
            r.neverMonitored,
          ],
        }))}
      />
      <Button type="button" kind="secondary" onClick={csv}>
        Download as CSV
      </Button>
    </>
  );
};
