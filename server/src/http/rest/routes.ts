// The REST route table: the one list from which both the express routes under /api/v1 and the
// OpenAPI document are made, so the two can never disagree. Each route names the tRPC procedure it
// adapts; the procedure's own zod contracts give its parameters, body and response.
import type { AnyTRPCMutationProcedure, AnyTRPCQueryProcedure } from '@trpc/server';
import { zPlacementImportReport } from '@ccx/schema';
import type { AppRouter } from '../../routers/index.js';
import type { FieldIssue } from '../../trpc.js';

export const REST_PREFIX = '/api/v1';

/** Dotted paths of every query and mutation of a router record (subscriptions have no REST form). */
type ProcedurePaths<R, P extends string = ''> = {
  [K in keyof R & string]: R[K] extends AnyTRPCQueryProcedure | AnyTRPCMutationProcedure
    ? `${P}${K}`
    : R[K] extends Record<string, unknown>
      ? ProcedurePaths<R[K], `${P}${K}.`>
      : never;
}[keyof R & string];

export type ProcedurePath = ProcedurePaths<AppRouter['_def']['record']>;

export const REST_TAGS = {
  authorities: 'Member authorities and the calling client.',
  checks: 'The placement check: clear, caution or do-not-place, with the reasons behind it.',
  providers: 'Organisations that run settings.',
  provisions: 'Settings (provisions) in the directory the host authority keeps.',
  outcomes: 'Monitoring outcomes: what a quality-assurance visit or review found.',
  restrictions: 'Restrictions and embargoes on a provision or a whole provider.',
  placements:
    "Placement declarations: counts of children an authority has placed at a setting, never a child's identity.",
  allocations: 'Lead authorities: who monitors which provision for the partnership.',
  concerns: 'Concerns logged about a setting, and the risk RAG they give.',
  access: 'Need-to-know: why the caller can or cannot see a record.',
  events: 'The pull feed of what changed, filtered by need-to-know.',
} as const;
export type RestTag = keyof typeof REST_TAGS;

/** A refusal derived from a successful answer, for procedures that report failures in their result. */
export type OutputRefusal = { detail: string; issues: FieldIssue[] };

export type RestRoute = {
  /** GET takes its input from the path and query string; the others from the path and a JSON body. */
  method: 'get' | 'post' | 'patch';
  /** OpenAPI path template below REST_PREFIX; each `{name}` fills the input field of that name. */
  path: `/${string}`;
  procedure: ProcedurePath;
  tag: RestTag;
  summary: string;
  description: string;
  /** Answers 201 Created (with a Location header when the table has a GET for `${path}/{id}`). */
  creates?: boolean;
  /** Turns an answer that reports it changed nothing because of bad rows into a 400. */
  refuse?: (output: unknown) => OutputRefusal | null;
};

/** placements.import is all or nothing: a report with row errors (and not a dry run) changed nothing. */
const refuseImportWithRowErrors = (output: unknown): OutputRefusal | null => {
  const report = zPlacementImportReport.parse(output);
  if (report.dryRun || report.applied || report.errors.length === 0) return null;
  const rows = new Set(report.errors.map((e) => e.row)).size;
  return {
    detail: `${rows} of ${report.rows} rows have errors; nothing was imported`,
    issues: report.errors.map((e) => ({
      path: `rows.${e.row - 1}.${e.field}`,
      message: `row ${e.row}: ${e.message}`,
    })),
  };
};

