// `npm run admin -- <command>`: operator commands that work on the hub's database directly.
// Run them with the same environment (DATABASE_URL or CCX_DATA_DIR) as the hub. With the embedded
// database, stop the hub first: PGlite allows one process at a time.
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { zAuthorityId, zName, zRole } from '@ccx/schema';
import { SigningKeyStore } from './auth/signing-keys.js';
import { ConfigError, loadConfig } from './config.js';
import { authorities } from './db/schema/index.js';
import { insertClient } from './domain/clients/clients.js';
import { openConfiguredDatabase } from './hub.js';
import { totpAt, totpStep } from './auth/totp.js';
import { issueSetupLink, linkUrl, SETUP_LINK_HOURS } from './domain/people/people.js';

const HELP = `ccx admin — operator commands

  npm run admin -- keys list                 list signing keys (active and retired)
  npm run admin -- keys rotate               make a new signing key; the old one verifies until its tokens expire
  npm run admin -- clients create --authority <id> --role <viewer|officer|admin|hub-admin> --name <text>
                                             create an API client and print its secret once
  npm run admin -- setup-link                a new one-time link to set up a hub-admin person (valid 24 hours),
                                             for when the first one was lost or expired
  npm run admin -- totp-code --secret <base32>
                                             the code an authenticator app shows now for a TOTP secret (demos, tests)
  npm run admin -- help                      this text
`;

const main = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      authority: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const [group, action] = positionals;
  if (!group || group === 'help' || group === '--help') {
    console.log(HELP);
    return 0;
  }
  if (group === 'totp-code') {
    if (!values.secret) throw new Error('totp-code needs --secret <base32 TOTP secret>');
    console.log(totpAt(values.secret, totpStep(new Date())));
    return 0;
  }
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    if (group === 'keys' && (action === 'list' || action === 'rotate')) {
      const keys = new SigningKeyStore(database.db, config.tokenTtlSeconds);
      if (action === 'rotate') {
        await keys.ensureActiveKey();
        console.log(`new signing key ${await keys.rotate()}; running hubs pick it up within a minute`);
      }
      for (const k of await keys.list())
        console.log(
          `${k.kid}  ${k.status.padEnd(7)}  created ${k.createdAt}${k.retiredAt ? `  retired ${k.retiredAt}` : ''}`,
        );
      return 0;
    }
    if (group === 'setup-link') {
      const [host] = await database.db.select().from(authorities).where(eq(authorities.isHost, true));
      if (!host) throw new Error('the hub has not been started yet: start it once, then ask for a link');
      const setup = await issueSetupLink(database.db, {
        hostAuthorityId: host.id,
        now: new Date(),
        name: 'Hub-admin (set-up link)',
      });
      console.log(
        `${linkUrl(config.issuer, 'setup', setup.token)}\n(one use, valid ${SETUP_LINK_HOURS} hours, until ${setup.expiresAt.toISOString()}; it sets up a hub-admin person of ${host.id})`,
      );
      return 0;
    }
    if (group === 'clients' && action === 'create') {
      const { authorityId, role, name } = z
        .object({ authorityId: zAuthorityId, role: zRole, name: zName })
        .parse({ authorityId: values.authority, role: values.role, name: values.name });
      const [authority] = await database.db.select().from(authorities).where(eq(authorities.id, authorityId));
      if (!authority) throw new Error(`no authority ${authorityId}`);
      if (role === 'hub-admin' && !authority.isHost)
        throw new Error('the hub-admin role exists only on the host authority');
      const { client, clientSecret } = await insertClient(database.db, {
        authorityId,
        role,
        name,
        createdBy: 'admin-cli',
      });
      console.log(JSON.stringify({ clientId: client.id, clientSecret, authorityId, role }, null, 2));
      console.error('The secret is shown once; store it now.');
      return 0;
    }
    console.error(`unknown command: ${positionals.join(' ')}\n\n${HELP}`);
    return 2;
  } finally {
    await database.close();
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Database errors carry query parameters (a secret's hash among them): print only our own messages.
    const message =
      err instanceof z.ZodError
        ? z.prettifyError(err)
        : err instanceof ConfigError || (err instanceof Error && !('query' in err) && !err.cause)
          ? err.message
          : 'see the hub logs; the database refused the change';
    console.error(`admin command failed: ${message}`);
    process.exit(1);
  },
);
