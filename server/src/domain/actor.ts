// Who is acting in a service call: the principal, the request it came in, and the moment it is judged at.
import type { Role } from '@ccx/schema';

export type Actor = {
  authorityId: string;
  clientId: string;
  role: Role;
  requestId: string;
  /** The hub clock's now, fixed for the whole request. */
  now: Date;
};

/** The audit fields of an actor. */
export const auditActor = (a: Actor) => ({
  authorityId: a.authorityId,
  clientId: a.clientId,
  requestId: a.requestId,
  at: a.now,
});
