// Passkeys (WebAuthn, through @simplewebauthn/server): a signed-in person registers one, then signs in
// with it alone — the authenticator's user verification (a PIN or a fingerprint) stands in for the
// password and the second factor. Every challenge is the hub's own, lives five minutes and is used
// once; a sign-in is refused with one message whatever went wrong, and the reason goes to the log.
import { createHmac, randomBytes } from 'node:crypto';
import { and, eq, lt, lte, sql } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type {
  AuthenticationResponse,
  Passkey,
  PasskeyRegistrationOptions,
  PasskeySignInOptions,
  RegistrationResponse,
  SignedIn,
} from '@ccx/schema';
import { hashSecret, newOpaqueSecret } from '../../auth/secrets.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { authorities, passkeyChallenges, passkeys, people } from '../../db/schema/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { iso, isoOrNull } from '../pagination.js';
import { completeSignIn, type SignInContext } from './sign-in.js';

/** The one answer to every refused passkey sign-in (the reason is logged, never told). */
export const PASSKEY_REFUSED =
  'the passkey sign-in did not succeed; start again, or sign in with your password';
export const PASSKEY_NOT_REGISTERED =
  'the passkey could not be registered; start again from this page (the request lasts five minutes)';

/** How long a challenge may be answered. */
export const PASSKEY_CHALLENGE_SECONDS = 300;
/** Passkeys one person may hold. */
export const PASSKEYS_PER_PERSON = 20;

/** The relying party: the hub, named by its public address (CCX_ISSUER). */
export type RelyingParty = { id: string; name: string; origin: string };

export const relyingPartyFor = (issuer: string): RelyingParty => {
  const url = new URL(issuer);
  return { id: url.hostname, name: 'ccx', origin: url.origin };
};

/** The signed-in person who manages their own passkeys. */
export type PasskeyActor = {
  personId: string;
  authorityId: string;
  /** The session asking: a registration's challenge is answered only in the session that asked for it. */
  sessionHandle: string | null;
  requestId: string;
  now: Date;
};

const TRANSPORTS: ReadonlySet<string> = new Set<AuthenticatorTransportFuture>([
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
]);
const knownTransports = (ts: readonly string[] | undefined): AuthenticatorTransportFuture[] =>
  (ts ?? []).filter((t): t is AuthenticatorTransportFuture => TRANSPORTS.has(t));

const toPasskey = (r: typeof passkeys.$inferSelect): Passkey => ({
  id: r.id,
  name: r.name,
  transports: r.transports,
  backedUp: r.backedUp,
  createdAt: iso(r.createdAt),
  lastUsedAt: isoOrNull(r.lastUsedAt),
});

/** Where a registration's challenge is kept: the session that asked (the person, failing that). */
const registrationKey = (a: PasskeyActor): string => a.sessionHandle ?? `person:${a.personId}`;

const expiresFrom = (now: Date): Date => new Date(now.getTime() + PASSKEY_CHALLENGE_SECONDS * 1000);

/** Challenges past their time are of no use to anyone: cleared whenever a new one is made. */
const clearExpiredChallenges = (db: Db, now: Date) =>
  db.delete(passkeyChallenges).where(lte(passkeyChallenges.expiresAt, now));

export const listPasskeys = async (db: Db, personId: string): Promise<Passkey[]> => {
  const rows = await db
    .select()
    .from(passkeys)
    .where(eq(passkeys.personId, personId))
    .orderBy(passkeys.createdAt, passkeys.id)
    .limit(PASSKEYS_PER_PERSON);
  return rows.map(toPasskey);
};

/** Options for registering a new passkey; the challenge is kept for this session, and a newer one replaces it. */
export const passkeyRegistrationOptions = async (
  db: Db,
  actor: PasskeyActor,
  rp: RelyingParty,
): Promise<PasskeyRegistrationOptions> => {
  const [person] = await db
    .select({ id: people.id, email: people.email, name: people.name })
    .from(people)
    .where(eq(people.id, actor.personId));
  if (!person) throw notFound(`person ${actor.personId}`);
  const existing = await db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.personId, person.id));
  if (existing.length >= PASSKEYS_PER_PERSON)
    throw new AppError(
      'CONFLICT',
      `you have ${PASSKEYS_PER_PERSON} passkeys, the most one person may have; remove one first`,
    );
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new TextEncoder().encode(person.id),
    userName: person.email,
    userDisplayName: person.name,
    timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: knownTransports(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  const key = registrationKey(actor);
  await db.transaction(async (tx) => {
    await clearExpiredChallenges(tx, actor.now);
    await tx
      .delete(passkeyChallenges)
      .where(and(eq(passkeyChallenges.purpose, 'registration'), eq(passkeyChallenges.sessionHandle, key)));
    await tx.insert(passkeyChallenges).values({
      id: hashSecret(newOpaqueSecret()),
      purpose: 'registration',
      challenge: options.challenge,
      personId: person.id,
      sessionHandle: key,
      createdAt: actor.now,
      expiresAt: expiresFrom(actor.now),
    });
  });
  return options;
};

