// Single sign-on with each authority's own OpenID Connect provider (most councils use Microsoft
// Entra ID). The authority's admin registers the hub with the provider and stores its issuer, client
// id and secret here; a person of that authority then signs in there, and the hub trusts the id
// token only after openid-client has checked its signature, issuer, audience, expiry and nonce, the
// flow's state (single use, bound to the browser that started it) and its PKCE verifier — and only
// for an address in the authority's allowed domains.
import { and, eq, gt, sql } from 'drizzle-orm';
import { type IdentityProvider, type IdentityProviderSet, type Role, type SignedIn } from '@ccx/schema';
import { OidcRefusal, type OidcClients, type OidcIdentity } from '../../auth/oidc.js';
import { hashSecret, newOpaqueSecret, newPersonId } from '../../auth/secrets.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { authorities, identityProviders, oidcFlows, people } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { iso } from '../pagination.js';
import { completeSignIn, type SignInContext } from './sign-in.js';

/** How long a person has at the provider before the flow is forgotten. */
export const SSO_FLOW_SECONDS = 600;

export const ssoPaths = {
  start: '/auth/sso/start',
  callback: '/auth/sso/callback',
} as const;

export const redirectUriOf = (issuer: string): string => `${issuer}${ssoPaths.callback}`;
export const signInUrlOf = (issuer: string, authorityId: string): string =>
  `${issuer}${ssoPaths.start}?authority=${encodeURIComponent(authorityId)}`;

type ProviderRow = typeof identityProviders.$inferSelect;

const toView = (r: ProviderRow, issuer: string): IdentityProvider => ({
  authorityId: r.authorityId,
  issuer: r.issuer,
  clientId: r.clientId,
  clientSecretSet: true,
  allowedDomains: r.allowedDomains,
  createUnknown: r.createUnknown,
  defaultRole: r.defaultRole as Role,
  redirectUri: redirectUriOf(issuer),
  signInUrl: signInUrlOf(issuer, r.authorityId),
  updatedAt: iso(r.updatedAt),
});

const targetOf = (actor: Actor, authorityId: string | undefined): string => {
  const target = authorityId ?? actor.authorityId;
  if (target !== actor.authorityId && actor.role !== 'hub-admin')
    throw new AppError('FORBIDDEN', "an authority admin configures only its own authority's sign-in");
  return target;
};

export const getIdentityProvider = async (
  db: Db,
  actor: Actor,
  authorityId: string | undefined,
  issuer: string,
): Promise<IdentityProvider | null> => {
  const target = targetOf(actor, authorityId);
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.authorityId, target));
  return row ? toView(row, issuer) : null;
};

export const setIdentityProvider = async (
  db: Db,
  actor: Actor,
  input: IdentityProviderSet,
  opts: { issuer: string; allowHttp: boolean; oidc: OidcClients },
): Promise<IdentityProvider> => {
  const target = targetOf(actor, input.authorityId);
  const [authority] = await db
    .select({ id: authorities.id })
    .from(authorities)
    .where(eq(authorities.id, target));
  if (!authority) throw notFound(`authority ${target}`);
  const url = new URL(input.issuer);
  if (url.protocol !== 'https:' && !opts.allowHttp)
    throw new AppError('VALIDATION', 'the issuer must be an https:// URL', {
      issues: [{ path: ['issuer'], message: 'must be an https:// URL' }],
    });
  const [existing] = await db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.authorityId, target));
  const clientSecret = input.clientSecret ?? existing?.clientSecret;
  if (!clientSecret)
    throw new AppError('VALIDATION', 'clientSecret is required the first time a provider is set', {
      issues: [{ path: ['clientSecret'], message: 'required the first time' }],
    });
  const values = {
    authorityId: target,
    issuer: input.issuer.replace(/\/$/, ''),
    clientId: input.clientId,
    clientSecret,
    allowedDomains: [...new Set(input.allowedDomains)],
    createUnknown: input.createUnknown,
    defaultRole: input.defaultRole,
    updatedBy: actedBy(actor),
    updatedAt: actor.now,
  };
  const [row] = await db
    .insert(identityProviders)
    .values(values)
    .onConflictDoUpdate({ target: identityProviders.authorityId, set: values })
    .returning();
  if (existing) opts.oidc.forget(existing.issuer);
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'identity-provider.set',
    recordType: 'identity-provider',
    recordIds: [target],
    basis: actor.role,
    // The secret is never written anywhere but its column: the audit says only whether it changed.
    details: {
      authorityId: target,
      issuer: values.issuer,
      clientId: values.clientId,
      clientSecretChanged: input.clientSecret !== undefined,
      allowedDomains: values.allowedDomains,
      createUnknown: values.createUnknown,
      defaultRole: values.defaultRole,
    },
  });
  return toView(row!, opts.issuer);
};

