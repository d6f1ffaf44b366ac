// Passkeys (WebAuthn): a person registers one while signed in, then signs in with it, without a
// password. The browser's answers (RegistrationResponseJSON, AuthenticationResponseJSON) are modelled
// field by field, every string bounded; fields a browser adds that are not named here are dropped.
import { z } from 'zod';
import { zInput, zTimestamp } from './common.js';

/** base64url text of at most `max` characters (padding tolerated, as some clients add it). */
const zBase64url = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');

/** A credential id: at most 1,023 bytes (WebAuthn), so 1,364 base64url characters. */
export const zPasskeyId = zBase64url(1400);

/** Transports as browsers name them; ones the hub does not know are kept out of what it stores. */
const zTransports = z.array(z.string().max(32)).max(10);

const zAttachment = z.enum(['platform', 'cross-platform']).nullable().optional();

/** The client extension outputs the hub reads; any other is dropped. */
const zClientExtensionResults = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .default({});

/** What `navigator.credentials.create()` answered, as `PublicKeyCredential.toJSON()` gives it. */
export const zRegistrationResponse = z.object({
  id: zPasskeyId,
  rawId: zPasskeyId,
  type: z.literal('public-key'),
  authenticatorAttachment: zAttachment,
  clientExtensionResults: zClientExtensionResults,
  response: z.object({
    clientDataJSON: zBase64url(4096),
    attestationObject: zBase64url(16_384),
    authenticatorData: zBase64url(8192).optional(),
    transports: zTransports.optional(),
    publicKeyAlgorithm: z.number().int().min(-65_536).max(65_536).optional(),
    publicKey: zBase64url(4096).optional(),
  }),
});
export type RegistrationResponse = z.infer<typeof zRegistrationResponse>;

/** What `navigator.credentials.get()` answered, as `PublicKeyCredential.toJSON()` gives it. */
export const zAuthenticationResponse = z.object({
  id: zPasskeyId,
  rawId: zPasskeyId,
  type: z.literal('public-key'),
  authenticatorAttachment: zAttachment,
  clientExtensionResults: zClientExtensionResults,
  response: z.object({
    clientDataJSON: zBase64url(4096),
    authenticatorData: zBase64url(8192),
    signature: zBase64url(1024),
    userHandle: zBase64url(200).nullable().optional(),
  }),
});
export type AuthenticationResponse = z.infer<typeof zAuthenticationResponse>;

export const zPasskeyName = z.string().trim().min(1, 'must not be empty').max(100);

export const zPasskeyRegister = zInput({
  response: zRegistrationResponse,
  /** What the person calls it ("work laptop"); "Passkey" when left out. */
  name: zPasskeyName.optional(),
});

export const zPasskeyRef = zInput({ id: zPasskeyId });

export const zPasskeySignInStart = zInput({
  /** Narrows the passkeys the browser offers to this address's; leave out for a discoverable passkey. */
  email: z.string().trim().max(254).optional(),
}).default({});

/** The id of a sign-in's challenge, as signInOptions gave it. */
export const zPasskeyChallengeId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the challengeId from passkeys.signInOptions');

export const zPasskeySignIn = zInput({
  challengeId: zPasskeyChallengeId,
  response: zAuthenticationResponse,
});

const zCredentialDescriptor = z.object({
  id: z.string(),
  type: z.literal('public-key'),
  transports: z.array(z.string()).optional(),
});

/** Options for `navigator.credentials.create()` (PublicKeyCredentialCreationOptionsJSON). */
export const zPasskeyRegistrationOptions = z.object({
  challenge: z.string(),
  rp: z.object({ name: z.string(), id: z.string().optional() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
  timeout: z.number().int().optional(),
  attestation: z.enum(['none', 'indirect', 'direct', 'enterprise']).optional(),
  excludeCredentials: z.array(zCredentialDescriptor).optional(),
  authenticatorSelection: z
    .object({
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      residentKey: z.enum(['discouraged', 'preferred', 'required']).optional(),
      requireResidentKey: z.boolean().optional(),
      userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
    })
    .optional(),
  extensions: z.object({ credProps: z.boolean().optional() }).optional(),
  hints: z.array(z.string()).optional(),
});
export type PasskeyRegistrationOptions = z.infer<typeof zPasskeyRegistrationOptions>;

/** A sign-in's challenge and the options for `navigator.credentials.get()`. */
export const zPasskeySignInOptions = z.object({
  /** Send back with the browser's answer (passkeys.signIn); good once, for five minutes. */
  challengeId: z.string(),
  expiresAt: zTimestamp,
  options: z.object({
    challenge: z.string(),
    rpId: z.string().optional(),
    timeout: z.number().int().optional(),
    allowCredentials: z.array(zCredentialDescriptor).optional(),
    userVerification: z.enum(['discouraged', 'preferred', 'required']).optional(),
  }),
});
export type PasskeySignInOptions = z.infer<typeof zPasskeySignInOptions>;

export const zPasskey = z.object({
  id: z.string(),
  name: z.string(),
  transports: z.array(z.string()),
  /** Synced between the person's devices and backed up (a platform passkey), as the authenticator said. */
  backedUp: z.boolean(),
  createdAt: zTimestamp,
  lastUsedAt: zTimestamp.nullable(),
});
export type Passkey = z.infer<typeof zPasskey>;
