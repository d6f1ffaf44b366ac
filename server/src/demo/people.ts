// The demo's people: one in each demo authority, with a local account (an invented password and a
// TOTP secret to add to an authenticator app), as if each had opened their invitation already.
import { randomBytes } from 'node:crypto';
import type { Role } from '@ccx/schema';
import { hashPassword } from '../auth/passwords.js';
import { newPersonId } from '../auth/secrets.js';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret } from '../auth/totp.js';
import type { Db } from '../db/index.js';
import { people } from '../db/schema/index.js';

export type DemoPerson = {
  authorityId: string;
  name: string;
  email: string;
  role: Role;
  password: string;
  totpSecret: string;
  recoveryCodes: string[];
};

/** Invented staff, one per demo authority (the same authorities as the demo clients), and the partnership's hub admin. */
export const DEMO_PEOPLE = [
  { authorityId: 'medway', name: 'Priya Shah', email: 'priya.shah@medway.example.gov.uk', role: 'officer' },
  { authorityId: 'bolton', name: 'Tom Hughes', email: 'tom.hughes@bolton.example.gov.uk', role: 'admin' },
  {
    authorityId: 'north-tyneside',
    name: 'Aisha Khan',
    email: 'aisha.khan@north-tyneside.example.gov.uk',
    role: 'viewer',
  },
  // At the host authority: the hub's own authority id, whatever CCX_HOST_AUTHORITY_ID says.
  {
    authorityId: 'host',
    name: 'Sam Okafor',
    email: 'sam.okafor@partnership.example.gov.uk',
    role: 'hub-admin',
  },
] as const;

export const seedDemoPeople = async (db: Db, now: Date, hostAuthorityId: string): Promise<DemoPerson[]> => {
  const made: DemoPerson[] = [];
  for (const demo of DEMO_PEOPLE) {
    const p = { ...demo, authorityId: demo.authorityId === 'host' ? hostAuthorityId : demo.authorityId };
    // Four random words' worth of entropy, readable: 16 base64url characters.
    const password = `demo-${randomBytes(12).toString('base64url')}`;
    const totpSecret = newTotpSecret();
    const recoveryCodes = newRecoveryCodes();
    await db.insert(people).values({
      id: newPersonId(),
      authorityId: p.authorityId,
      email: p.email,
      name: p.name,
      role: p.role,
      status: 'active',
      passwordHash: await hashPassword(password),
      totpSecret,
      totpConfirmedAt: now,
      recoveryCodes: recoveryCodes.map(hashRecoveryCode),
      createdAt: now,
      activatedAt: now,
    });
    made.push({ ...p, password, totpSecret, recoveryCodes });
  }
  return made;
};
