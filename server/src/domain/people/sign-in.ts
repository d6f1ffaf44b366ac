// Signing in as a person: a password and a TOTP code (or a one-time recovery code) for a local
// account, or a link (invitation or first set-up) that sets the password and enrols the second
// factor. Every refusal of a password says the same words after the same work, whether or not the
// address has an account; failures are counted per address (as the token endpoint counts per client
// id), slowed, and locked for a while after too many.
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { SignedIn } from '@ccx/schema';
import { hashPassword, passwordMatches } from '../../auth/passwords.js';
import { hashSecret } from '../../auth/secrets.js';
import type { TokenThrottle } from '../../auth/token-throttle.js';
import {
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  verifyTotp,
} from '../../auth/totp.js';
import { appendAudit } from '../../audit/index.js';
import type { Db } from '../../db/index.js';
import { personLinks, people, sessions } from '../../db/schema/index.js';
import { AppError, pgErrorCode } from '../../shared/errors.js';
import { getPerson } from './people.js';
import {
  countPendingFailure,
  endPersonSessions,
  endSessionByHandle,
  endSessionBySecret,
  findSession,
  openSession,
  PENDING_SESSION_SECONDS,
  sessionInfo,
  type SessionTimes,
} from './sessions.js';

/** The one answer to a wrong address, a wrong password, and an account that cannot sign in with one. */
export const SIGN_IN_REFUSED = 'the e-mail address or the password is not right';
export const CODE_REFUSED = 'the code is not right; check the time on your device and try the newest code';
export const CODE_REUSED = 'that code has already been used; wait for the next one';
export const PENDING_GONE = 'the sign-in has expired or was not started here; sign in again';
export const LINK_REFUSED =
  "the link is not valid: it has expired, has already been used or was replaced; ask your authority's admin for a new one";

/** What the sign-in calls need from the request and the hub. */
export type SignInContext = {
  db: Db;
  now: Date;
  times: SessionTimes;
  throttle: TokenThrottle;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
};

/** The throttle's key for an address: the same for an address with or without an account. */
const throttleKey = (email: string): string => `person:${email.trim().toLowerCase()}`;

const locked = (retryAfterSeconds: number): AppError =>
  new AppError(
    'TOO_MANY_REQUESTS',
    `too many failed sign-ins for this address; try again in ${retryAfterSeconds} s`,
    { retryAfterSeconds },
  );

/** Counts an attempt for the address; throws while it is locked. Returns the failures so far. */
const beginAttempt = async (c: SignInContext, email: string): Promise<number> => {
  const verdict = await c.throttle.begin(throttleKey(email));
  if (verdict.locked) throw locked(verdict.retryAfterSeconds);
  return verdict.failures;
};

/** Holds a failure's answer as the throttle says, then throws it. */
const refuse = async (c: SignInContext, failures: number, error: AppError): Promise<never> => {
  const delay = c.throttle.failureDelayMs(failures);
  if (delay > 0) await sleep(delay);
  throw error;
};

/** Step one: the password. Opens a pending session that only the second factor completes. */
export const signInWithPassword = async (
  c: SignInContext,
  email: string,
  password: string,
): Promise<{ secret: string; expiresAt: Date }> => {
  const address = email.trim().toLowerCase();
  const failures = await beginAttempt(c, address);
  const [person] = await c.db
    .select({
      id: people.id,
      passwordHash: people.passwordHash,
      status: people.status,
      totpConfirmedAt: people.totpConfirmedAt,
    })
    .from(people)
    .where(eq(people.email, address));
  // The password is checked (against a dummy hash when there is no account) before anything else is
  // looked at, so every refusal costs the same.
  const matches = await passwordMatches(password, person?.passwordHash);
  if (!person || !matches || person.status !== 'active' || !person.totpConfirmedAt)
    return refuse(c, failures, new AppError('UNAUTHORIZED', SIGN_IN_REFUSED));
  const pending = await openSession(c.db, {
    personId: person.id,
    stage: 'second-factor',
    method: null,
    now: c.now,
    lifetimeSeconds: PENDING_SESSION_SECONDS,
    ip: c.ip,
    userAgent: c.userAgent,
  });
  return { secret: pending.secret, expiresAt: pending.expiresAt };
};

