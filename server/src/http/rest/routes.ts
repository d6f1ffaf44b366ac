// The REST route table: the one list from which both the express routes under /api/v1 and the
// OpenAPI document are made, so the two can never disagree. Each route names the tRPC procedure it
// adapts; the procedure's own zod contracts give its parameters, body and response.
import type { AnyTRPCMutationProcedure, AnyTRPCQueryProcedure } from '@trpc/server';
import { zPlacementImportReport } from '@ccx/schema';
import type { AppRouter } from '../routers/index.js';
import type { FieldIssue } from '../trpc.js';

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
  deadlines:
    'Deadlines that act when they pass: action items, letters of concern’s compliance periods, restriction reviews.',
  placements:
    "Placement declarations: counts of children an authority has placed at a setting, never a child's identity.",
  allocations: 'Lead authorities: who monitors which provision for the partnership.',
  monitoring:
    "The partnership's monitoring: how often each type of setting is monitored (and more often while a risk holds), and per lead authority, visits made in time and out of time.",
  concerns: 'Concerns logged about a setting, and the risk RAG they give.',
  access:
    'Need-to-know: why the caller can or cannot see a record, and the grants that widen it (shares of a record, pre-placement grants at a setting).',
  events: 'The pull feed of what changed, filtered by need-to-know.',
  webhooks:
    "Push delivery of the event feed to your own receiver, signed with Standard Webhooks. Needs the admin role; each webhook belongs to the caller's authority.",
  audit:
    "The authority's audit trail: one hash chain per authority of who did or read what, on what basis, and its signed head.",
  clients: 'API clients of an authority (the client id and secret behind a token). Needs the admin role.',
  system: 'The hub itself: an authenticated no-op to prove a token and the connection.',
  people:
    "People who sign in to the hub, and the authority's single sign-on (its OpenID Connect provider). Needs the admin role.",
  sessions: "A person's own browser sessions: list them, end one, or sign out everywhere.",
} as const;
export type RestTag = keyof typeof REST_TAGS;

/** A refusal derived from a successful answer, for procedures that report failures in their result. */
export type OutputRefusal = { detail: string; issues: FieldIssue[] };

