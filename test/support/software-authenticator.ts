// A WebAuthn authenticator in software, for tests: an ES256 key pair made with node:crypto, answering
// the hub's registration and sign-in options as a browser and a platform authenticator would — the
// client data (type, challenge, origin), the authenticator data (RP ID hash, flags, signature
// counter, attested credential), a `none` attestation in CBOR, and DER signatures. Each answer can be
// bent (another origin, another RP ID, no user verification, a counter held back) to try the hub's checks.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ---------------------------------------------------------------------------------------------------
// The little CBOR (RFC 8949) an attestation object and a COSE key need: integers, byte and text
// strings, and maps, in the order given (WebAuthn's canonical order is the caller's to keep).

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

const head = (major: number, n: number): Buffer => {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
};

export const encodeCbor = (value: Cbor): Buffer => {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > 0xffffffff)
      throw new Error(`not a small integer: ${value}`);
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(encodeCbor(k), encodeCbor(v));
  return Buffer.concat(parts);
};

// ---------------------------------------------------------------------------------------------------

const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array): string => Buffer.from(data).toString('base64url');
const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** Authenticator data flags (WebAuthn §6.1). */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

/** What a test may bend in one answer. */
export type Bend = {
  /** The origin the "browser" puts in the client data (the page's origin). */
  origin?: string;
  /** The RP ID whose hash the authenticator signs; by default the one in the options. */
  rpId?: string;
  /** Whether the authenticator says it verified the user (a PIN, a fingerprint); true by default. */
  userVerified?: boolean;
  /** The client data's type; webauthn.create / webauthn.get by default. */
  type?: string;
  /** The challenge answered; the options' by default. */
  challenge?: string;
  /** The signature counter sent, instead of the next one. */
  counter?: number;
  /** The user handle sent with an assertion; the registered user's id by default, null for none. */
  userHandle?: string | null;
};

/** The parts of the hub's registration options an authenticator reads. */
export type CreationOptions = { challenge: string; rp: { id?: string | undefined }; user: { id: string } };
/** The parts of the hub's sign-in options an authenticator reads. */
export type RequestOptions = { challenge: string; rpId?: string | undefined };

export type RegistrationResponseJSON = {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: { credProps?: { rk: boolean } };
  response: {
    clientDataJSON: string;
    attestationObject: string;
    authenticatorData: string;
    transports: string[];
    publicKeyAlgorithm: number;
    publicKey: string;
  };
};

export type AuthenticationResponseJSON = {
  id: string;
  rawId: string;
  type: 'public-key';
  authenticatorAttachment: 'platform';
  clientExtensionResults: Record<string, never>;
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string;
  };
};

type State = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  credentialId: Buffer;
  counter: number;
  userHandle: string | null;
};

export type SoftwareAuthenticator = {
  /** The credential id, base64url. */
  readonly credentialId: string;
  /** The signature counter of the last assertion. */
  readonly counter: number;
  /** navigator.credentials.create(): a new credential for the options' user, attested with `none`. */
  create(options: CreationOptions, bend?: Bend): RegistrationResponseJSON;
  /** navigator.credentials.get(): an assertion over the options' challenge, the counter moved on by one. */
  get(options: RequestOptions, bend?: Bend): AuthenticationResponseJSON;
  /** Another authenticator with this one's key and counter, as a cloned security key would be. */
  clone(): SoftwareAuthenticator;
};

/**
 * A platform authenticator holding one credential, used from pages at `origin`. Its counter starts at
 * 0 and moves on by one with each assertion (as a security key's does).
 */
export const softwareAuthenticator = (origin: string, state?: State): SoftwareAuthenticator => {
  const s: State = state ?? {
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    credentialId: randomBytes(32),
    counter: 0,
    userHandle: null,
  };

  /** The credential's public key as COSE (EC2, ES256, P-256). */
  const coseKey = (): Buffer => {
    const jwk = s.publicKey.export({ format: 'jwk' });
    return encodeCbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  };

  const clientData = (type: string, challenge: string, bend: Bend): Buffer =>
    Buffer.from(
      JSON.stringify({
        type: bend.type ?? type,
        challenge: bend.challenge ?? challenge,
        origin: bend.origin ?? origin,
        crossOrigin: false,
      }),
      'utf8',
    );

  const flags = (bend: Bend, extra: number): number =>
    FLAGS.UP | (bend.userVerified === false ? 0 : FLAGS.UV) | extra;

  return {
    get credentialId(): string {
      return b64url(s.credentialId);
    },
    get counter(): number {
      return s.counter;
    },

    create(options: CreationOptions, bend: Bend = {}): RegistrationResponseJSON {
      const rpId = bend.rpId ?? options.rp.id ?? new URL(origin).hostname;
      s.userHandle = options.user.id;
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(s.credentialId.length);
      const authData = Buffer.concat([
        sha256(rpId),
        Buffer.from([flags(bend, FLAGS.AT)]),
        uint32(bend.counter ?? s.counter),
        Buffer.alloc(16), // AAGUID: none given
        idLength,
        s.credentialId,
        coseKey(),
      ]);
      const attestationObject = encodeCbor(
        new Map<Cbor, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      return {
        id: b64url(s.credentialId),
        rawId: b64url(s.credentialId),
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: { credProps: { rk: true } },
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', options.challenge, bend)),
          attestationObject: b64url(attestationObject),
          authenticatorData: b64url(authData),
          transports: ['hybrid', 'internal'],
          publicKeyAlgorithm: -7,
          publicKey: b64url(s.publicKey.export({ format: 'der', type: 'spki' })),
        },
      };
    },

    get(options: RequestOptions, bend: Bend = {}): AuthenticationResponseJSON {
      const rpId = bend.rpId ?? options.rpId ?? new URL(origin).hostname;
      if (bend.counter === undefined) s.counter += 1;
      const authData = Buffer.concat([
        sha256(rpId),
        Buffer.from([flags(bend, 0)]),
        uint32(bend.counter ?? s.counter),
      ]);
      const clientDataJSON = clientData('webauthn.get', options.challenge, bend);
      // ES256 over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded as WebAuthn sends it.
      const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), s.privateKey);
      const userHandle = bend.userHandle === undefined ? s.userHandle : bend.userHandle;
      return {
        id: b64url(s.credentialId),
        rawId: b64url(s.credentialId),
        type: 'public-key',
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          ...(userHandle ? { userHandle } : {}),
        },
      };
    },

    clone(): SoftwareAuthenticator {
      return softwareAuthenticator(origin, { ...s });
    },
  };
};
