// People's sessions, kept in the database. The browser holds an opaque random id in a cookie; the
// hub keeps only its SHA-256, so a copy of the database signs nobody in. A session is pending
// between the password and the second factor (or while a new person enrols one), then active under
// a new id (rotated at sign-in); it ends at sign-out, on deactivation, after the idle timeout or at
// its absolute limit, and every request re-reads the person and the authority, so a change of role
// or a deactivation takes effect on the next call.
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Role } from '@ccx/schema';
import type { SessionInfo } from '@ccx/schema';
import { hashSecret, newOpaqueSecret, newSessionHandle } from '../../auth/secrets.js';
import type { Db } from '../../db/index.js';
import { authorities, people, sessions } from '../../db/schema/index.js';
import { iso } from '../pagination.js';

/** Why a session cookie was refused, for the log (the caller is told to sign in again). */
export const SESSION_REFUSED = 'session ended, expired or unknown';

export type SessionStage = 'second-factor' | 'enrol' | 'active';

/** A pending session's life: long enough to open an authenticator app, short enough to be useless when stolen. */
export const PENDING_SESSION_SECONDS = 600;
/** Wrong codes a pending session may send before it ends (the sign-in throttle counts them too). */
export const PENDING_SESSION_MAX_FAILURES = 5;
/** last_seen_at is written at most this often: the idle timeout is exact to within it. */
const TOUCH_EVERY_MS = 30_000;

export type SessionTimes = { idleSeconds: number; maxSeconds: number };

export type SessionOpen = {
  personId: string;
  stage: SessionStage;
  method: string | null;
  now: Date;
  /** Absolute lifetime in seconds. */
  lifetimeSeconds: number;
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  linkHash?: string | null;
};

/** Opens a session; the returned secret goes into the cookie and is never stored. */
export const openSession = async (
  db: Db,
  s: SessionOpen,
): Promise<{ secret: string; handle: string; expiresAt: Date }> => {
  const secret = newOpaqueSecret();
  const handle = newSessionHandle();
  const expiresAt = new Date(s.now.getTime() + s.lifetimeSeconds * 1000);
  await db.insert(sessions).values({
    idHash: hashSecret(secret),
    handle,
    personId: s.personId,
    stage: s.stage,
    method: s.method,
    createdAt: s.now,
    lastSeenAt: s.now,
    expiresAt,
    ip: s.ip ?? null,
    userAgent: s.userAgent?.slice(0, 300) ?? null,
    linkHash: s.linkHash ?? null,
  });
  return { secret, handle, expiresAt };
};

export type SessionRow = typeof sessions.$inferSelect;

export type LiveSession = {
  session: SessionRow;
  person: { id: string; authorityId: string; role: Role; email: string; name: string };
  /** The person's authority is suspended from the partnership (only an active session is then found). */
  authoritySuspended: boolean;
};

/**
 * The session a cookie's secret opens, at the given stage, while it lives (not ended, within its
 * absolute and idle limits; pending ones have no idle limit beyond their short life) and its person
 * and authority are active (or, for an active session, its authority suspended: the caller is then refused
 * with the reason, not as a stranger). Touches last_seen_at for an active session.
 */
