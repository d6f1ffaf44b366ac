// Our placements: how many children the authority has placed at each setting (never who). Declare
// one, end one, or import the whole list from a CSV file — checked first, every row's problem shown,
// nothing saved until the file is clean and the admin says import.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import {
  BackLink,
  Button,
  ButtonLink,
  Checkboxes,
  DateInput,
  ErrorSummary,
  InsetText,
  Loading,
  NotificationBanner,
  ProblemText,
  SummaryList,
  Table,
  Tag,
  TextInput,
} from '../../components/govuk.js';
import { formatDate } from '../../format.js';
import { Link, useSearchParams } from '../../navigation.js';
import { useSession } from '../../session.js';
import { hubErrorOf, useTRPC, useTRPCClient, type HubError, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { AdminBack, Confirm, failLabelled, newKey } from './parts.js';
import { placementRows, type ImportRow } from './csv.js';

type Placement = Outputs['placements']['mine'][number];
type Report = Outputs['placements']['import'];

const settingName = (p: Placement) =>
  p.provision ? `${p.provision.name}${p.provision.urn ? ` (URN ${p.provision.urn})` : ''}` : p.provisionId;

export const PlacementsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const withEnded = useSearchParams().get('ended') === 'shown';
  const placements = useQuery(trpc.placements.mine.queryOptions({ includeEnded: withEnded }));
  const [banner, setBanner] = useState<string | null>(null);
  const [ending, setEnding] = useState<Placement | null>(null);
  const form = useHubForm<{ urn: string; children: string; fromDate: string }>('admin-declare', {
    urn: '',
    children: '',
    fromDate: '',
  });
  const refresh = () => queryClient.invalidateQueries(trpc.placements.mine.queryFilter());

  const declare = useMutation({
    mutationFn: async () => {
      const found = await client.provisions.search.query({ urn: form.values.urn.trim(), limit: 1 });
      const setting = found.items[0];
      if (!setting) throw new Error('no-setting');
      const placed = await client.placements.declare.mutate({
        provisionId: setting.id,
        children: Number(form.values.children),
        ...(form.values.fromDate ? { fromDate: form.values.fromDate } : {}),
        idempotencyKey: newKey(),
      });
      return { placed, name: setting.name };
    },
    onSuccess: ({ placed, name }) => {
      form.reset({ urn: '', children: '', fromDate: '' });
      setBanner(
        `Declared ${placed.children} ${placed.children === 1 ? 'child' : 'children'} placed at ${name}.`,
      );
      void refresh();
    },
    onError: (error) => {
      if (error instanceof Error && error.message === 'no-setting')
        return form.failWith([
          { path: 'urn', message: 'There is no setting with that URN in the directory' },
        ]);
      failLabelled(form, { urn: 'URN', children: 'Number of children', fromDate: 'Date placed from' })(error);
    },
  });
  const end = useMutation(
    trpc.placements.end.mutationOptions({
      onSuccess: (p) => {
        setEnding(null);
        form.clearProblem();
        setBanner(`The placement at ${settingName(p)} ended on ${formatDate(p.endedOn ?? new Date())}.`);
        void refresh();
      },
      onError: (error) => {
        setEnding(null);
        form.fail(error);
      },
    }),
  );

  if (ending)
    return (
      <Confirm
        heading="End this placement?"
        warning="The declaration ends today. Declare it again if the children are still placed there."
        confirmText="Yes, end the placement"
        onConfirm={() => end.mutate({ id: ending.id, version: ending.version, idempotencyKey: newKey() })}
        onCancel={() => setEnding(null)}
        busy={end.isPending}
      >
        <p className="govuk-body">
          {ending.children} {ending.children === 1 ? 'child' : 'children'} at {settingName(ending)}, since{' '}
          {formatDate(ending.fromDate)}.
        </p>
      </Confirm>
    );

  const submit = () => {
    const missing = [
      !form.values.urn.trim() ? { path: 'urn', message: 'Enter the setting’s Ofsted URN' } : null,
      !/^\d+$/.test(form.values.children.trim())
        ? { path: 'children', message: 'Enter the number of children placed, as a whole number' }
        : null,
    ].filter((x) => x !== null);
    if (missing.length > 0) return form.failWith(missing);
    form.clearProblem();
    declare.mutate();
  };

  return (
    <>
      <AdminBack />
      {banner ? (
        <NotificationBanner success title="Done">
          <p className="govuk-notification-banner__heading">{banner}</p>
        </NotificationBanner>
      ) : null}
      <h1 className="govuk-heading-l">
        <span className="govuk-caption-l">{me.authority.name}</span>
        Our placements
      </h1>
      <p className="govuk-body">
        How many children your authority has placed at each setting — never who they are. A placement gives
        your authority a reason to see the setting’s records in detail.
      </p>
      <ButtonLink to="/admin/placements/import" kind="secondary">
        Import placements from a CSV file
      </ButtonLink>
      <p className="govuk-body">
        {withEnded ? (
          <Link to="/admin/placements">Show only open placements</Link>
        ) : (
          <Link to="/admin/placements?ended=shown">Show ended placements too</Link>
        )}
      </p>
      {placements.isPending ? (
        <Loading what="placements" />
      ) : placements.error ? (
        <ProblemText
          message={hubErrorOf(placements.error).message}
          requestId={hubErrorOf(placements.error).requestId}
        />
      ) : placements.data.length === 0 ? (
        <p className="govuk-body">No placements declared.</p>
      ) : (
        <Table
          caption={`${placements.data.length} ${withEnded ? '' : 'open '}${placements.data.length === 1 ? 'placement' : 'placements'}`}
          head={['Setting', 'Children', 'Placed from', 'Status', 'Action']}
          numeric={[1]}
          rows={placements.data.map((p) => ({
            key: p.id,
            cells: [
              settingName(p),
              String(p.children),
              formatDate(p.fromDate),
              p.open ? (
                <Tag colour="green" key="s">
                  Open
                </Tag>
              ) : (
                <Tag colour="grey" key="s">
                  Ended {p.endedOn ? formatDate(p.endedOn) : ''}
                </Tag>
              ),
              p.open ? (
                <Button kind="secondary" type="button" key="a" onClick={() => setEnding(p)}>
                  End<span className="govuk-visually-hidden"> the placement at {settingName(p)}</span>
                </Button>
              ) : (
                ''
              ),
            ],
          }))}
        />
      )}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Form
            onSubmit={submit}
            problem={form.problem}
            fields={['urn', 'children', 'fromDate']}
            label="Declare a placement"
          >
            <h2 className="govuk-heading-m">Declare a placement</h2>
            <TextInput
              id="urn"
              label="Setting’s Ofsted URN"
              hint="Such as SC123456."
              value={form.values.urn}
              onChange={(v) => form.set('urn', v)}
              error={form.errorFor('urn')}
              width="10"
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              id="children"
              label="Number of children placed"
              value={form.values.children}
              onChange={(v) => form.set('children', v)}
              error={form.errorFor('children')}
              width="3"
              inputMode="numeric"
              autoComplete="off"
            />
            <DateInput
              id="fromDate"
              legend="Placed from (optional)"
              hint="Leave empty for today. For example, 27 3 2027"
              value={form.values.fromDate}
              onChange={(v) => form.set('fromDate', v)}
              error={form.errorFor('fromDate')}
            />
            <Button disabled={declare.isPending}>Declare placement</Button>
          </Form>
        </div>
      </div>
    </>
  );
};

