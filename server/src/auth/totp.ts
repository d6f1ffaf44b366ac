// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and recovery codes
// for a second factor, on node:crypto alone so authenticator apps and the hub agree byte for byte.
import { createHash, createHmac, randomInt, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;
const DIGITS = 6;
// One step either side of now: a phone clock a little fast or slow, or a code typed as it rolled over.
const DRIFT_STEPS = 1;

/** RFC 4648 base32, uppercase, without padding (authenticator apps accept it in this form). */
export const base32Encode = (b: Buffer): string => {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
};

/** Decodes base32 as people type it: any case, spaces, trailing padding. Throws on other characters. */
export const base32Decode = (s: string): Buffer => {
  const clean = s.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32_ALPHABET.indexOf(ch);
    if (index === -1) throw new Error(`invalid base32 character '${ch}'`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
};

/** A new shared secret: 160 random bits, the key length RFC 4226 recommends for HMAC-SHA1. */
export const newTotpSecret = (): string => base32Encode(randomBytes(20));

/** The time step a moment falls in. */
export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / STEP_SECONDS);

/** The code for one time step: HOTP (RFC 4226) of the step, with dynamic truncation. */
export const totpAt = (secret: string, step: number, digits = DIGITS): string => {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
};

export type TotpVerdict =
  { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'reused' };

/**
 * Checks a presented code against the steps around `at`. A match at or before `lastUsedStep` is
 * refused, so a code seen over someone's shoulder cannot be replayed within its window; the caller
 * stores the returned step as the new `lastUsedStep`.
 */
export const verifyTotp = (
  secret: string,
  code: string,
  at: Date,
  lastUsedStep: number | null,
): TotpVerdict => {
  const presented = code.replace(/\s+/g, '');
  if (!/^[0-9]{6}$/.test(presented)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(presented, 'utf8');
  const now = totpStep(at);
  // Every candidate step is computed and compared, so the time taken does not say which one matched.
  let matched: number | null = null;
  for (let step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
    const expected = Buffer.from(totpAt(secret, step), 'utf8');
    if (timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  if (matched === null) return { ok: false, reason: 'wrong' };
  if (lastUsedStep !== null && matched <= lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, step: matched };
};

/** The URI an authenticator app reads from a QR code (Google Authenticator's key URI format). */
export const otpauthUri = (secret: string, account: string, issuer: string): string => {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    `secret=${encodeURIComponent(secret)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${DIGITS}`,
    `period=${STEP_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${params}`;
};

// No 0/o, 1/l/i: recovery codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** One-use codes for when the authenticator is lost, shown once; store only their hashes. */
export const newRecoveryCodes = (n = 10): string[] => {
  const codes = new Set<string>();
  while (codes.size < n) {
    let raw = '';
    for (let i = 0; i < 10; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
};

/** A recovery code as stored and compared: lowercase, without spaces or hyphens. */
export const normaliseRecoveryCode = (s: string): string => s.toLowerCase().replace(/[\s-]+/g, '');

/** Recovery codes carry ~50 random bits and are single-use, so SHA-256 is enough to store them. */
export const hashRecoveryCode = (code: string): string =>
  createHash('sha256').update(normaliseRecoveryCode(code), 'utf8').digest('hex');
