// Check a shortlist: URNs pasted or read from a CSV file in the browser, one placement check each
// (checks.placementMany, up to 500 a call), shown as a table and offered as a CSV download.
import { useState, type ChangeEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form, useHubForm } from '../../components/form.js';
import { Button, Loading, PageHeading, ProblemText, Table, Tag, Textarea } from '../../components/govuk.js';
import { download, formatDateTime, toCsv } from '../../format.js';
import { Link } from '../../navigation.js';
import { hubErrorOf, useTRPC, type Outputs } from '../../trpc.js';
import type { PageProps } from '../../route-kit.js';
import { VERDICT_COLOUR, VERDICT_WORDS, looksLikeUrn } from './labels.js';
import { distinctUrns, urnsFromCsv, urnsFromText, type CsvUrns } from './shortlist-csv.js';

/** The hub's limit on one call (schema/src/checks.ts PLACEMENT_MANY_MAX). */
const MAX = 500;

type Result = Outputs['checks']['placementMany']['results'][number];

/** One row of the table (and of the download): a URN as given, and what the hub said of it. */
type Row =
  | { urn: string; found: true; result: Extract<Result, { ok: true }> }
  | { urn: string; found: false; error: string };

/**
 * The download's columns, fixed whatever the hub adds later:
 *   urn          the URN as checked (upper case)
 *   setting      the setting's name ('' when not found)
 *   provision_id the hub's id for the setting ('' when not found)
 *   verdict      clear | caution | do-not-place | not-found | invalid-urn
 *   reasons      every reason's words, separated by " | " (for a row not found: why)
 *   contacts     whom the reasons name, separated by " | "
 *   checked_at   when the hub made the check (ISO 8601)
 */
export const SHORTLIST_CSV_COLUMNS = [
  'urn',
  'setting',
  'provision_id',
  'verdict',
  'reasons',
  'contacts',
  'checked_at',
] as const;

const csvOf = (rows: Row[]): string =>
  toCsv(
    [...SHORTLIST_CSV_COLUMNS],
    rows.map((r) =>
      r.found
        ? [
            r.urn,
            r.result.provision.name,
            r.result.provisionId,
            r.result.verdict,
            r.result.reasons.map((x) => x.message).join(' | '),
            [...new Set(r.result.reasons.flatMap((x) => (x.contact ? [x.contact] : [])))].join(' | '),
            r.result.checkedAt,
          ]
        : [r.urn, '', '', looksLikeUrn(r.urn) ? 'not-found' : 'invalid-urn', r.error, '', ''],
    ),
  );

const FileUpload = ({
  id,
  error,
  onChange,
}: {
  id: string;
  error?: string | undefined;
  onChange: (file: File | null) => void;
}) => (
  <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
    <label className="govuk-label" htmlFor={id}>
      Or upload a CSV file
    </label>
    <div id={`${id}-hint`} className="govuk-hint">
      A column headed “urn”, or URNs in one column, such as a spreadsheet saved as CSV
    </div>
    {error ? (
      <p id={`${id}-error`} className="govuk-error-message">
        <span className="govuk-visually-hidden">Error:</span> {error}
      </p>
    ) : null}
    <input
      className={`govuk-file-upload${error ? ' govuk-file-upload--error' : ''}`}
      id={id}
      name={id}
      type="file"
      accept=".csv,text/csv,text/plain"
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.files?.[0] ?? null)}
    />
  </div>
);