const FIELD_WORDS: Record<string, string> = {
  provision: 'Setting',
  urn: 'URN',
  provisionId: 'Setting id',
  children: 'Children',
  fromDate: 'From date',
};

type Checked = { name: string; rows: ImportRow[]; lines: number[]; endMissing: boolean; report: Report };

export const ImportPlacementsPage = (_: PageProps) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [endMissing, setEndMissing] = useState(true);
  const [problem, setProblem] = useState<HubError | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [applied, setApplied] = useState<Report | null>(null);
  const failWith = (message: string) =>
    setProblem({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message,
      issues: [{ path: 'file', message }],
      requestId: null,
    });

  const run = useMutation(
    trpc.placements.import.mutationOptions({
      onSuccess: (report, input) => {
        setProblem(null);
        if (report.applied) {
          setChecked(null);
          setFile(null);
          setApplied(report);
          void queryClient.invalidateQueries(trpc.placements.mine.queryFilter());
        } else
          setChecked((c) => ({
            name: c?.name ?? file?.name ?? 'the file',
            rows: input.rows as ImportRow[],
            lines: c?.lines ?? [],
            endMissing: input.endMissing ?? true,
            report,
          }));
      },
      onError: (error) => {
        setChecked(null);
        setProblem(hubErrorOf(error));
      },
    }),
  );

  const check = () => {
    setApplied(null);
    setChecked(null);
    if (!file) return failWith('Select a CSV file of your placements');
    const parsed = placementRows(file.text);
    if (!parsed.ok) return failWith(parsed.message);
    setProblem(null);
    setChecked({
      name: file.name,
      rows: parsed.rows,
      lines: parsed.lines,
      endMissing,
      report: {
        dryRun: true,
        applied: false,
        rows: 0,
        errors: [],
        opened: 0,
        changed: 0,
        unchanged: 0,
        ended: 0,
      },
    });
    run.mutate({ rows: parsed.rows, dryRun: true, endMissing });
  };

  const report = checked && !run.isPending && checked.report.rows > 0 ? checked.report : null;
  const rowErrors = report?.errors ?? [];
  const lineOf = (row: number) => checked?.lines[row - 1] ?? row + 1;
  const summary =
    rowErrors.length > 0
      ? rowErrors.map((e) => ({
          text: `Row ${e.row} (line ${lineOf(e.row)}): ${FIELD_WORDS[e.field] ?? e.field} ${e.message}`,
          href: '#file',
        }))
      : problem
        ? problem.issues.length > 0
          ? problem.issues.map((i) => ({ text: i.message, href: '#file' }))
          : [
              {
                text: problem.requestId
                  ? `${problem.message} (request id ${problem.requestId})`
                  : problem.message,
              },
            ]
        : [];
  const fileError =
    rowErrors.length > 0
      ? `The file has ${rowErrors.length} ${rowErrors.length === 1 ? 'problem' : 'problems'}: correct ${rowErrors.length === 1 ? 'it' : 'them'} and select the file again`
      : problem?.issues[0]?.message;

  return (
    <>
      <BackLink to="/admin/placements">Back to our placements</BackLink>
      {applied ? (
        <NotificationBanner success title="Imported">
          <p className="govuk-notification-banner__heading">
            Imported {applied.rows} {applied.rows === 1 ? 'placement' : 'placements'}.
          </p>
          <p className="govuk-body">
            {applied.opened} new, {applied.changed} changed, {applied.unchanged} unchanged, {applied.ended}{' '}
            ended.{' '}
            <Link to="/admin/placements" className="govuk-notification-banner__link">
              See our placements
            </Link>
            .
          </p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary
        errors={summary}
        title={
          rowErrors.length > 0
            ? `There is a problem with ${rowErrors.length === 1 ? '1 row' : `${rowErrors.length} rows`}`
            : undefined
        }
      />
      <h1 className="govuk-heading-l">Import placements from a CSV file</h1>
      <p className="govuk-body">
        The file is your authority’s whole list of open placements, one setting a row. The hub checks every
        row first and shows each problem; nothing is saved until the file is clean and you choose to import
        it.
      </p>
      <FileExample />
      <form
        noValidate
        aria-label="Check a placements file"
        onSubmit={(e) => {
          e.preventDefault();
          check();
        }}
      >
        <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="file">
            Upload a CSV file
          </label>
          <div id="file-hint" className="govuk-hint">
            A header row with the columns urn (or provisionId), children and, if you like, fromDate
            (YYYY-MM-DD).
          </div>
          {fileError ? (
            <p id="file-error" className="govuk-error-message">
              <span className="govuk-visually-hidden">Error:</span> {fileError}
            </p>
          ) : null}
          <input
            className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={`file-hint${fileError ? ' file-error' : ''}`}
            onChange={(e) => {
              const chosen = e.target.files?.[0];
              setChecked(null);
              setApplied(null);
              if (!chosen) return setFile(null);
              chosen.text().then(
                (text) => setFile({ name: chosen.name, text }),
                () => failWith('The selected file could not be read'),
              );
            }}
          />
        </div>
        <Checkboxes
          id="endMissing"
          legend="Placements the file leaves out"
          options={[
            {
              value: 'end',
              label: 'End our open placements that the file does not list',
              hint: 'Leave ticked when the file is the whole list, as in the yearly data return.',
            },
          ]}
          values={endMissing ? ['end'] : []}
          onChange={(v) => {
            setEndMissing(v.includes('end'));
            setChecked(null);
          }}
          small
        />
        <Button kind="secondary" disabled={run.isPending || !file}>
          Check the file
        </Button>
      </form>
      {run.isPending ? <Loading what="the check" /> : null}
      {report && rowErrors.length > 0 ? (
        <>
          <Table
            caption={`Problems in ${checked?.name ?? 'the file'}: nothing has been saved`}
            head={['Row', 'Line in file', 'Column', 'Problem']}
            rows={rowErrors.map((e, i) => ({
              key: `${e.row}-${e.field}-${i}`,
              cells: [String(e.row), String(lineOf(e.row)), FIELD_WORDS[e.field] ?? e.field, e.message],
            }))}
          />
        </>
      ) : null}
      {report && rowErrors.length === 0 && checked ? (
        <>
          <h2 className="govuk-heading-m">Ready to import {checked.name}</h2>
          <InsetText>The file is clean. Nothing has been saved yet.</InsetText>
          <SummaryList
            rows={[
              { key: 'Rows', value: String(report.rows) },
              { key: 'New placements', value: String(report.opened) },
              { key: 'Changed numbers of children', value: String(report.changed) },
              { key: 'Unchanged', value: String(report.unchanged) },
              { key: 'Ended (not in the file)', value: String(report.ended) },
            ]}
          />
          <Button
            type="button"
            disabled={run.isPending}
            onClick={() =>
              run.mutate({
                rows: checked.rows,
                dryRun: false,
                endMissing: checked.endMissing,
                idempotencyKey: newKey(),
              })
            }
          >
            Import {report.rows} {report.rows === 1 ? 'placement' : 'placements'}
          </Button>
        </>
      ) : null}
    </>
  );
};

const FileExample = () => (
  <details className="govuk-details">
    <summary className="govuk-details__summary">
      <span className="govuk-details__summary-text">What the file looks like</span>
    </summary>
    <div className="govuk-details__text">
      <pre className="govuk-body ccx-secret">
        {'urn,children,fromDate\nSC123456,2,2026-04-01\nSC654321,1,'}
      </pre>
    </div>
  </details>
);
