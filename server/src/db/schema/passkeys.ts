import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { people } from './people.js';

/**
 * A person's passkeys (WebAuthn credentials): a second way to sign in, without a password. Only the
 * public key is kept; the private key never leaves the person's authenticator.
 */
export const passkeys = pgTable(
  'passkeys',
  {
    /** The credential id, base64url, as the authenticator made it. */
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    /** The authenticator's signature counter (0 for authenticators that keep none); must advance otherwise. */
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Whether the credential is synced between devices and backed up (a platform's passkey, say). */
    backedUp: boolean('backed_up').notNull().default(false),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('passkeys_person_idx').on(t.personId, t.createdAt)],
);

/**
 * Challenges handed out for a passkey's registration (bound to the session that asked) or for a
 * sign-in (found by a random id handed to the browser); each lives five minutes and is used once.
 */
export const passkeyChallenges = pgTable(
  'passkey_challenges',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose').notNull(),
    /** base64url, as sent in the options. */
    challenge: text('challenge').notNull(),
    /** For a registration: the person and the session handle that asked for it. */
    personId: text('person_id'),
    sessionHandle: text('session_handle'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('passkey_challenges_session_idx').on(t.sessionHandle),
    index('passkey_challenges_expires_idx').on(t.expiresAt),
    check('passkey_challenges_purpose_check', sql`${t.purpose} in ('registration', 'sign-in')`),
  ],
);