const registrationJson = (r: RegistrationResponse): RegistrationResponseJSON => ({
  id: r.id,
  rawId: r.rawId,
  type: r.type,
  clientExtensionResults: r.clientExtensionResults,
  ...(r.authenticatorAttachment ? { authenticatorAttachment: r.authenticatorAttachment } : {}),
  response: {
    clientDataJSON: r.response.clientDataJSON,
    attestationObject: r.response.attestationObject,
    ...(r.response.authenticatorData ? { authenticatorData: r.response.authenticatorData } : {}),
    transports: knownTransports(r.response.transports),
  },
});

/** Why a registration was refused: the words for the person, the reason for the log. */
const notRegistered = (reason: string): AppError =>
  new AppError('VALIDATION', PASSKEY_NOT_REGISTERED, { reason });

/** Verifies the browser's answer to this session's challenge and keeps the new passkey; audited. */
export const registerPasskey = async (
  db: Db,
  actor: PasskeyActor,
  rp: RelyingParty,
  input: { response: RegistrationResponse; name?: string | undefined },
): Promise<Passkey> => {
  // Taken whatever follows: a challenge is answered once.
  const [challenge] = await db
    .delete(passkeyChallenges)
    .where(
      and(
        eq(passkeyChallenges.purpose, 'registration'),
        eq(passkeyChallenges.sessionHandle, registrationKey(actor)),
        eq(passkeyChallenges.personId, actor.personId),
      ),
    )
    .returning();
  if (!challenge) throw notRegistered('no registration challenge for this session (none asked, or used)');
  if (challenge.expiresAt <= actor.now) throw notRegistered('registration challenge expired');
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: registrationJson(input.response),
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: true,
    });
  } catch (err) {
    throw notRegistered(err instanceof Error ? err.message : String(err));
  }
  if (!verified.verified) throw notRegistered('registration response not verified');
  const { credential, credentialBackedUp } = verified.registrationInfo;
  const name = input.name ?? 'Passkey';
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, credential.id));
    if (taken) throw new AppError('CONFLICT', 'this passkey is already registered');
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(passkeys)
      .where(eq(passkeys.personId, actor.personId));
    if (Number(n) >= PASSKEYS_PER_PERSON)
      throw new AppError(
        'CONFLICT',
        `you have ${PASSKEYS_PER_PERSON} passkeys, the most one person may have; remove one first`,
      );
    const [row] = await tx
      .insert(passkeys)
      .values({
        id: credential.id,
        personId: actor.personId,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: knownTransports(credential.transports ?? input.response.response.transports),
        backedUp: credentialBackedUp,
        name,
        createdAt: actor.now,
      })
      .returning();
    await appendAudit(tx, {
      authorityId: actor.authorityId,
      clientId: null,
      personId: actor.personId,
      action: 'person.passkey-add',
      recordType: 'person',
      recordIds: [actor.personId],
      requestId: actor.requestId,
      at: actor.now,
      details: { passkey: credential.id, name },
    });
    return toPasskey(row!);
  });
};

/** Removes one of the person's own passkeys (another person's is not found); audited. */
export const removePasskey = async (db: Db, actor: PasskeyActor, id: string): Promise<Passkey> =>
  db.transaction(async (tx) => {
    const [row] = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.personId, actor.personId)))
      .returning();
    if (!row) throw notFound('passkey');
    await appendAudit(tx, {
      authorityId: actor.authorityId,
      clientId: null,
      personId: actor.personId,
      action: 'person.passkey-remove',
      recordType: 'person',
      recordIds: [actor.personId],
      requestId: actor.requestId,
      at: actor.now,
      details: { passkey: row.id, name: row.name },
    });
    return toPasskey(row);
  });

// Stands in for the passkeys of an address that has none (or no account), so the options say nothing
// about which addresses are known. Stable for this process's life; a restart changes it.
const DECOY_KEY = randomBytes(32);
const decoyCredentials = (address: string) => [
  {
    id: createHmac('sha256', DECOY_KEY).update(address).digest('base64url'),
    transports: ['hybrid', 'internal'] as AuthenticatorTransportFuture[],
  },
];

/**
 * Options for signing in with a passkey, and the id of the challenge they carry. With an address, the
 * browser is offered that person's passkeys (made-up ones when the address has none, so the answer
 * looks the same); without, it asks the authenticator for a discoverable one.
 */