/** Opens the signed-in session (a new id: the pending one is never promoted), records it and audits it. */
const completeSignIn = async (
  c: SignInContext,
  db: Db,
  person: { id: string; authorityId: string },
  method: string,
  pendingSecret: string | null,
): Promise<{ secret: string; signedIn: SignedIn }> => {
  if (pendingSecret) await endSessionBySecret(db, pendingSecret, 'signed in (rotated)', c.now);
  const opened = await openSession(db, {
    personId: person.id,
    stage: 'active',
    method,
    now: c.now,
    lifetimeSeconds: c.times.maxSeconds,
    ip: c.ip,
    userAgent: c.userAgent,
  });
  await db.update(people).set({ lastSignInAt: c.now }).where(eq(people.id, person.id));
  await appendAudit(db, {
    authorityId: person.authorityId,
    clientId: null,
    personId: person.id,
    action: 'person.sign-in',
    recordType: 'person',
    recordIds: [person.id],
    requestId: c.requestId,
    at: c.now,
    details: { method, session: opened.handle },
  });
  const [row] = await db.select().from(sessions).where(eq(sessions.handle, opened.handle));
  return {
    secret: opened.secret,
    signedIn: { person: await getPerson(db, person.id), session: sessionInfo(row!, c.times, opened.handle) },
  };
};

