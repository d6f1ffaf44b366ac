// `npm run demo`: the hub on its own demo data folder, filled on first run with invented data,
// printing client credentials for three demo authorities and a first call to copy and paste.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { insertClient } from '../domain/clients/clients.js';
import { createHub } from '../hub.js';
import { startHub } from '../server.js';
import { DEMO_CLIENTS, seedDemoDirectory } from './data.js';

type DemoCredential = {
  authorityId: string;
  role: string;
  name: string;
  clientId: string;
  clientSecret: string;
};

const env = {
  CCX_DATA_DIR: './.demo-data',
  LOG_LEVEL: 'warn',
  CCX_HOST_AUTHORITY_NAME: 'Partnership hub (demo host)',
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

const hub = await createHub({ config });
const running = await startHub(config, { hub });
const credentialsFile = path.resolve(config.dataDir, 'demo-credentials.json');

let credentials: DemoCredential[];
try {
  credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as DemoCredential[];
} catch {
  // First run: fill the directory and make the demo clients, all in one transaction.
  const started = performance.now();
  const system = {
    clientId: 'demo-seed',
    authorityId: running.bootstrap.hostAuthorityId,
    role: 'hub-admin' as const,
    requestId: 'demo-seed',
    now: new Date(),
  };
  const { counts, made } = await hub.database.db.transaction(async (tx) => {
    const counts = await seedDemoDirectory(tx, system);
    const made: DemoCredential[] = [];
    for (const c of DEMO_CLIENTS) {
      const { client, clientSecret } = await insertClient(tx, {
        authorityId: c.authorityId,
        name: c.name,
        role: c.role,
        createdBy: null,
      });
      made.push({
        authorityId: c.authorityId,
        role: c.role,
        name: c.name,
        clientId: client.id,
        clientSecret,
      });
    }
    return { counts, made };
  });
  credentials = made;
  await writeFile(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  console.log(
    `Filled the demo directory in ${Math.round(performance.now() - started)} ms: ${counts.authorities} member authorities, ${counts.providers} providers, ${counts.provisions} provisions (all invented).`,
  );
}

const base = running.url;
const first = credentials[0]!;
console.log(`
ccx demo hub ready at ${base}  (data in ${path.resolve(config.dataDir)}; delete that folder to start afresh)

Demo clients — invented data, valid only for this demo folder:
${credentials.map((c) => `  ${c.authorityId.padEnd(15)} ${c.role.padEnd(8)} client_id=${c.clientId}  client_secret=${c.clientSecret}`).join('\n')}
The hub-admin's credentials are in ${path.resolve(config.dataDir, 'bootstrap.json')}.

Try it:
  TOKEN=$(curl -s -u '${first.clientId}:${first.clientSecret}' -d grant_type=client_credentials ${base}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" ${base}/trpc/authorities.me
  curl -s -G -H "Authorization: Bearer $TOKEN" ${base}/trpc/provisions.search --data-urlencode 'input={"q":"house","limit":5}'

Press Ctrl+C to stop.`);

const shutdown = () => {
  running.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