export const passkeySignInOptions = async (
  c: SignInContext,
  rp: RelyingParty,
  email: string | undefined,
): Promise<PasskeySignInOptions> => {
  let allowCredentials: { id: string; transports: AuthenticatorTransportFuture[] }[] = [];
  const address = email?.trim().toLowerCase();
  if (address) {
    const rows = await c.db
      .select({ id: passkeys.id, transports: passkeys.transports })
      .from(passkeys)
      .innerJoin(people, eq(people.id, passkeys.personId))
      .where(and(eq(people.email, address), eq(people.status, 'active')))
      .orderBy(passkeys.createdAt, passkeys.id)
      .limit(PASSKEYS_PER_PERSON);
    allowCredentials =
      rows.length > 0
        ? rows.map((r) => ({ id: r.id, transports: knownTransports(r.transports) }))
        : decoyCredentials(address);
  }
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials,
    userVerification: 'required',
    timeout: PASSKEY_CHALLENGE_SECONDS * 1000,
  });
  const challengeId = newOpaqueSecret();
  const expiresAt = expiresFrom(c.now);
  await clearExpiredChallenges(c.db, c.now);
  await c.db.insert(passkeyChallenges).values({
    // Only its hash is kept, as for every other id the hub hands a browser.
    id: hashSecret(challengeId),
    purpose: 'sign-in',
    challenge: options.challenge,
    createdAt: c.now,
    expiresAt,
  });
  return {
    challengeId,
    expiresAt: iso(expiresAt),
    options,
  };
};

const authenticationJson = (r: AuthenticationResponse): AuthenticationResponseJSON => ({
  id: r.id,
  rawId: r.rawId,
  type: r.type,
  clientExtensionResults: r.clientExtensionResults,
  ...(r.authenticatorAttachment ? { authenticatorAttachment: r.authenticatorAttachment } : {}),
  response: {
    clientDataJSON: r.response.clientDataJSON,
    authenticatorData: r.response.authenticatorData,
    signature: r.response.signature,
    ...(r.response.userHandle ? { userHandle: r.response.userHandle } : {}),
  },
});

const refused = (reason: string): AppError => new AppError('UNAUTHORIZED', PASSKEY_REFUSED, { reason });

/**
 * Signing in with a passkey: the challenge (used up here, whatever follows), the credential, its
 * person (active, of an active authority), the signature with user verification, and a counter that
 * moves on; then a new signed-in session, as after a password and a second factor.
 */
export const signInWithPasskey = async (
  c: SignInContext,
  rp: RelyingParty,
  /** A session cookie the browser already holds: ended, so the sign-in always opens a new id. */
  previousSecret: string | undefined,
  input: { challengeId: string; response: AuthenticationResponse },
): Promise<{ secret: string; signedIn: SignedIn }> => {
  const [challenge] = await c.db
    .delete(passkeyChallenges)
    .where(
      and(eq(passkeyChallenges.id, hashSecret(input.challengeId)), eq(passkeyChallenges.purpose, 'sign-in')),
    )
    .returning();
  if (!challenge) throw refused('challenge unknown or already used');
  if (challenge.expiresAt <= c.now) throw refused('challenge expired');
  const { response } = input;
  if (response.id !== response.rawId) throw refused('credential id and rawId differ');
  const [found] = await c.db
    .select({ passkey: passkeys, person: people, authorityStatus: authorities.status })
    .from(passkeys)
    .innerJoin(people, eq(people.id, passkeys.personId))
    .innerJoin(authorities, eq(authorities.id, people.authorityId))
    .where(eq(passkeys.id, response.id));
  if (!found) throw refused('unknown credential');
  const { passkey, person } = found;
  if (person.status !== 'active') throw refused(`person ${person.id} is ${person.status}`);
  if (found.authorityStatus !== 'active') throw refused(`authority ${person.authorityId} is not active`);
  // A discoverable passkey names its person too: it must be the one the credential belongs to.
  if (
    response.response.userHandle &&
    Buffer.from(response.response.userHandle, 'base64url').toString('utf8') !== person.id
  )
    throw refused('user handle does not match the credential’s person');
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: authenticationJson(response),
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: knownTransports(passkey.transports),
      },
      requireUserVerification: true,
    });
  } catch (err) {
    throw refused(err instanceof Error ? err.message : String(err));
  }
  if (!verified.verified) throw refused('signature not valid');
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  return c.db.transaction(async (tx) => {
    // The counter moves on in the same statement that checks it, so two uses of one answer cannot both pass.
    const moved = await tx
      .update(passkeys)
      .set({ counter: newCounter, lastUsedAt: c.now, backedUp: credentialBackedUp })
      .where(
        and(
          eq(passkeys.id, passkey.id),
          newCounter === 0 ? eq(passkeys.counter, 0) : lt(passkeys.counter, newCounter),
        ),
      )
      .returning({ id: passkeys.id });
    if (moved.length === 0) throw refused(`counter ${newCounter} did not advance`);
    return completeSignIn(c, tx, person, 'passkey', previousSecret ?? null);
  });
};
