// Who is acting in a service call: the principal, the request it came in, and the moment it is judged at.
import type { Role } from '@ccx/schema';

export type Actor = {
  authorityId: string;
  /** The API client that acted, or null when a person did (with a session). */
  clientId: string | null;
  /** The person that acted, or null/absent when an API client did. */
  personId?: string | null;
  role: Role;
  requestId: string;
  /** The hub clock's now, fixed for the whole request. */
  now: Date;
};

/** The id of whoever acted, person or client, for the created-by columns (ids of the two never collide: ccxp_ and ccx_). */
export const actedBy = (a: { clientId: string | null; personId?: string | null }): string =>
  a.personId ?? a.clientId ?? 'unknown';

/** The audit fields of an actor. */
export const auditActor = (a: Actor) => ({
  authorityId: a.authorityId,
  clientId: a.clientId,
  personId: a.personId ?? null,
  requestId: a.requestId,
  at: a.now,
});