const WRITE_NOTE = 'Needs the officer role. Send an Idempotency-Key header to make a retry safe.';
const UPDATE_NOTE =
  'Needs the officer role. `version` must be the version you read: a stale version answers 409 and changes nothing.';

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: 'get',
    path: '/authorities/me',
    procedure: 'authorities.me',
    tag: 'authorities',
    summary: 'The calling client and its authority',
    description: 'Who the access token speaks for: the client, its role and its authority.',
  },
  {
    method: 'get',
    path: '/authorities',
    procedure: 'authorities.list',
    tag: 'authorities',
    summary: 'List member authorities',
    description: 'Every member authority, optionally filtered by membership status.',
  },
  {
    method: 'get',
    path: '/authorities/{id}',
    procedure: 'authorities.get',
    tag: 'authorities',
    summary: 'Get a member authority',
    description: 'One member authority by its slug id, such as `medway`.',
  },
  {
    method: 'get',
    path: '/checks/placement',
    procedure: 'checks.placement',
    tag: 'checks',
    summary: 'Check a setting before placing a child',
    description:
      'Give exactly one of `provisionId` or `urn` (Ofsted URN). Answers the verdict (`clear`, `caution` or `do-not-place`), every reason with the record behind it where you may see it, and whom to contact. Each check is audited. An unknown setting answers 404.',
  },
  {
    method: 'post',
    path: '/checks/placement/batch',
    procedure: 'checks.placementMany',
    tag: 'checks',
    summary: 'Check a shortlist of settings at once',
    description:
      'Up to 500 settings by provision id or URN in one call (POST, because a shortlist does not fit in a URL; nothing is changed). Each result is either a check (`ok: true`) or `ok: false` with the reason it could not be checked.',
  },
  {
    method: 'get',
    path: '/providers',
    procedure: 'providers.search',
    tag: 'providers',
    summary: 'Search providers',
    description:
      'By name fragment or Companies House number, a page at a time (pass `nextCursor` as `cursor`).',
  },
  {
    method: 'post',
    path: '/providers',
    procedure: 'providers.create',
    tag: 'providers',
    creates: true,
    summary: 'Add a provider',
    description: WRITE_NOTE,
  },
  {
    method: 'get',
    path: '/providers/{id}',
    procedure: 'providers.get',
    tag: 'providers',
    summary: 'Get a provider',
    description: 'One provider by id.',
  },
  {
    method: 'patch',
    path: '/providers/{id}',
    procedure: 'providers.update',
    tag: 'providers',
    summary: 'Update a provider',
    description: UPDATE_NOTE,
  },
  {
    method: 'get',
    path: '/provisions',
    procedure: 'provisions.search',
    tag: 'provisions',
    summary: 'Search provisions',
    description:
      'By name fragment, Ofsted URN, type, host authority or provider, a page at a time (pass `nextCursor` as `cursor`).',
  },
  {
    method: 'post',
    path: '/provisions',
    procedure: 'provisions.create',
    tag: 'provisions',
    creates: true,
    summary: 'Add a provision',
    description: WRITE_NOTE,
  },
  {
    method: 'get',
    path: '/provisions/{id}',
    procedure: 'provisions.get',
    tag: 'provisions',
    summary: 'Get a provision',
    description: 'One provision by id.',
  },
  {
    method: 'patch',
    path: '/provisions/{id}',
    procedure: 'provisions.update',
    tag: 'provisions',
    summary: 'Update a provision',
    description: UPDATE_NOTE,
  },
  {
    method: 'get',
    path: '/outcomes',
    procedure: 'outcomes.list',
    tag: 'outcomes',
    summary: 'List every monitoring outcome you may know of',
    description:
      'Across all provisions, newest activity first, a page at a time (`cursor`, `limit` up to 500), each at the layer the need-to-know policy gives you. Filters: `provisionId`, `publisherAuthorityId`, `status`, `activityFrom`, `activityTo`. Restricted outcomes you may not read come as one neutral `signal` per publisher and provision, all on the first page.',
  },
  {
    method: 'get',
    path: '/provisions/{provisionId}/outcomes',
    procedure: 'outcomes.listForProvision',
    tag: 'outcomes',
    summary: 'List the monitoring outcomes of a provision',
    description:
      'Newest first, each at the layer the need-to-know policy gives you: `detail`, `summary` or the neutral `signal`. Drafts only with `includeDrafts=true`, and only your own.',
  },
  {
    method: 'post',
    path: '/outcomes',
    procedure: 'outcomes.create',
    tag: 'outcomes',
    creates: true,
    summary: 'Create a draft monitoring outcome',
    description: `A draft is seen only by its writer until it is published. ${WRITE_NOTE}`,
  },
  {
    method: 'get',
    path: '/outcomes/{id}',
    procedure: 'outcomes.get',
    tag: 'outcomes',
    summary: 'Get a monitoring outcome',
    description:
      'At the layer the need-to-know policy gives you. An outcome you may not know of answers 404, exactly like one that does not exist. A read of detail is audited.',
  },
  {
    method: 'post',
    path: '/outcomes/{id}/publish',
    procedure: 'outcomes.publish',
    tag: 'outcomes',
    summary: 'Publish a draft outcome',
    description: UPDATE_NOTE,
  },
  {
    method: 'post',
    path: '/outcomes/{id}/amend',
    procedure: 'outcomes.amend',
    tag: 'outcomes',
    summary: 'Amend a published outcome',
    description: `Makes a new version; earlier versions stay in its history. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/outcomes/{id}/withdraw',
    procedure: 'outcomes.withdraw',
    tag: 'outcomes',
    summary: 'Withdraw an outcome',
    description: UPDATE_NOTE,
  },
  {
    method: 'patch',
    path: '/outcomes/{outcomeId}/action-items/{itemId}',
    procedure: 'outcomes.updateActionItem',
    tag: 'outcomes',
    summary: "Update an action item's status or due date",
    description: `Every change is kept in the item's history. ${UPDATE_NOTE}`,
  },
  {
    method: 'get',
    path: '/restrictions',
    procedure: 'restrictions.list',
    tag: 'restrictions',
    summary: 'List restrictions',
    description:
      'Each at your layer. Restricted ones you may not read collapse into one neutral signal per issuer and target.',
  },
  {
    method: 'post',
    path: '/restrictions',
    procedure: 'restrictions.create',
    tag: 'restrictions',
    creates: true,
    summary: 'Publish a restriction or embargo',
    description: `On one provision (\`provisionId\`) or a whole provider (\`providerId\`). Authorities with children placed there are told at once. ${WRITE_NOTE}`,
  },
  {
    method: 'get',
    path: '/restrictions/{id}',
    procedure: 'restrictions.get',
    tag: 'restrictions',
    summary: 'Get a restriction',
    description: 'At the layer the need-to-know policy gives you. A read of detail is audited.',
  },
  {
    method: 'patch',
    path: '/restrictions/{id}',
    procedure: 'restrictions.update',
    tag: 'restrictions',
    summary: 'Update a restriction',
    description: `Only its issuer may. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/restrictions/{id}/lift',
    procedure: 'restrictions.lift',
    tag: 'restrictions',
    summary: 'Lift a restriction',
    description: `Only its issuer may. ${UPDATE_NOTE}`,
  },
  {
    method: 'get',
    path: '/allocations',
    procedure: 'allocations.list',
    tag: 'allocations',
    summary: 'List lead-authority allocations',
    description:
      'Who monitors which provision: current ones by default (`currentOnly=false` for history too), by provision then start date, a page at a time. Filters: `provisionId`, `authorityId`.',
  },
  {
    method: 'get',
    path: '/allocations/mine',
    procedure: 'allocations.mine',
    tag: 'allocations',
    summary: 'The provisions your authority leads, with their monitoring status',
    description:
      'Each current allocation of yours, with whether monitoring is ok, due soon, overdue or never done.',
  },
  {
    method: 'get',
    path: '/provisions/{provisionId}/concerns',
    procedure: 'concerns.list',
    tag: 'concerns',
    summary: "A provision's concerns and risk RAG",
    description:
      'The concerns you may read in detail, the count of all concerns in the window (`sinceMonths`, default 12) and the risk RAG they give.',
  },
  {
    method: 'get',
    path: '/placements',
    procedure: 'placements.mine',
    tag: 'placements',
    summary: "Your authority's placement declarations",
    description: 'Open ones, and ended ones too with `includeEnded=true`.',
  },
  {
    method: 'post',
    path: '/placements',
    procedure: 'placements.declare',
    tag: 'placements',
    creates: true,
    summary: 'Declare children placed at a provision',
    description: `A count, never a child's identity. It gives your authority the \`placing\` basis at the provision. ${WRITE_NOTE}`,
  },
  {
    method: 'post',
    path: '/placements/{id}/end',
    procedure: 'placements.end',
    tag: 'placements',
    summary: 'End a placement declaration',
    description: UPDATE_NOTE,
  },
  {
    method: 'post',
    path: '/placements/import',
    procedure: 'placements.import',
    tag: 'placements',
    refuse: refuseImportWithRowErrors,
    summary: "Import your authority's whole list of placements",
    description:
      'All or nothing. Rows with errors answer 400 with one issue per bad field (`rows.<index>.<field>`) and nothing changes; with `dryRun: true` the report, errors and all, answers 200. Declarations absent from the import are ended unless `endMissing` is false. ' +
      WRITE_NOTE,
  },
  {
    method: 'get',
    path: '/access/explain',
    procedure: 'access.explain',
    tag: 'access',
    summary: 'Why you can or cannot see a provision or record',
    description:
      'Give `provisionId`, or `recordType` and `recordId`. Answers the bases found, the layer and the rule applied.',
  },
  {
    method: 'get',
    path: '/events',
    procedure: 'events.list',
    tag: 'events',
    summary: 'Events since a cursor',
    description:
      'What changed, each event at your layer, oldest first. Pass the `nextSince` of one page as `since` to get the next; repeat `types` to filter (`types=outcome.published&types=restriction.created`).',
  },
];