export const removeIdentityProvider = async (
  db: Db,
  actor: Actor,
  authorityId: string | undefined,
): Promise<{ removed: boolean }> => {
  const target = targetOf(actor, authorityId);
  const removed = await db
    .delete(identityProviders)
    .where(eq(identityProviders.authorityId, target))
    .returning({ id: identityProviders.authorityId });
  if (removed.length > 0)
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'identity-provider.remove',
      recordType: 'identity-provider',
      recordIds: [target],
      basis: actor.role,
      details: { authorityId: target },
    });
  return { removed: removed.length > 0 };
};

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** Which authority signs in people of this address's domain, if any. Says nothing about any account. */
export const ssoTargetFor = async (
  db: Db,
  email: string,
  issuer: string,
): Promise<{ authorityId: string; authorityName: string; startUrl: string } | null> => {
  if (!email.includes('@')) return null;
  const [row] = await db
    .select({ authorityId: identityProviders.authorityId, name: authorities.name })
    .from(identityProviders)
    .innerJoin(authorities, eq(authorities.id, identityProviders.authorityId))
    .where(
      and(
        sql`${domainOf(email)} = any(${identityProviders.allowedDomains})`,
        eq(authorities.status, 'active'),
      ),
    )
    .limit(1);
  return row
    ? {
        authorityId: row.authorityId,
        authorityName: row.name,
        startUrl: signInUrlOf(issuer, row.authorityId),
      }
    : null;
};

/**
 * Where a person goes after signing in: a path on the hub only. Anything else — another origin, a
 * scheme, `//host`, a backslash trick — becomes "/", so the hub is never an open redirect.
 */
export const safeReturnTo = (value: unknown, issuer: string): string => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  try {
    const base = new URL(issuer);
    const url = new URL(value, base);
    if (url.origin !== base.origin) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
};

/** Starts a sign-in at the authority's provider: the browser secret goes into a short-lived cookie. */
export const startSso = async (
  db: Db,
  oidc: OidcClients,
  input: { authorityId: string; returnTo: string; issuer: string; now: Date },
): Promise<{ authorizationUrl: string; browserSecret: string }> => {
  const [row] = await db
    .select({ provider: identityProviders, status: authorities.status })
    .from(identityProviders)
    .innerJoin(authorities, eq(authorities.id, identityProviders.authorityId))
    .where(eq(identityProviders.authorityId, input.authorityId));
  if (!row || row.status !== 'active')
    throw new AppError('NOT_FOUND', `authority ${input.authorityId} has no single sign-on set up`);
  let start;
  try {
    start = await oidc.start(
      {
        issuer: row.provider.issuer,
        clientId: row.provider.clientId,
        clientSecret: row.provider.clientSecret,
      },
      redirectUriOf(input.issuer),
    );
  } catch (err) {
    if (err instanceof OidcRefusal)
      throw new AppError(
        'UNAVAILABLE',
        "the authority's identity provider cannot be reached; try again shortly",
        {
          reason: err.reason,
        },
      );
    throw err;
  }
  const browserSecret = newOpaqueSecret();
  // Flows older than their life are swept as new ones start.
  await db.delete(oidcFlows).where(sql`${oidcFlows.expiresAt} < ${input.now.toISOString()}::timestamptz`);
  await db.insert(oidcFlows).values({
    stateHash: hashSecret(start.state),
    authorityId: input.authorityId,
    browserHash: hashSecret(browserSecret),
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    returnTo: input.returnTo,
    expiresAt: new Date(input.now.getTime() + SSO_FLOW_SECONDS * 1000),
  });
  return { authorizationUrl: start.authorizationUrl, browserSecret };
};

/** Why a single sign-on was refused: the words for the person, the reason for the log. */
export class SsoRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const refused = (reason: string, message = 'the sign-in could not be completed; start again') =>
  new SsoRefused(403, reason, message);

