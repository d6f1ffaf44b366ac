import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { authorities } from './authorities.js';

/**
 * The people who sign in: each belongs to one member authority with one role. A person invited and
 * not yet set up has no password; a local account needs a password and a confirmed TOTP second
 * factor; a person who signs in through the authority's identity provider needs neither.
 */
export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    authorityId: text('authority_id')
      .notNull()
      .references(() => authorities.id),
    /** Lower-cased; one person per address across the hub, so sign-in by address is unambiguous. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    status: text('status').notNull().default('invited'),
    /** argon2id (PHC string). */
    passwordHash: text('password_hash'),
    /** Base32 TOTP secret; null until the person enrols. */
    totpSecret: text('totp_secret'),
    totpConfirmedAt: timestamp('totp_confirmed_at', { withTimezone: true, mode: 'date' }),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: integer('totp_last_step'),
    /** SHA-256 of each unused one-time recovery code. */
    recoveryCodes: text('recovery_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The identity provider's subject (`iss` + `sub`), bound at the first single sign-on. */
    oidcSubject: text('oidc_subject'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true, mode: 'date' }),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true, mode: 'date' }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('people_email_key').on(t.email),
    uniqueIndex('people_oidc_subject_key').on(t.oidcSubject),
    index('people_authority_idx').on(t.authorityId, t.createdAt),
    check('people_role_check', sql`${t.role} in ('viewer', 'officer', 'admin', 'hub-admin')`),
    check('people_status_check', sql`${t.status} in ('invited', 'active', 'deactivated')`),
    check('people_email_lower_check', sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * Single-use links: an invitation (72 hours) or the first hub-admin's set-up link (24 hours). Only
 * the SHA-256 of the link's token is kept.
 */
export const personLinks = pgTable(
  'person_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    purpose: text('purpose').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('person_links_person_idx').on(t.personId),
    check('person_links_purpose_check', sql`${t.purpose} in ('invitation', 'setup')`),
  ],
);

/**
 * Browser sessions. The cookie holds an opaque random id; only its SHA-256 is stored. A session is
 * `pending` between the password and the second factor (or while a new person enrols a second
 * factor), then `active` under a new id; it ends when signed out, when its person is deactivated,
 * after the idle timeout or at its absolute expiry.
 */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    /** A public handle for "my sessions" and signing one out; not the secret. */
    handle: text('handle').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    stage: text('stage').notNull(),
    /** How the person proved who they are: password+totp, password+recovery-code, oidc. */
    method: text('method'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    endedReason: text('ended_reason'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** While a person sets up from a link: the link's token hash, consumed when the second factor is confirmed. */
    linkHash: text('link_hash'),
    /** Wrong second-factor codes sent in this pending session; it ends after a few. */
    failures: integer('failures').notNull().default(0),
  },
  (t) => [
    uniqueIndex('sessions_handle_key').on(t.handle),
    index('sessions_person_idx').on(t.personId, t.createdAt),
    check('sessions_stage_check', sql`${t.stage} in ('second-factor', 'enrol', 'active')`),
  ],
);

/** Each authority's OpenID Connect provider. The client secret is stored to call the provider and never shown again. */
export const identityProviders = pgTable('identity_providers', {
  authorityId: text('authority_id')
    .primaryKey()
    .references(() => authorities.id),
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  clientSecret: text('client_secret').notNull(),
  allowedDomains: text('allowed_domains').array().notNull(),
  /** Whether a person unknown to the hub is created at first sign-in (with defaultRole) or must be invited first. */
  createUnknown: boolean('create_unknown').notNull().default(false),
  defaultRole: text('default_role').notNull().default('viewer'),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** A single sign-on in flight: state, nonce and PKCE verifier, bound to the browser that started it; single use. */
export const oidcFlows = pgTable('oidc_flows', {
  stateHash: text('state_hash').primaryKey(),
  authorityId: text('authority_id').notNull(),
  /** SHA-256 of the random value in the browser's flow cookie. */
  browserHash: text('browser_hash').notNull(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  returnTo: text('return_to').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});