export const findSession = async (
  db: Db,
  secret: string,
  stage: SessionStage | SessionStage[],
  now: Date,
  times: SessionTimes,
): Promise<LiveSession | null> => {
  const stages = Array.isArray(stage) ? stage : [stage];
  const [row] = await db
    .select({
      session: sessions,
      person: {
        id: people.id,
        authorityId: people.authorityId,
        role: people.role,
        email: people.email,
        name: people.name,
        status: people.status,
      },
      authorityStatus: authorities.status,
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    .innerJoin(authorities, eq(authorities.id, people.authorityId))
    .where(
      and(eq(sessions.idHash, hashSecret(secret)), isNull(sessions.endedAt), gt(sessions.expiresAt, now)),
    );
  if (!row || !stages.includes(row.session.stage as SessionStage)) return null;
  // A suspended authority's signed-in people keep their session, so that every call can tell them
  // why it is refused (http/trpc.ts); signing in anew, and any authority that has left, stop here.
  const suspended = row.authorityStatus === 'suspended' && row.session.stage === 'active';
  if (row.authorityStatus !== 'active' && !suspended) return null;
  // A pending session belongs to someone not yet signed in (an invited person enrolling included).
  if (row.session.stage === 'active' && row.person.status !== 'active') return null;
  if (row.person.status === 'deactivated') return null;
  if (row.session.stage === 'active') {
    const idleEnds = row.session.lastSeenAt.getTime() + times.idleSeconds * 1000;
    if (idleEnds <= now.getTime()) {
      await endSessionsWhere(db, eq(sessions.idHash, row.session.idHash), 'idle timeout', now);
      return null;
    }
    if (now.getTime() - row.session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, row.session.idHash));
      row.session.lastSeenAt = now;
    }
  }
  const { status: _status, ...person } = row.person;
  return {
    session: row.session,
    person: { ...person, role: person.role as Role },
    authoritySuspended: suspended,
  };
};

const endSessionsWhere = async (
  db: Db,
  where: ReturnType<typeof eq>,
  reason: string,
  now: Date,
): Promise<number> => {
  const ended = await db
    .update(sessions)
    .set({ endedAt: now, endedReason: reason })
    .where(and(where, isNull(sessions.endedAt)))
    .returning({ handle: sessions.handle });
  return ended.length;
};

/** Ends the session a cookie's secret opens (sign-out, or a pending one replaced at sign-in). */
export const endSessionBySecret = (db: Db, secret: string, reason: string, now: Date): Promise<number> =>
  endSessionsWhere(db, eq(sessions.idHash, hashSecret(secret)), reason, now);

/** Ends one of a person's sessions by its handle. */
export const endSessionByHandle = (
  db: Db,
  personId: string,
  handle: string,
  reason: string,
  now: Date,
): Promise<number> =>
  endSessionsWhere(db, and(eq(sessions.personId, personId), eq(sessions.handle, handle))!, reason, now);

/** Ends every session of a person (sign out everywhere; deactivation). */
export const endPersonSessions = (db: Db, personId: string, reason: string, now: Date): Promise<number> =>
  endSessionsWhere(db, eq(sessions.personId, personId), reason, now);

/** Counts a wrong code in a pending session; ends it after too many. */
export const countPendingFailure = async (db: Db, idHash: string, now: Date): Promise<void> => {
  await db
    .update(sessions)
    .set({
      failures: sql`${sessions.failures} + 1`,
      endedAt: sql`case when ${sessions.failures} + 1 >= ${PENDING_SESSION_MAX_FAILURES} then ${now.toISOString()}::timestamptz end`,
      endedReason: sql`case when ${sessions.failures} + 1 >= ${PENDING_SESSION_MAX_FAILURES} then 'too many wrong codes' end`,
    })
    .where(eq(sessions.idHash, idHash));
};

export const sessionInfo = (
  s: SessionRow,
  times: SessionTimes,
  currentHandle: string | null,
): SessionInfo => {
  const idleEnds = new Date(
    Math.min(s.lastSeenAt.getTime() + times.idleSeconds * 1000, s.expiresAt.getTime()),
  );
  return {
    handle: s.handle,
    method: s.method,
    createdAt: iso(s.createdAt),
    lastSeenAt: iso(s.lastSeenAt),
    idleExpiresAt: iso(idleEnds),
    expiresAt: iso(s.expiresAt),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.handle === currentHandle,
  };
};

/** A person's live, signed-in sessions, newest first. */
export const listPersonSessions = async (
  db: Db,
  personId: string,
  now: Date,
  times: SessionTimes,
  currentHandle: string | null,
): Promise<SessionInfo[]> => {
  const idleCutoff = new Date(now.getTime() - times.idleSeconds * 1000);
  const rows = await db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.personId, personId),
        eq(sessions.stage, 'active'),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, idleCutoff),
      ),
    )
    .orderBy(desc(sessions.createdAt))
    .limit(100);
  return rows.map((r) => sessionInfo(r, times, currentHandle));
};