export type RestRoute = {
  /**
   * GET and DELETE take their input from the path and query string; POST and PATCH from the path and
   * a JSON body. GET adapts a query and DELETE a mutation; a DELETE answers 200 with the procedure's output.
   */
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path template below REST_PREFIX; each `{name}` fills the input field of that name. */
  path: `/${string}`;
  procedure: ProcedurePath;
  tag: RestTag;
  summary: string;
  description: string;
  /** Answers 201 Created (with a Location header when the table has a GET for `${path}/{id}`). */
  creates?: boolean;
  /** A create that may answer an existing record instead: 200 OK when this says the answer is one. */
  existing?: { is: (output: unknown) => boolean; description: string };
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
const ADMIN_NOTE = "Needs the admin role, and acts only on your own authority's records.";
const UPDATE_NOTE =
  'Needs the officer role. `version` must be the version you read: a stale version answers 409 and changes nothing.';

export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: 'get',
    path: '/ping',
    procedure: 'system.ping',
    tag: 'system',
    summary: 'Check a token and the connection',
    description:
      "Answers who the token speaks for and the hub's clock, and reads no record: the cheapest authenticated call, for health checks and as the floor benchmarks measure against.",
  },
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
    description:
      "Needs the officer role of an authority that hosts one of the provider's settings, or the hub-admin; any other member proposes a correction (POST /providers/{providerId}/corrections). `version` must be the version you read: a stale version answers 409.",
  },
  {
    method: 'post',
    path: '/providers/{providerId}/corrections',
    procedure: 'providers.proposeCorrection',
    tag: 'providers',
    creates: true,
    summary: "Propose a correction of a provider's name or Companies House number",
    description:
      'Needs the officer role. The hub-admin or the host authority of one of its settings accepts or declines it (POST /corrections/{id}/accept or /decline).',
  },
  {
    method: 'post',
    path: '/providers/{mergedId}/merge',
    procedure: 'providers.merge',
    tag: 'providers',
    summary: 'Merge a duplicate provider into another',
    description:
      'Needs the hub-admin role. Its settings, provider-wide restrictions, corrections and event history move to `survivorId`; the merged provider keeps its id with `status: merged` and `mergedIntoId`. `dryRun: true` answers what would move and changes nothing.',
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
    description:
      "Needs the hub-admin role: a setting's host authority and provider decide who may see its records, so the hub operator records them. Send an Idempotency-Key header to make a retry safe.",
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
    description:
      "Needs the officer role of the setting's host authority, or the hub-admin: its regulator facts (Ofsted grade and date, registration status, URN, type), name and postcode are theirs to keep; any other member proposes a correction (POST /provisions/{provisionId}/corrections). Its host authority and provider are the hub-admin's alone. `version` must be the version you read: a stale version answers 409. A merged setting answers 409 naming the one it was merged into.",
  },
  {
    method: 'post',
    path: '/provisions/{provisionId}/corrections',
    procedure: 'provisions.proposeCorrection',
    tag: 'provisions',
    creates: true,
    summary: "Propose a correction of a setting's facts",
    description:
      "Needs the officer role. `changes` holds the proposed values (Ofsted grade and date, registration status, URN, type, name, postcode) and `reason` the evidence. The setting's host authority or the hub-admin accepts or declines it (POST /corrections/{id}/accept or /decline); you and the host receive `directory.correction-proposed` and `directory.correction-decided` events.",
  },
  {
    method: 'post',
    path: '/provisions/{mergedId}/merge',
    procedure: 'provisions.merge',
    tag: 'provisions',
    summary: 'Merge a duplicate setting into another',
    description:
      'Needs the hub-admin role. Everything of the setting `mergedId` (records, allocations, placements, grants, corrections, event history) moves to `survivorId` in one transaction; the merged setting keeps its id with `status: merged` and `mergedIntoId` naming the survivor. `dryRun: true` answers what would move and changes nothing. Refused (409) when either is already merged or both hold a lead allocation; merging a setting into itself is a 400.',
  },
  {
    method: 'get',
    path: '/corrections',
    procedure: 'corrections.list',
    tag: 'provisions',
    summary: 'List proposed corrections of the directory',
    description:
      '`view=awaiting-my-decision`: proposed corrections of settings your authority hosts (and of providers with a setting it hosts); the hub-admin sees every one. `view=proposed-by-me`: those your authority proposed, whatever their status. Newest first, a page at a time.',
  },
  {
    method: 'get',
    path: '/corrections/{id}',
    procedure: 'corrections.get',
    tag: 'provisions',
    summary: 'Get a proposed correction',
    description:
      'Its proposer, whoever may decide it, and the hub-admin may read it; to anyone else it is not found.',
  },
  {
    method: 'post',
    path: '/corrections/{id}/accept',
    procedure: 'corrections.accept',
    tag: 'provisions',
    summary: 'Accept a proposed correction',
    description:
      "Needs the officer role of the entry's host authority, or the hub-admin. Applies the proposed changes as your own edit would (audited, with events saying who made it and from which correction). `version` is the correction's.",
  },
  {
    method: 'post',
    path: '/corrections/{id}/decline',
    procedure: 'corrections.decline',
    tag: 'provisions',
    summary: 'Decline a proposed correction',
    description:
      "Needs the officer role of the entry's host authority, or the hub-admin. `note` says why; the proposer reads it. Nothing in the directory changes.",
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
    method: 'delete',
    path: '/outcomes/{id}',
    procedure: 'outcomes.deleteDraft',
    tag: 'outcomes',
    summary: 'Delete a draft outcome',
    description: `Only a draft, and only by the authority that wrote it (another authority's draft answers 404); a published outcome answers 409 and is withdrawn instead. Give \`version\` as a query parameter (\`?version=2\`). Audited; no event is sent, since no one else saw the draft. ${UPDATE_NOTE}`,
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
    existing: {
      is: (output) => (output as { joined?: unknown } | null)?.joined === true,
      description:
        'The regulator notice (`source: regulator`) already has a record not yet lifted, with the same `regulatorReference` on the same provision or provider: your authority joined it as a relayer, and the answer is that record, with `joined: true`.',
    },
    summary: 'Publish a restriction or embargo',
    description: `On one provision (\`provisionId\`) or a whole provider (\`providerId\`). Authorities with children placed there are told at once. A regulator notice has one record: relaying one already recorded joins that record (200, \`joined: true\`) instead of making a second. ${WRITE_NOTE}`,
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
    description: `Only its issuer may, or, for a regulator notice, any authority that relayed it. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/restrictions/{id}/lift',
    procedure: 'restrictions.lift',
    tag: 'restrictions',
    summary: 'Lift a restriction',
    description: `Only its issuer may, or, for a regulator notice, any authority that relayed it. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/restrictions/{id}/compliance',
    procedure: 'restrictions.comply',
    tag: 'restrictions',
    summary: "Record the provider's compliance (or not) with a letter of concern",
    description: `Only its issuer may. \`complied: true\` ends the compliance deadline; \`false\` stays a caution reason in placement checks ("did not comply by …"). Kept as a new version. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/restrictions/{id}/review',
    procedure: 'restrictions.review',
    tag: 'restrictions',
    summary: 'Record a review of a restriction and set the next review date',
    description: `Only its issuer may. Ends the passed review deadline; \`nextReviewOn: null\` for no further review. Kept as a new version. ${UPDATE_NOTE}`,
  },
  {
    method: 'get',
    path: '/deadlines/overdue',
    procedure: 'deadlines.overdue',
    tag: 'deadlines',
    summary: 'Deadlines passed (and soon due) on your records and at the settings you lead',
    description:
      "Action items past their due date and not met, letters of concern whose compliance period ended with no compliance recorded, restrictions whose review date passed: on records your authority published, and on records at settings it leads that it reads in detail. `dueWithinDays` adds those falling due within that many days. The hub-admin sees every authority's (or one, with `authorityId`).",
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
    path: '/monitoring/frequencies',
    procedure: 'monitoring.frequencies',
    tag: 'monitoring',
    summary: 'How often each type of setting is monitored, and the shorter intervals a risk gives',
    description:
      "For each provision type: `months` between monitoring activities, and `risk`, the shorter interval while a risk trigger holds — `grade-inadequate`, `grade-requires-improvement` (the setting's Ofsted grade) and `manager-changed` (its registered manager changed in the last 12 months). The hub-admin's choices, else the defaults (12 months, 3 for unregulated settings; inadequate 3, requires improvement 6, a new manager 6, never longer than the type's). Any member may read them.",
  },
  {
    method: 'post',
    path: '/monitoring/frequencies',
    procedure: 'monitoring.setFrequency',
    tag: 'monitoring',
    summary: "Set a type's monitoring interval or its risk intervals",
    description:
      "Needs the hub-admin role. Give `type` and `months`, or `risk` (any of its three triggers), or both; what you leave out stays as it was. A risk interval longer than the type's own answers 400: a risk shortens the interval, it never lengthens it. Audited. Answers every type's frequency.",
  },
  {
    method: 'get',
    path: '/monitoring/overdue',
    procedure: 'monitoring.overdue',
    tag: 'monitoring',
    summary: 'Overdue and never-monitored settings, per lead authority',
    description:
      'Needs the hub-admin role. Each setting led today whose monitoring is overdue or was never done by its lead, with its monitoring state: the last counting activity, the next due date, and the interval that applied and why.',
  },
  {
    method: 'get',
    path: '/monitoring/report',
    procedure: 'monitoring.report',
    tag: 'monitoring',
    summary: 'The monitoring report: visits in time and out of time per lead authority',
    description:
      "Needs the hub-admin role. For each member authority that leads settings today: the settings it leads, its own published visits to them made on or before the date they were due (`visitsInTime`) or after it (`visitsOutOfTime`), and how many of the settings are overdue now or have never been monitored. Only activities that count as monitoring are visits here: a visit or review (not a contract meeting) published by the setting's lead authority; other members' outcomes are intelligence. A visit is due on the date the visit before it set, or its date plus the interval that applies (the type's, shorter while a risk trigger holds — then whichever is sooner); a first visit, on the allocation's start plus the interval.",
  },
  {
    method: 'get',
    path: '/provisions/{provisionId}/concerns',
    procedure: 'concerns.list',
    tag: 'concerns',
    summary: "A provision's concerns and risk rating",
    description:
      "The concerns you may read in detail (restricted ones you may not read as one signal per logging authority), and the setting's and its provider's risk ratings: open and substantiated concerns of the last 12 months, whoever may read them.",
  },
  {
    method: 'post',
    path: '/concerns',
    procedure: 'concerns.log',
    tag: 'concerns',
    creates: true,
    summary: 'Log a concern',
    description: `At a level (\`minor\`, \`level-1\`, \`level-2\`) and in a category. A level-2 or safeguarding concern is a reason in every placement check of the setting while it counts, and is pushed to every authority with a need-to-know basis there. ${WRITE_NOTE}`,
  },
  {
    method: 'get',
    path: '/concerns/{id}',
    procedure: 'concerns.get',
    tag: 'concerns',
    summary: 'Get a concern',
    description:
      'With every version. Only authorities with a need-to-know basis (and its logger) read one; a restricted one is a signal to others. A read is audited.',
  },
  {
    method: 'patch',
    path: '/concerns/{id}',
    procedure: 'concerns.correct',
    tag: 'concerns',
    summary: 'Correct a concern',
    description: `Only the authority that logged it may; \`note\` says why, and the version before is kept. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/concerns/{id}/substantiate',
    procedure: 'concerns.substantiate',
    tag: 'concerns',
    summary: 'Mark a concern substantiated',
    description: `Only the authority that logged it may; it keeps counting. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/concerns/{id}/unsubstantiate',
    procedure: 'concerns.unsubstantiate',
    tag: 'concerns',
    summary: 'Mark a concern unsubstantiated',
    description: `Only the authority that logged it may; it stops counting. ${UPDATE_NOTE}`,
  },
  {
    method: 'post',
    path: '/concerns/{id}/close',
    procedure: 'concerns.close',
    tag: 'concerns',
    summary: 'Close a concern',
    description: `Only the authority that logged it may, with a \`reason\`; it stops counting and no longer changes. ${UPDATE_NOTE}`,
  },
  {
    method: 'get',
    path: '/risk-bands',
    procedure: 'concerns.riskBands',
    tag: 'concerns',
    summary: "The risk rating's bands",
    description:
      'How many counting concerns in 12 months rate medium (`mediumFrom`) and high (`highFrom`); the defaults (5 and 11) until the hub-admin sets them.',
  },
  {
    method: 'patch',
    path: '/risk-bands',
    procedure: 'concerns.setRiskBands',
    tag: 'concerns',
    summary: "Set the risk rating's bands",
    description: 'Needs the hub-admin role. `highFrom` must be more than `mediumFrom`.',
  },
  {
    method: 'get',
    path: '/provisions/{provisionId}/placing-authorities',
    procedure: 'placements.atProvision',
    tag: 'placements',
    summary: 'The authorities placing children at a setting',
    description:
      "For the setting's current lead and its host authority only (403 for any other): each authority with an open placement declaration there, its number of children (the sum of its open declarations) and its quality-assurance contact. Audited as a read.",
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
  {
    method: 'post',
    path: '/authorities',
    procedure: 'authorities.create',
    tag: 'authorities',
    creates: true,
    summary: 'Add a member authority',
    description:
      'Needs the hub-admin role. The id is a lower-case slug such as `north-tyneside`; a new member is active. Send an Idempotency-Key header to make a retry safe.',
  },
  {
    method: 'patch',
    path: '/authorities/{id}',
    procedure: 'authorities.update',
    tag: 'authorities',
    summary: 'Update a member authority',
    description:
      'Needs the hub-admin role. Changes its name, GSS code, region, QA inbox or membership status. `version` must be the version you read: a stale version answers 409 and changes nothing.',
  },
  {
    method: 'get',
    path: '/access/grants',
    procedure: 'access.grants',
    tag: 'access',
    summary: 'Grants to, from or about your authority',
    description:
      'Shares and pre-placement grants to or from your authority, and every pre-placement grant at a provision you lead or host. Active ones only unless `activeOnly=false`. Filters: `provisionId`, `kind`.',
  },
  {
    method: 'post',
    path: '/access/prospective-grants',
    procedure: 'access.requestProspective',
    tag: 'access',
    creates: true,
    summary: 'Request a pre-placement grant at a setting',
    description:
      "Before placing a child, see a setting's records as a placing authority would, for `days` (1 to 14, default 7). Give a reason and your own case reference (never a child's name). The lead and host authorities can see the grant. A second open grant at the same setting, or more than the hub allows at once, answers 409. " +
      WRITE_NOTE,
  },
  {
    method: 'post',
    path: '/access/shares',
    procedure: 'access.share',
    tag: 'access',
    creates: true,
    summary: 'Share a record with another authority',
    description:
      'Gives another member authority detail of one published record, open-ended or `until` a last day. Only the publishing authority, or the lead of the setting for a record that is not restricted, may share. ' +
      WRITE_NOTE,
  },
  {
    method: 'post',
    path: '/access/grants/{grantId}/revoke',
    procedure: 'access.revoke',
    tag: 'access',
    summary: 'Revoke a share or a pre-placement grant',
    description:
      'A share is revoked by the authority that shared; a pre-placement grant also by the authority that holds it. Revoking a revoked grant answers it unchanged. Needs the officer role.',
  },
  {
    method: 'get',
    path: '/webhooks',
    procedure: 'webhooks.list',
    tag: 'webhooks',
    summary: "Your authority's webhooks",
    description: `Deleted webhooks are not listed. ${ADMIN_NOTE}`,
  },
  {
    method: 'post',
    path: '/webhooks',
    procedure: 'webhooks.create',
    tag: 'webhooks',
    creates: true,
    summary: 'Subscribe a receiver to events',
    description:
      'Events of the given `eventTypes` (optionally only about `provisionIds`) are POSTed to `url`, each at your layer. The answer carries the signing `secret` (`whsec_…`): it is shown this once and never again, so store it now. The URL must be https to a public address. Needs the admin role. Send an Idempotency-Key header to make a retry safe.',
  },
  {
    method: 'delete',
    path: '/webhooks/{id}',
    procedure: 'webhooks.delete',
    tag: 'webhooks',
    summary: 'Delete a webhook',
    description: `Nothing more is sent to it. Answers the webhook as it now is (\`status: disabled\`); it is no longer listed, and a second delete answers 404. ${ADMIN_NOTE}`,
  },
  {
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    procedure: 'webhooks.rotateSecret',
    tag: 'webhooks',
    summary: "Rotate a webhook's signing secret",
    description: `Answers the new secret, shown this once. For an overlap period each delivery carries two signatures, one with the old secret and one with the new, so the receiver can switch without losing a delivery. No body is needed. ${ADMIN_NOTE}`,
  },
  {
    method: 'post',
    path: '/webhooks/{id}/test',
    procedure: 'webhooks.test',
    tag: 'webhooks',
    summary: 'Send a signed test ping now',
    description: `Sends a \`webhook.test\` delivery at once and answers it, with \`ok\` saying whether the receiver accepted it. A refused ping is not retried. No body is needed. ${ADMIN_NOTE}`,
  },
  {
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    procedure: 'webhooks.deliveries',
    tag: 'webhooks',
    summary: "A webhook's recent deliveries",
    description: `Newest first, up to \`limit\` (default 50, at most 200), each with its status (\`pending\`, \`delivered\`, \`failed\` or \`dead\`), attempts and the receiver's last answer. ${ADMIN_NOTE}`,
  },
  {
    method: 'post',
    path: '/webhooks/{id}/deliveries/{deliveryId}/resend',
    procedure: 'webhooks.resend',
    tag: 'webhooks',
    summary: 'Send a delivery again',
    description: `Queues the delivery again from its first attempt, typically a \`dead\` one once the receiver is fixed. No body is needed. ${ADMIN_NOTE}`,
  },
  {
    method: 'get',
    path: '/audit',
    procedure: 'audit.list',
    tag: 'audit',
    summary: 'Audit entries',
    description:
      "Newest first, a page at a time (pass `nextCursor` as `cursor`). `scope` is `mine` (your authority's own chain: what its clients did and read, the default), `reads-of-my-records` (other authorities' reads of outcomes your authority published) or `reads-at-my-provisions` (other authorities' reads at provisions you lead or host). Filters: `recordId`, `action`. Needs the officer role.",
  },
  {
    method: 'get',
    path: '/audit/verify',
    procedure: 'audit.verify',
    tag: 'audit',
    summary: "Verify your authority's audit chain",
    description:
      "Recomputes every hash of the chain and answers whether it is intact, and where it first breaks if not. Your own authority's chain; only the hub-admin may name another with `authorityId`. Needs the officer role.",
  },
  {
    method: 'get',
    path: '/audit/head',
    procedure: 'audit.exportHead',
    tag: 'audit',
    summary: "The signed head of your authority's audit chain",
    description:
      "The latest sequence number and hash, with a compact JWS over them signed by the hub's key (verify it against `/.well-known/jwks.json`). Keep heads over time to show later that the chain was not rewritten. Only the hub-admin may name another authority with `authorityId`. Needs the officer role.",
  },
  {
    method: 'get',
    path: '/clients',
    procedure: 'clients.list',
    tag: 'clients',
    summary: "Your authority's API clients",
    description:
      "Newest first, revoked ones too. The hub-admin sees every authority's, or one with `authorityId`. Secrets are never shown. Needs the admin role.",
  },
  {
    method: 'post',
    path: '/clients',
    procedure: 'clients.create',
    tag: 'clients',
    creates: true,
    summary: 'Create an API client',
    description:
      'For your own authority (only the hub-admin may name another with `authorityId`), with a role no higher than your own. The answer carries `clientSecret`: it is shown this once and never again, so store it now. Needs the admin role.',
  },
  {
    method: 'post',
    path: '/clients/{id}/revoke',
    procedure: 'clients.revoke',
    tag: 'clients',
    summary: 'Revoke an API client',
    description:
      "Its secret stops working at once and so do the tokens issued to it. Another authority's client answers 404. No body is needed. Needs the admin role.",
  },
  {
    method: 'get',
    path: '/people',
    procedure: 'people.list',
    tag: 'people',
    summary: "Your authority's people",
    description:
      "Newest first: invited, active and deactivated, filtered with `status`. The hub-admin sees every authority's, or one with `authorityId`. Needs the admin role.",
  },
  {
    method: 'post',
    path: '/people',
    procedure: 'people.invite',
    tag: 'people',
    creates: true,
    summary: 'Invite a person',
    description:
      'Adds a person with a role no higher than your own, to your authority (the hub-admin may name another with `authorityId`). The answer carries `invitationUrl`, single use and valid 72 hours: it is shown this once (and e-mailed when the hub sends mail). Needs the admin role.',
  },
  {
    method: 'post',
    path: '/people/{id}/reinvite',
    procedure: 'people.reinvite',
    tag: 'people',
    summary: 'Send an invited person a new link',
    description:
      'For a person who has not set up yet: a new link, valid 72 hours; the earlier one stops working. Needs the admin role.',
  },
  {
    method: 'post',
    path: '/people/{id}/role',
    procedure: 'people.setRole',
    tag: 'people',
    summary: "Change a person's role",
    description:
      "To a role no higher than your own; it applies from the person's next call. You cannot change your own. Needs the admin role.",
  },
  {
    method: 'post',
    path: '/people/{id}/deactivate',
    procedure: 'people.deactivate',
    tag: 'people',
    summary: 'Deactivate a person',
    description:
      'The person cannot sign in again, every session of theirs ends at once and any unused link stops working. Needs the admin role.',
  },
  {
    method: 'get',
    path: '/identity-provider',
    procedure: 'identityProviders.get',
    tag: 'people',
    summary: "Your authority's single sign-on",
    description:
      'The OpenID Connect provider your people sign in with (null when none), with the redirect URI to register there. The client secret is never shown. Needs the admin role.',
  },
  {
    method: 'post',
    path: '/identity-provider',
    procedure: 'identityProviders.set',
    tag: 'people',
    summary: "Set your authority's single sign-on",
    description:
      'Issuer, client id and secret (required the first time; leave it out to keep the stored one), the e-mail domains allowed, and whether people unknown to the hub are created at first sign-in with `defaultRole` or must be invited first. Needs the admin role.',
  },
  {
    method: 'post',
    path: '/identity-provider/remove',
    procedure: 'identityProviders.remove',
    tag: 'people',
    summary: "Remove your authority's single sign-on",
    description: 'People who signed in with it must then be given a local account. Needs the admin role.',
  },
  {
    method: 'get',
    path: '/me/sessions',
    procedure: 'auth.sessions',
    tag: 'sessions',
    summary: 'My sessions',
    description:
      'The browser sessions of the signed-in person, newest first, the current one marked. For a person (a session cookie), not an API client.',
  },
  {
    method: 'post',
    path: '/me/sessions/{handle}/end',
    procedure: 'auth.endSession',
    tag: 'sessions',
    summary: 'End one of my sessions',
    description:
      'Signs that session out (for example one left open on another computer). For a person, not an API client.',
  },
];
