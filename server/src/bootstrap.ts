// First start: create the host authority and one hub-admin client, and write the client's
// credentials to <data folder>/bootstrap.json (mode 600). The secret is never logged.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { authorities } from './db/schema/index.js';
import { insertClient } from './domain/clients/clients.js';
import { issueSetupLink, linkUrl, SETUP_LINK_HOURS } from './domain/people/people.js';
import type { Hub } from './hub.js';

export type BootstrapResult =
  | { created: false; hostAuthorityId: string }
  | { created: true; hostAuthorityId: string; credentialsFile: string };

const writeCredentials = async (file: string, content: Record<string, unknown>): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  // writeFile's mode applies only when it creates the file: a leftover bootstrap.json would keep its
  // old (perhaps world-readable) mode. Remove it and create a new file exclusively, so the secret is
  // only ever in a file of mode 600 (and never written through a symlink planted in its place).
  await rm(file, { force: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
};

export const bootstrap = async (hub: Hub): Promise<BootstrapResult> => {
  const { config, database } = hub;
  const credentialsFile = path.resolve(config.dataDir, 'bootstrap.json');
  // The file is written inside the transaction: if it cannot be written, nothing is created and the
  // next start tries again, rather than leaving a hub-admin whose secret nobody has.
  const created = await database.db.transaction(async (tx) => {
    // The unique index on the host flag makes this safe when several processes start at once.
    const [host] = await tx
      .insert(authorities)
      .values({ ...config.hostAuthority, isHost: true })
      .onConflictDoNothing()
      .returning();
    if (!host) return null;
    const client = await insertClient(tx, {
      authorityId: host.id,
      name: 'Bootstrap hub-admin',
      role: 'hub-admin',
      createdBy: null,
    });
    // The first hub-admin person: a one-time set-up link (password and second factor), valid 24 hours.
    // Written here only, never to the log. The address is chosen when the link is opened.
    const setup = await issueSetupLink(tx, { hostAuthorityId: host.id, now: hub.clock.now() });
    await writeCredentials(credentialsFile, {
      note: 'Credentials of the first hub-admin client. Keep them secret; create named clients with clients.create and revoke this one.',
      setupNote: `A one-time link to set up the first hub-admin person (your e-mail address, a password and a second factor), valid ${SETUP_LINK_HOURS} hours. Open it in a browser, or see docs/people-and-sign-in.md.`,
      setupUrl: linkUrl(config.issuer, 'setup', setup.token),
      setupExpiresAt: setup.expiresAt.toISOString(),
      issuer: config.issuer,
      tokenEndpoint: `${config.issuer}/oauth/token`,
      authorityId: client.client.authorityId,
      clientId: client.client.id,
      clientSecret: client.clientSecret,
      role: client.client.role,
      createdAt: client.client.createdAt,
    });
    return client;
  });
  if (!created) {
    const [host] = await database.db
      .select({ id: authorities.id })
      .from(authorities)
      .where(eq(authorities.isHost, true));
    if (host && host.id !== config.hostAuthority.id) {
      hub.log.warn(
        { configured: config.hostAuthority.id, existing: host.id },
        'CCX_HOST_AUTHORITY_ID differs from the host authority already in the database; keeping the existing one',
      );
    }
    return { created: false, hostAuthorityId: host?.id ?? config.hostAuthority.id };
  }
  return { created: true, hostAuthorityId: created.client.authorityId, credentialsFile };
};
