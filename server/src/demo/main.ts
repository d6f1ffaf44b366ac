// `npm run demo`: the hub on its own demo data folder, filled on first run with invented data,
// printing client credentials for three demo authorities and calls to copy and paste.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config.js';
import type { Actor } from '../domain/actor.js';
import { insertClient } from '../domain/clients/clients.js';
import { createHub, type Hub } from '../hub.js';
import { startHub } from '../server.js';
import { DEMO_CLIENTS, seedDemoDirectory } from './data.js';
import { seedDemoMonitoring } from './monitoring.js';
import { seedDemoCorrection } from './directory.js';
import { seedDemoNeedToKnow, type Showcase } from './need-to-know.js';
import { seedDemoPeople, type DemoPerson } from './people.js';

type DemoCredential = {
  authorityId: string;
  role: string;
  name: string;
  clientId: string;
  clientSecret: string;
};
type DemoState = {
  clients: DemoCredential[];
  showcase: Showcase;
  people?: DemoPerson[];
  /** Where Knowsley's substantiated level-2 safeguarding concern stands (absent in older demo folders). */
  concernAt?: { provisionId: string; name: string; urn: string | null };
};

const env = {
  CCX_DATA_DIR: './.demo-data',
  LOG_LEVEL: 'warn',
  CCX_HOST_AUTHORITY_NAME: 'Partnership hub (demo host)',
  // Lets a demo webhook point at a receiver on this machine.
  CCX_WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  ...process.env,
};
let config;
try {
  config = loadConfig(env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const stateFile = path.resolve(config.dataDir, 'demo-credentials.json');
const shortlistFile = path.resolve(config.dataDir, 'shortlist.csv');
const FILL = '--fill';

const readState = async (): Promise<DemoState | null> => {
  try {
    const read = JSON.parse(await readFile(stateFile, 'utf8')) as DemoState;
    return Array.isArray(read.clients) ? read : null;
  } catch {
    return null; // none yet, or an old demo folder
  }
};

/** First run: fill the hub through the same services the API uses, all in one transaction. */
const fill = async (hub: Hub, hostAuthorityId: string): Promise<void> => {
  const started = performance.now();
  const system: Actor = {
    clientId: 'demo-seed',
    authorityId: hostAuthorityId,
    role: 'hub-admin',
    requestId: 'demo-seed',
    now: new Date(),
  };
  const seeded = await hub.database.db.transaction(async (tx) => {
    const directory = await seedDemoDirectory(tx, system);
    const needToKnow = await seedDemoNeedToKnow(tx, system, directory.provisions);
    const monitoring = await seedDemoMonitoring(tx, directory.provisions, needToKnow.showcase, system.now);
    await seedDemoCorrection(tx, system, directory.provisions, needToKnow.showcase.provisionId);
    const clients: DemoCredential[] = [];
    for (const c of DEMO_CLIENTS) {
      const { client, clientSecret } = await insertClient(tx, {
        authorityId: c.authorityId,
        name: c.name,
        role: c.role,
        createdBy: null,
      });
      clients.push({
        authorityId: c.authorityId,
        role: c.role,
        name: c.name,
        clientId: client.id,
        clientSecret,
      });
    }
    return { directory, needToKnow, monitoring, clients };
  });
  const filled: DemoState = {
    clients: seeded.clients,
    showcase: seeded.needToKnow.showcase,
    concernAt: seeded.monitoring.concernAt,
    people: await seedDemoPeople(hub.database.db, new Date(), hostAuthorityId),
  };
  await writeFile(stateFile, `${JSON.stringify(filled, null, 2)}\n`, { mode: 0o600 });
  // A placing officer's shortlist, for `ccx check --file`: the showcase, five more, and a mistyped URN.
  const shortlist = [
    seeded.needToKnow.showcase,
    ...seeded.directory.provisions
      .filter((p) => p.urn && p.id !== seeded.needToKnow.showcase.provisionId)
      .slice(0, 5),
  ].map((p) => `"${p.name}",${p.urn ?? ''}`);
  await writeFile(shortlistFile, `name,urn\n${[...shortlist, '"Mistyped URN",SC000000'].join('\n')}\n`);
  const d = seeded.directory;
  const n = seeded.needToKnow;
  console.log(
    `Filled the demo hub in ${Math.round(performance.now() - started)} ms (all invented): ${d.authorities} member authorities, ${d.providers} providers, ` +
      `${d.provisions.length} provisions; ${n.placements} placement declarations, ${n.allocations} lead allocations, ${n.outcomes} published outcomes, 1 pre-placement grant; ${seeded.monitoring.restrictions} restrictions, ${seeded.monitoring.concerns} concerns.`,
  );
};

if (process.argv.includes(FILL)) {
  // The filling process: set up the folder, fill it, and end.
  const hub = await createHub({ config });
  const boot = await bootstrap(hub);
  await fill(hub, boot.hostAuthorityId);
  await hub.close();
  process.exit(0);
}

if (!(await readState())) {
  // The first run fills the folder in a short-lived process of its own. The embedded database runs in
  // the hub's own memory and never gives back what it grew to: filled here, the hub would hold the
  // filling's peak (over 100 MB more) for as long as it runs.
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), FILL], {
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    console.error(`filling the demo folder ${path.resolve(config.dataDir)} failed (exit ${code})`);
    process.exit(1);
  }
}