const ResultsTable = ({ urns }: { urns: string[] }) => {
  const trpc = useTRPC();
  const valid = urns.filter(looksLikeUrn);
  const check = useQuery({
    ...trpc.checks.placementMany.queryOptions({ items: valid.map((urn) => ({ urn })) }),
    enabled: valid.length > 0,
  });
  if (valid.length > 0 && check.isPending) return <Loading what="the checks" />;
  if (check.error) {
    const p = hubErrorOf(check.error);
    return <ProblemText message={p.message} requestId={p.requestId} />;
  }
  const results = check.data?.results ?? [];
  const byUrn = new Map<string, Result>();
  for (const [i, urn] of valid.entries()) if (results[i]) byUrn.set(urn, results[i]);
  const rows: Row[] = urns.map((urn) => {
    const r = byUrn.get(urn);
    if (!looksLikeUrn(urn))
      return { urn, found: false, error: 'not an Ofsted URN (such as SC123456 or 1234567)' };
    if (!r) return { urn, found: false, error: 'no answer from the hub' };
    return r.ok ? { urn, found: true, result: r } : { urn, found: false, error: r.error };
  });
  const s = check.data?.summary ?? { clear: 0, caution: 0, doNotPlace: 0, notFound: 0 };
  const notFound = s.notFound + (urns.length - valid.length);
  return (
    <section aria-labelledby="results-heading" className="govuk-!-margin-top-6">
      <h2 className="govuk-heading-m" id="results-heading">
        Results
      </h2>
      <p className="govuk-body" role="status" data-testid="shortlist-summary">
        {urns.length === 1 ? '1 URN checked' : `${urns.length} URNs checked`}: {s.clear} clear to place,{' '}
        {s.caution} to place with caution, {s.doNotPlace} do not place, {notFound} not found.
        {check.data?.results[0]?.ok ? ` Checked ${formatDateTime(check.data.results[0].checkedAt)}.` : ''}
      </p>
      <Table
        caption="Placement checks for your shortlist"
        head={['Setting', 'URN', 'Verdict', 'Reasons']}
        rows={rows.map((r) => ({
          key: r.urn,
          cells: r.found
            ? [
                <Link key="l" to={`/settings/${r.result.provisionId}`}>
                  {r.result.provision.name}
                </Link>,
                r.urn,
                <Tag key="t" colour={VERDICT_COLOUR[r.result.verdict]}>
                  {VERDICT_WORDS[r.result.verdict]}
                </Tag>,
                r.result.reasons.length === 0 ? (
                  'None'
                ) : (
                  <ul key="r" className="govuk-list govuk-list--bullet govuk-!-font-size-16">
                    {r.result.reasons.map((x, i) => (
                      <li key={i}>{x.message}</li>
                    ))}
                  </ul>
                ),
              ]
            : [
                'Not found',
                r.urn,
                <Tag key="t" colour="grey">
                  Not found
                </Tag>,
                r.error.charAt(0).toUpperCase() + r.error.slice(1),
              ],
        }))}
      />
      <Button kind="secondary" type="button" onClick={() => download('shortlist-check.csv', csvOf(rows))}>
        Download as CSV
      </Button>
    </section>
  );
};

export const ShortlistPage = (_: PageProps) => {
  const form = useHubForm('placement:shortlist', { urns: '' });
  const [file, setFile] = useState<(CsvUrns & { name: string }) | null>(null);
  const [checked, setChecked] = useState<string[] | null>(null);
  const readFile = (f: File | null) => {
    form.clearProblem();
    if (!f) return setFile(null);
    void f.text().then(
      (text) => setFile({ name: f.name, ...urnsFromCsv(text) }),
      () => setFile({ name: f.name, urns: [], column: '', problem: 'The file could not be read' }),
    );
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <PageHeading>Check a shortlist</PageHeading>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <p className="govuk-body">
              Check up to {MAX} settings at once by their Ofsted URNs: each gets the verdict its setting page
              shows, with every reason.
            </p>
            <Form
              label="Check a shortlist"
              problem={form.problem}
              fields={['urns', 'file']}
              onSubmit={() => {
                form.clearProblem();
                if (file?.problem) return form.failWith([{ path: 'file', message: file.problem }]);
                const urns = distinctUrns([...urnsFromText(form.values.urns), ...(file?.urns ?? [])]);
                if (urns.length === 0)
                  return form.failWith([
                    { path: 'urns', message: 'Enter at least one URN, or choose a CSV file' },
                  ]);
                if (urns.filter(looksLikeUrn).length > MAX)
                  return form.failWith([
                    { path: 'urns', message: `Check at most ${MAX} URNs at once; split the list` },
                  ]);
                setChecked(urns);
              }}
            >
              <Textarea
                id="urns"
                label="URNs"
                hint="One a line, or separated by commas"
                value={form.values.urns}
                onChange={(v) => form.set('urns', v)}
                error={form.errorFor('urns')}
                rows={6}
              />
              <FileUpload id="file" error={form.errorFor('file')} onChange={readFile} />
              {file && !file.problem ? (
                <p className="govuk-body" role="status" data-testid="file-read">
                  {file.urns.length === 1 ? '1 URN' : `${file.urns.length} URNs`} read from {file.name} (
                  {file.column}).
                </p>
              ) : null}
              <Button>Check shortlist</Button>
            </Form>
          </div>
        </div>
        {checked ? <ResultsTable urns={checked} /> : null}
      </div>
    </div>
  );
};