/** Step two: a TOTP code (each accepted once) or a one-time recovery code. */
export const completeSecondFactor = async (
  c: SignInContext,
  pendingSecret: string | undefined,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<{ secret: string; signedIn: SignedIn }> => {
  const live = pendingSecret ? await findSession(c.db, pendingSecret, 'second-factor', c.now, c.times) : null;
  if (!live || !pendingSecret) throw new AppError('UNAUTHORIZED', PENDING_GONE);
  const failures = await beginAttempt(c, live.person.email);
  const [person] = await c.db.select().from(people).where(eq(people.id, live.person.id));
  if (!person?.totpSecret || person.status !== 'active') throw new AppError('UNAUTHORIZED', PENDING_GONE);
  let method: string;
  let refusal: string | null = null;
  // Each check and its use are one statement, so two requests cannot both spend one code.
  if (input.code !== undefined) {
    method = 'password+totp';
    const verdict = verifyTotp(person.totpSecret, input.code, c.now, person.totpLastStep);
    if (verdict.ok) {
      const spent = await c.db
        .update(people)
        .set({ totpLastStep: verdict.step })
        .where(
          and(
            eq(people.id, person.id),
            sql`(${people.totpLastStep} is null or ${people.totpLastStep} < ${verdict.step})`,
          ),
        )
        .returning({ id: people.id });
      if (spent.length === 0) refusal = CODE_REUSED;
    } else refusal = verdict.reason === 'reused' ? CODE_REUSED : CODE_REFUSED;
  } else {
    method = 'password+recovery-code';
    const hash = hashRecoveryCode(input.recoveryCode ?? '');
    const used = await c.db
      .update(people)
      .set({ recoveryCodes: sql`array_remove(${people.recoveryCodes}, ${hash})` })
      .where(and(eq(people.id, person.id), sql`${hash} = any(${people.recoveryCodes})`))
      .returning({ id: people.id });
    if (used.length === 0) refusal = 'the recovery code is not right or has been used';
  }
  if (refusal) {
    await countPendingFailure(c.db, live.session.idHash, c.now);
    return refuse(c, failures, new AppError('UNAUTHORIZED', refusal));
  }
  await c.throttle.succeeded(throttleKey(person.email));
  return c.db.transaction((tx) => completeSignIn(c, tx, person, method, pendingSecret));
};

/** The person a live link belongs to, with the link, or a refusal. */
const liveLink = async (db: Db, token: string, now: Date) => {
  const [link] = await db
    .select({ link: personLinks, person: people })
    .from(personLinks)
    .innerJoin(people, eq(people.id, personLinks.personId))
    .where(
      and(
        eq(personLinks.tokenHash, hashSecret(token)),
        isNull(personLinks.usedAt),
        gt(personLinks.expiresAt, now),
      ),
    );
  if (!link || link.person.status !== 'invited') throw new AppError('UNAUTHORIZED', LINK_REFUSED);
  return link;
};

/**
 * Opening a link: sets the password (and, for the first hub-admin's set-up link, the address) and a
 * new TOTP secret, and opens a pending session in which the person confirms a code. The link is
 * used up only when that succeeds, so a person who closes the page may open it again.
 */
export const acceptLink = async (
  c: SignInContext,
  input: { token: string; password: string; name?: string | undefined; email?: string | undefined },
): Promise<{ secret: string; totpSecret: string; otpauthUri: string; expiresAt: Date }> => {
  const { link, person } = await liveLink(c.db, input.token, c.now);
  if (link.purpose === 'setup' && !input.email)
    throw new AppError('VALIDATION', 'the set-up link needs your e-mail address (email)');
  if (link.purpose !== 'setup' && input.email && input.email !== person.email)
    throw new AppError(
      'VALIDATION',
      `this invitation is for ${person.email}; the address cannot be changed here`,
    );
  const passwordHash = await hashPassword(input.password);
  const totpSecret = newTotpSecret();
  return c.db.transaction(async (tx) => {
    try {
      await tx
        .update(people)
        .set({
          passwordHash,
          totpSecret,
          totpConfirmedAt: null,
          totpLastStep: null,
          ...(input.name ? { name: input.name } : {}),
          ...(link.purpose === 'setup' && input.email ? { email: input.email } : {}),
        })
        .where(eq(people.id, person.id));
    } catch (err) {
      if (pgErrorCode(err) === '23505')
        throw new AppError('CONFLICT', `a person with the address ${input.email} is already on the hub`);
      throw err;
    }
    // Only the newest opening of the link can complete.
    await endPersonSessions(tx, person.id, 'replaced by a newer opening of the link', c.now);
    const pending = await openSession(tx, {
      personId: person.id,
      stage: 'enrol',
      method: null,
      now: c.now,
      lifetimeSeconds: PENDING_SESSION_SECONDS,
      ip: c.ip,
      userAgent: c.userAgent,
      linkHash: link.tokenHash,
    });
    const account = link.purpose === 'setup' && input.email ? input.email : person.email;
    return {
      secret: pending.secret,
      totpSecret,
      otpauthUri: otpauthUri(totpSecret, account, 'ccx'),
      expiresAt: pending.expiresAt,
    };
  });
};

/** Confirming the first TOTP code: the person becomes active, the link is used up, recovery codes are issued once. */
export const confirmEnrolment = async (
  c: SignInContext,
  pendingSecret: string | undefined,
  code: string,
): Promise<{ secret: string; signedIn: SignedIn; recoveryCodes: string[] }> => {
  const live = pendingSecret ? await findSession(c.db, pendingSecret, 'enrol', c.now, c.times) : null;
  if (!live || !pendingSecret) throw new AppError('UNAUTHORIZED', PENDING_GONE);
  const [person] = await c.db.select().from(people).where(eq(people.id, live.person.id));
  if (!person?.totpSecret) throw new AppError('UNAUTHORIZED', PENDING_GONE);
  const verdict = verifyTotp(person.totpSecret, code, c.now, null);
  if (!verdict.ok) {
    await countPendingFailure(c.db, live.session.idHash, c.now);
    throw new AppError('UNAUTHORIZED', CODE_REFUSED);
  }
  return c.db.transaction(async (tx) => {
    const consumed = await tx
      .update(personLinks)
      .set({ usedAt: c.now })
      .where(
        and(
          eq(personLinks.tokenHash, live.session.linkHash ?? ''),
          isNull(personLinks.usedAt),
          gt(personLinks.expiresAt, c.now),
        ),
      )
      .returning({ purpose: personLinks.purpose });
    if (consumed.length === 0) throw new AppError('UNAUTHORIZED', LINK_REFUSED);
    const recoveryCodes = newRecoveryCodes();
    await tx
      .update(people)
      .set({
        status: 'active',
        activatedAt: c.now,
        totpConfirmedAt: c.now,
        totpLastStep: verdict.step,
        recoveryCodes: recoveryCodes.map(hashRecoveryCode),
      })
      .where(eq(people.id, person.id));
    await appendAudit(tx, {
      authorityId: person.authorityId,
      clientId: null,
      personId: person.id,
      action: 'person.activate',
      recordType: 'person',
      recordIds: [person.id],
      requestId: c.requestId,
      at: c.now,
      details: { link: consumed[0]!.purpose, secondFactor: 'totp' },
    });
    const done = await completeSignIn(c, tx, person, 'password+totp', pendingSecret);
    return { ...done, recoveryCodes };
  });
};

/** A signed-in person's new set of recovery codes (the old ones stop working). */
export const regenerateRecoveryCodes = async (
  db: Db,
  actor: { personId: string; authorityId: string; requestId: string; now: Date },
): Promise<string[]> => {
  // Recovery codes stand in for a local account's TOTP code: a person who signs in only through
  // their authority's identity provider has no use for them.
  const [person] = await db
    .select({ passwordHash: people.passwordHash, totpConfirmedAt: people.totpConfirmedAt })
    .from(people)
    .where(eq(people.id, actor.personId));
  if (!person?.passwordHash || !person.totpConfirmedAt)
    throw new AppError(
      'CONFLICT',
      'recovery codes belong to a local account (a password and an authenticator app); you sign in through your authority',
    );
  const codes = newRecoveryCodes();
  await db
    .update(people)
    .set({ recoveryCodes: codes.map(hashRecoveryCode) })
    .where(eq(people.id, actor.personId));
  await appendAudit(db, {
    authorityId: actor.authorityId,
    clientId: null,
    personId: actor.personId,
    action: 'person.recovery-codes',
    recordType: 'person',
    recordIds: [actor.personId],
    requestId: actor.requestId,
    at: actor.now,
    details: { issued: codes.length },
  });
  return codes;
};

export { completeSignIn };

/** Signing out: this session (`secret`), another of the person's own (`handle`), or all of them; audited. */
export const signOut = async (
  db: Db,
  actor: { personId: string; authorityId: string; requestId: string; now: Date },
  scope: { secret: string | undefined } | { handle: string } | 'everywhere',
): Promise<number> => {
  let ended: number;
  let action: string;
  if (scope === 'everywhere') {
    ended = await endPersonSessions(db, actor.personId, 'signed out everywhere', actor.now);
    action = 'person.sign-out-everywhere';
  } else if ('handle' in scope) {
    // Matched among the person's own sessions only: another person's handle ends nothing.
    ended = await endSessionByHandle(
      db,
      actor.personId,
      scope.handle,
      'signed out from another session',
      actor.now,
    );
    action = 'person.end-session';
  } else {
    ended = scope.secret ? await endSessionBySecret(db, scope.secret, 'signed out', actor.now) : 0;
    action = 'person.sign-out';
  }
  await appendAudit(db, {
    authorityId: actor.authorityId,
    clientId: null,
    personId: actor.personId,
    action,
    recordType: 'person',
    recordIds: [actor.personId],
    requestId: actor.requestId,
    at: actor.now,
    details: {
      sessions: ended,
      ...(typeof scope === 'object' && 'handle' in scope ? { handle: scope.handle } : {}),
    },
  });
  return ended;
};
