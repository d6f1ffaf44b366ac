// People who sign in — officers, administrators, the hub-admin — their invitations, sessions and the
// identity provider each authority may sign its people in with.
import { z } from 'zod';
import { zAuthorityRef } from './refs.js';
import { zEmail, zInput, zName, zTimestamp } from './common.js';
import { zAuthorityId } from './authorities.js';
import { zRole } from './enums.js';

export const zPersonId = z.string().regex(/^ccxp_[a-z0-9]{20}$/, 'must be a person id such as ccxp_…');

export const PERSON_STATUSES = ['invited', 'active', 'deactivated'] as const;
export const zPersonStatus = z.enum(PERSON_STATUSES);

/** An address as the hub keeps it: lower-cased, so one person has one address. */
export const zPersonEmail = zEmail.toLowerCase();

export const zPerson = z.object({
  id: zPersonId,
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  email: z.string(),
  name: z.string(),
  role: zRole,
  status: zPersonStatus.describe(
    'invited (has not set up yet), active, or deactivated (cannot sign in; every session ended)',
  ),
  /** Whether the person has a password with a second factor (a local account). */
  localAccount: z.boolean(),
  /** Whether the person has signed in through the authority's identity provider. */
  singleSignOn: z.boolean(),
  recoveryCodesLeft: z.number().int(),
  createdAt: zTimestamp,
  activatedAt: zTimestamp.nullable(),
  deactivatedAt: zTimestamp.nullable(),
  lastSignInAt: zTimestamp.nullable(),
});
export type Person = z.infer<typeof zPerson>;

export const zPersonInvite = zInput({
  /** Defaults to the caller's own authority; only a hub-admin may name another. */
  authorityId: zAuthorityId.optional(),
  email: zPersonEmail,
  name: zName,
  role: zRole,
});
export type PersonInvite = z.infer<typeof zPersonInvite>;

/** The invitation link is shown once, to the admin who invited (and e-mailed when the hub can send mail). */
export const zPersonInvited = z.object({
  person: zPerson,
  invitationUrl: z.string().describe('single use; the token is in the fragment, never sent to a server'),
  expiresAt: zTimestamp,
  emailed: z.boolean().describe('whether the hub sent the link by e-mail (CCX_SMTP_URL set)'),
});
export type PersonInvited = z.infer<typeof zPersonInvited>;

export const zPeopleList = zInput({
  authorityId: zAuthorityId.optional(),
  status: zPersonStatus.optional(),
}).default({});
export const zPersonSetRole = zInput({ id: zPersonId, role: zRole });
export const zPersonRef = zInput({ id: zPersonId });

/** A secret link's token, as pasted from the link's fragment. */
export const zLinkToken = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the token from the link');

/** NCSC: length, not composition rules. At least 12 characters; at most 200 (hashing has a cost). */
export const zPassword = z
  .string()
  .min(12, 'must be at least 12 characters (a few random words make a good one)')
  .max(200, 'must be at most 200 characters');

export const zSignIn = zInput({ email: z.string().trim().max(254), password: z.string().max(200) });
export const zSignInStep = z.object({
  next: z.literal('second-factor').describe('send a code from the authenticator app (or a recovery code)'),
  expiresAt: zTimestamp,
});

export const zSecondFactor = zInput({
  code: z.string().trim().max(20).optional(),
  recoveryCode: z.string().trim().max(40).optional(),
}).refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), {
  message: 'send either code (from the authenticator app) or recoveryCode, not both',
});

export const zSessionInfo = z.object({
  handle: z.string(),
  method: z.string().nullable(),
  createdAt: zTimestamp,
  lastSeenAt: zTimestamp,
  /** When the session ends unless used before (the idle timeout). */
  idleExpiresAt: zTimestamp,
  /** When the session ends whatever happens (the absolute limit). */
  expiresAt: zTimestamp,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof zSessionInfo>;

export const zSignedIn = z.object({ person: zPerson, session: zSessionInfo });
export type SignedIn = z.infer<typeof zSignedIn>;

export const zAcceptLink = zInput({ token: zLinkToken, password: zPassword, name: zName.optional() });
export const zEnrolment = z.object({
  next: z.literal('confirm-totp'),
  /** The TOTP secret, shown once: add it to an authenticator app (or scan otpauthUri as a QR code). */
  totpSecret: z.string(),
  otpauthUri: z.string(),
  expiresAt: zTimestamp,
});
export const zConfirmTotp = zInput({ code: z.string().trim().max(20) });
export const zEnrolled = zSignedIn.extend({
  /** One-time recovery codes, shown once: each signs in once in place of a TOTP code. */
  recoveryCodes: z.array(z.string()),
});

export const zSsoLookup = zInput({ email: z.string().trim().max(254) });
export const zSsoTarget = z
  .object({ authorityId: zAuthorityId, authorityName: z.string(), startUrl: z.string() })
  .nullable();

export const zSessionEnd = zInput({ handle: z.string().max(100) });

/** An identity provider as its authority's admin sees it: the client secret is never shown. */
export const zIdentityProvider = z.object({
  authorityId: zAuthorityId,
  issuer: z.string(),
  clientId: z.string(),
  clientSecretSet: z.literal(true),
  allowedDomains: z.array(z.string()),
  createUnknown: z.boolean(),
  defaultRole: zRole,
  /** The address to register at the provider as the redirect URI. */
  redirectUri: z.string(),
  /** Where a person starts signing in with this provider. */
  signInUrl: z.string(),
  updatedAt: zTimestamp,
});
export type IdentityProvider = z.infer<typeof zIdentityProvider>;

/** A domain's labels: letters, digits and inner hyphens, dot-separated, ending in a top-level name. */
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const zDomain = z
  .string()
  .trim()
  .toLowerCase()
  // The pattern bounds the length; the labels are checked after it.
  .regex(/^[a-z0-9.-]{4,253}$/, 'must be a domain such as medway.gov.uk')
  .refine((d) => DOMAIN.test(d), 'must be a domain such as medway.gov.uk');

export const zIdentityProviderSet = zInput({
  authorityId: zAuthorityId.optional(),
  issuer: z
    .url({
      message: 'must be the provider’s issuer URL, such as https://login.microsoftonline.com/<tenant>/v2.0',
    })
    .max(500, 'must be at most 500 characters'),
  clientId: z.string().trim().min(1).max(200),
  /** Required the first time; leave out to keep the stored one. */
  clientSecret: z.string().min(1).max(500).optional(),
  allowedDomains: z.array(zDomain).min(1, 'name at least one e-mail domain').max(20),
  createUnknown: z.boolean().default(false),
  defaultRole: z.enum(['viewer', 'officer']).default('viewer'),
});
export type IdentityProviderSet = z.infer<typeof zIdentityProviderSet>;
export const zIdentityProviderGet = zInput({ authorityId: zAuthorityId.optional() }).default({});