/** The person an identity signs in, created on first sign-in when the authority allows it. */
const personFor = async (
  c: SignInContext,
  provider: ProviderRow,
  identity: OidcIdentity,
): Promise<{ id: string; authorityId: string }> => {
  const subject = `${identity.issuer} ${identity.subject}`;
  if (!provider.allowedDomains.includes(domainOf(identity.email)))
    throw refused(
      `e-mail domain ${domainOf(identity.email)} not allowed`,
      "your e-mail address is not one of your authority's domains on the hub",
    );
  if (identity.emailVerified === false) throw refused('e-mail not verified at the provider');
  const [bySubject] = await c.db.select().from(people).where(eq(people.oidcSubject, subject));
  const [byEmail] = bySubject
    ? [bySubject]
    : await c.db.select().from(people).where(eq(people.email, identity.email));
  if (byEmail) {
    if (byEmail.authorityId !== provider.authorityId) throw refused('person belongs to another authority');
    if (byEmail.status === 'deactivated')
      throw refused('person deactivated', 'your account on the hub has been deactivated');
    if (byEmail.oidcSubject && byEmail.oidcSubject !== subject)
      throw refused('address bound to another subject');
    const [updated] = await c.db
      .update(people)
      .set({
        oidcSubject: subject,
        ...(byEmail.status === 'invited' ? { status: 'active', activatedAt: c.now } : {}),
      })
      .where(eq(people.id, byEmail.id))
      .returning({ id: people.id, authorityId: people.authorityId });
    if (byEmail.status === 'invited')
      await appendAudit(c.db, {
        authorityId: byEmail.authorityId,
        clientId: null,
        personId: byEmail.id,
        action: 'person.activate',
        recordType: 'person',
        recordIds: [byEmail.id],
        requestId: c.requestId,
        at: c.now,
        details: { by: 'single sign-on' },
      });
    return updated!;
  }
  if (!provider.createUnknown)
    throw refused(
      'unknown person; invitation required',
      "you have not been invited to the hub yet; ask your authority's admin",
    );
  const [created] = await c.db
    .insert(people)
    .values({
      id: newPersonId(),
      authorityId: provider.authorityId,
      email: identity.email,
      name: identity.name ?? identity.email,
      role: provider.defaultRole,
      status: 'active',
      oidcSubject: subject,
      createdBy: null,
      createdAt: c.now,
      activatedAt: c.now,
    })
    .returning({ id: people.id, authorityId: people.authorityId });
  await appendAudit(c.db, {
    authorityId: provider.authorityId,
    clientId: null,
    personId: created!.id,
    action: 'person.create-at-sign-in',
    recordType: 'person',
    recordIds: [created!.id],
    requestId: c.requestId,
    at: c.now,
    details: { email: identity.email, role: provider.defaultRole },
  });
  return created!;
};

/** The provider's answer: checks the flow (single use, this browser, in time) and the id token, then signs the person in. */
export const completeSso = async (
  c: SignInContext,
  oidc: OidcClients,
  input: { callbackUrl: URL; browserSecret: string | undefined; issuer: string },
): Promise<{ secret: string; signedIn: SignedIn; returnTo: string }> => {
  const state = input.callbackUrl.searchParams.get('state');
  if (!state) throw refused('no state in the callback');
  // Deleted as it is read: a state is good for one answer, so a replayed callback finds nothing.
  const [flow] = await c.db
    .delete(oidcFlows)
    .where(and(eq(oidcFlows.stateHash, hashSecret(state)), gt(oidcFlows.expiresAt, c.now)))
    .returning();
  if (!flow) throw refused('unknown, expired or replayed state');
  if (!input.browserSecret || hashSecret(input.browserSecret) !== flow.browserHash)
    throw refused('flow started in another browser');
  const [provider] = await c.db
    .select()
    .from(identityProviders)
    .where(eq(identityProviders.authorityId, flow.authorityId));
  if (!provider) throw refused('provider removed during the flow');
  let identity: OidcIdentity;
  try {
    identity = await oidc.complete(
      { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
      redirectUriOf(input.issuer),
      input.callbackUrl,
      { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier },
    );
  } catch (err) {
    if (err instanceof OidcRefusal) throw refused(err.reason);
    throw err;
  }
  const person = await personFor(c, provider, identity);
  const done = await c.db.transaction((tx) => completeSignIn(c, tx, person, 'oidc', null));
  return { ...done, returnTo: flow.returnTo };
};
