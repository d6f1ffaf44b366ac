// Who is signed in: the person, their authority and role, read once from the hub (authorities.me) and
// shared with every page. Pages ask `can(role)` rather than comparing roles themselves.
import { createContext, useContext, type ReactNode } from 'react';
import type { Outputs } from './trpc.js';

export type Me = Outputs['authorities']['me'];
export type Role = Outputs['auth']['me']['person']['role'];

/** Roles, least to most privileged (the hub's order: schema/src/enums.ts). */
export const ROLES = ['viewer', 'officer', 'admin', 'hub-admin'] as const satisfies readonly Role[];
// Fails to compile if the hub gains a role this list lacks.
const _everyRole: Role extends (typeof ROLES)[number] ? true : never = true;
void _everyRole;

export const ROLE_NAMES: Record<Role, string> = {
  viewer: 'viewer',
  officer: 'officer',
  admin: 'authority admin',
  'hub-admin': 'hub admin',
};

export type Session = {
  me: Me;
  person: NonNullable<Me['person']>;
  role: Role;
  /** Whether this person holds at least `role`. */
  can: (role: Role) => boolean;
};

const SessionContext = createContext<Session | null>(null);

export const SessionProvider = ({ me, children }: { me: Me; children: ReactNode }) => {
  const person = me.person!;
  const rank = ROLES.indexOf(person.role);
  const session: Session = { me, person, role: person.role, can: (role) => rank >= ROLES.indexOf(role) };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
};

/** The signed-in person; only pages behind sign-in call it. */
export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
};