const hub = await createHub({ config });
const running = await startHub(config, { hub });
const filled = await readState();
if (!filled) {
  console.error(
    `the demo folder ${path.resolve(config.dataDir)} holds no demo credentials; delete it to start afresh`,
  );
  process.exit(1);
}
const state = filled;

// A demo folder made before people could sign in gains them now.
if (!state.people) {
  state.people = await seedDemoPeople(hub.database.db, new Date(), running.bootstrap.hostAuthorityId);
  await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
const demoPeople = state.people;
const priya = demoPeople[0]!;

const base = running.url;
const tokenCmd = (c: DemoCredential) =>
  `$(curl -s -u '${c.clientId}:${c.clientSecret}' -d grant_type=client_credentials ${base}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;
const [medway, bolton, northTyneside] = state.clients;
const s = state.showcase;
const listInput = `'input={"provisionId":"${s.provisionId}"}'`;
const jar = path.resolve(config.dataDir, 'priya.cookies');
const pageHeaders = `-H 'Origin: ${new URL(base).origin}' -H 'x-ccx-csrf: 1' -H 'content-type: application/json'`;
console.log(`
ccx demo hub ready at ${base}  (data in ${path.resolve(config.dataDir)}; delete that folder to start afresh)

Demo clients — invented data, valid only for this demo folder:
${state.clients.map((c) => `  ${c.authorityId.padEnd(15)} ${c.role.padEnd(8)} client_id=${c.clientId}  client_secret=${c.clientSecret}`).join('\n')}
The hub-admin's credentials are in ${path.resolve(config.dataDir, 'bootstrap.json')}.

Try it — get a token for each demo authority:
  MEDWAY=${tokenCmd(medway!)}
  BOLTON=${tokenCmd(bolton!)}
  NTYNE=${tokenCmd(northTyneside!)}
  curl -s -H "Authorization: Bearer $MEDWAY" ${base}/trpc/system.ping        # the token works: who it speaks for
  curl -s -H "Authorization: Bearer $MEDWAY" ${base}/trpc/authorities.me
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/provisions.search --data-urlencode 'input={"q":"house","limit":5}'

Need-to-know at ${s.name} (${s.urn ?? 'no URN'}, in ${s.hostAuthorityId}): Medway leads it and places most children, Bolton
places one child, North Tyneside has no basis. The same list, three answers:
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/outcomes.listForProvision --data-urlencode ${listInput}   # detail, incl. a restricted outcome
  curl -s -G -H "Authorization: Bearer $BOLTON" ${base}/trpc/outcomes.listForProvision --data-urlencode ${listInput}   # detail + a restricted-information signal
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/outcomes.listForProvision --data-urlencode ${listInput}    # summaries + the signal
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/access.explain --data-urlencode ${listInput}               # why, and what would grant more
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/audit.list --data-urlencode 'input={"scope":"reads-of-my-records"}'  # who read Medway's records
  curl -s -H "Authorization: Bearer $MEDWAY" ${base}/api/v1/provisions/${s.provisionId}/placing-authorities   # as its lead: who places there, and their QA contacts (Bolton: 403)

Before a placement — one call, three verdicts (Medway has informally embargoed it; Bolton sent a letter of concern):
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/checks.placement --data-urlencode ${listInput}   # do-not-place: its own embargo
  curl -s -G -H "Authorization: Bearer $BOLTON" ${base}/trpc/checks.placement --data-urlencode ${listInput}   # caution: its letter of concern, whose compliance period ended without compliance recorded, restricted information, Ofsted grade
  curl -s -G -H "Authorization: Bearer $BOLTON" ${base}/trpc/deadlines.overdue                                   # what has passed on Bolton's records: the letter of concern's compliance period
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/checks.placement --data-urlencode ${listInput}    # caution, with summaries only
  curl -s -G -H "Authorization: Bearer $BOLTON" ${base}/trpc/restrictions.list --data-urlencode 'input={"active":true}'   # every active restriction, at Bolton's layer
${
  state.concernAt
    ? `
A concern that counts — at ${state.concernAt.name}, Knowsley logged a level-2 safeguarding concern, found substantiated:
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/checks.placement --data-urlencode 'input={"provisionId":"${state.concernAt.provisionId}"}'   # caution: a significant concern, for every authority
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/concerns.list --data-urlencode 'input={"provisionId":"${state.concernAt.provisionId}"}'      # its level, category and standing, and the setting's and provider's risk rating
`
    : ''
}
What changed — the event feed, filtered the same way (webhooks and a live subscription carry the same events):
  curl -s -G -H "Authorization: Bearer $BOLTON" ${base}/trpc/events.list --data-urlencode 'input={"since":"0","limit":5}'
  curl -s -G -H "Authorization: Bearer $NTYNE" ${base}/trpc/events.list --data-urlencode 'input={"since":"0","limit":5}'

The console — open ${base}/ in a browser and sign in as one of the demo's people: the address, the password,
then the code an authenticator app (such as Microsoft Authenticator) shows for their TOTP secret, or the code from
\`npm run -s admin -- totp-code --secret <secret>\` (docs/console.md; invented people, valid only for this demo folder):
${demoPeople.map((p) => `  ${p.authorityId.padEnd(15)} ${p.role.padEnd(9)} ${p.name.padEnd(11)} ${p.email}  password=${p.password}  TOTP secret=${p.totpSecret}`).join('\n')}
Each sees their own work: ${priya.name} finds a setting and its verdict, leads Medway's monitoring (My settings) and sees
events arrive (Notifications); ${demoPeople[1]!.name} runs Bolton's people, API clients, webhooks, placements and audit (Administration);
${demoPeople[2]!.name} may look but not change; ${demoPeople[3]?.name ?? 'the hub admin'} runs the partnership (Partnership: members, directory, allocations,
the monitoring report).

From a script, sign in as ${priya.name} as a browser would — a cookie jar, and the Origin and x-ccx-csrf headers the
console sends with every call that changes something (docs/people-and-sign-in.md):
  curl -s -c ${jar} ${pageHeaders} -d '{"email":"${priya.email}","password":"${priya.password}"}' ${base}/trpc/auth.signIn
  curl -s -b ${jar} -c ${jar} ${pageHeaders} -d "{\\"code\\":\\"$(npm run -s admin -- totp-code --secret ${priya.totpSecret})\\"}" ${base}/trpc/auth.secondFactor
  curl -s -b ${jar} ${base}/trpc/auth.me        # signed in as ${priya.name}, ${priya.role} of ${priya.authorityId}: a session, not a token
  curl -s -G -b ${jar} ${base}/trpc/audit.list --data-urlencode 'input={"limit":3}'   # Medway's audit names her sign-in and every call she makes
  curl -s -H "Authorization: Bearer $BOLTON" ${base}/api/v1/people   # expected: 403 — people are managed by an admin, such as ${demoPeople[1]!.name} of Bolton

From a terminal — the ccx command, as Bolton (docs/cli.md; -s keeps npm's own lines out of the output):
  export CCX_URL=${base} CCX_CLIENT_ID=${bolton!.clientId} CCX_CLIENT_SECRET=${bolton!.clientSecret}
  npm run -s ccx -- check ${s.urn ?? s.provisionId}                       # the verdict and its reasons; expected: exit 3 (caution)
  npm run -s ccx -- check --file ${shortlistFile}   # one row each, the worst as the exit code; expected: exit 4 (a mistyped URN is not found)
  npm run -s ccx -- restrictions list --active                            # each setting by URN and name, each issuer by name
  npm run -s ccx -- export restrictions --format csv > restrictions.csv   # for a spreadsheet: the same columns whatever the data
  npm run -s ccx -- events tail                                           # what changed, at Bolton's layer

From any language — REST with an OpenAPI 3.1 document (docs/rest.md):
  ${base}/openapi.json     ${base}/docs/api   (a browsable reference; Authorize with a token from above)
  curl -s -H "Authorization: Bearer $BOLTON" '${base}/api/v1/checks/placement?provisionId=${s.provisionId}'
  curl -s -H "Authorization: Bearer $NTYNE" '${base}/api/v1/outcomes?provisionId=${s.provisionId}'

From TypeScript — @ccx/client, with the CCX_ variables above (docs/sdk.md):
  npx tsx --conditions=ccx-source docs/sdk-examples/check-a-setting.ts ${s.urn ?? ''}   # exits as ccx check does; expected: exit 3 (caution)
  npx tsx --conditions=ccx-source docs/sdk-examples/export-restrictions.ts

Hardened — guessing secrets, tampering, flooding, typos (docs/security.md):
  for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code} ' -u 'ccx_guess:wrong' -d grant_type=client_credentials ${base}/oauth/token; done; echo
      # expected: 401 ten times, ever more slowly, then 429 with Retry-After: that client id is locked for 15 minutes
  curl -s -H "Authorization: Bearer $MEDWAY" ${base}/trpc/audit.verify      # Medway's hash-chained audit trail verifies
  curl -s -H "Authorization: Bearer $MEDWAY.forged" ${base}/trpc/system.ping  # expected: 401, one generic answer for every kind of bad token
  curl -s -H "Authorization: Bearer $MEDWAY" '${base}/api/v1/provisions?limit=201'  # expected: 400 naming the field, as every input is bounded
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/provisions.search --data-urlencode 'input={"q":"house","limt":5}'  # expected: 400 unknown field "limt" — did you mean "limit"? Nothing is dropped silently
  curl -s -G -H "Authorization: Bearer $MEDWAY" ${base}/trpc/checks.placment --data-urlencode ${listInput}  # expected: 404 no procedure "checks.placment" — did you mean "checks.placement"?

At national scale — a synthetic England of 153 councils and 15,000 settings, and a benchmark that
drives a hub on it over HTTP (docs/benchmarking.md; needs PostgreSQL):
  npm run bench:data -- --reset --database-url postgres://root@127.0.0.1:5432/ccx_bench   # needs PostgreSQL
  npm run bench                                                                           # needs PostgreSQL

Press Ctrl+C to stop.`);

const shutdown = () => {
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
