// TOTP and recovery codes: the RFC 4226, 6238 and 4648 test vectors, the drift window, replay refusal,
// and the formats authenticator apps and people read.
import { describe, expect, test } from 'vitest';
import { totp } from '@ccx/server/testing';

const {
  base32Decode,
  base32Encode,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  otpauthUri,
  totpAt,
  totpStep,
  verifyTotp,
} = totp;

// The key of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1).
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));

describe('base32', () => {
  test.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 vector %j encodes as %j and decodes back', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain, 'ascii'))).toBe(encoded);
    expect(base32Decode(encoded).toString('ascii')).toBe(plain);
  });

  test('decodes lowercase, spaces and padding', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString('ascii')).toBe('foobar');
  });

  test('throws on a character outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow(/invalid base32 character '1'/);
    expect(() => base32Decode('MZ-XW')).toThrow(/invalid base32/);
  });

  test('round-trips random bytes of every length up to 40', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
  });

  test('a new secret is 20 random bytes, uppercase base32 without padding', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
  });
});

describe('totpAt', () => {
  test.each([
    [0, '755224'],
    [1, '287082'],
    [2, '359152'],
    [3, '969429'],
    [4, '338314'],
    [5, '254676'],
    [6, '287922'],
    [7, '162583'],
    [8, '399871'],
    [9, '520489'],
  ])('RFC 4226 Appendix D: counter %i gives %s', (counter, code) => {
    expect(totpAt(RFC_SECRET, counter)).toBe(code);
  });

  test.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('RFC 6238 Appendix B (SHA-1): time %i gives %s', (seconds, code) => {
    expect(totpAt(RFC_SECRET, totpStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  test('totpStep counts 30-second steps since the epoch', () => {
    expect(totpStep(new Date(0))).toBe(0);
    expect(totpStep(new Date(29_999))).toBe(0);
    expect(totpStep(new Date(30_000))).toBe(1);
  });
});

describe('verifyTotp', () => {
  // Fixed, so the codes two steps away are known not to collide with the window's own codes.
  const secret = RFC_SECRET;
  const at = new Date('2030-01-01T12:00:10Z');
  const now = totpStep(at);

  test('the fixed world has six distinct codes around now', () => {
    const codes = [-2, -1, 0, 1, 2].map((d) => totpAt(secret, now + d));
    expect(new Set([...codes, '000000']).size).toBe(6);
  });

  test.each([
    ['previous', -1],
    ['current', 0],
    ['next', 1],
  ])('accepts the code of the %s step and returns that step', (_label, offset) => {
    expect(verifyTotp(secret, totpAt(secret, now + offset), at, null)).toEqual({
      ok: true,
      step: now + offset,
    });
  });

  test.each([-2, 2])('refuses the code from %i steps away as wrong', (offset) => {
    expect(verifyTotp(secret, totpAt(secret, now + offset), at, null)).toEqual({
      ok: false,
      reason: 'wrong',
    });
  });

  test('refuses a code from no step as wrong', () => {
    expect(verifyTotp(secret, '000000', at, null)).toEqual({ ok: false, reason: 'wrong' });
  });

  test('refuses the same step twice, and a step earlier than the last one used', () => {
    const first = verifyTotp(secret, totpAt(secret, now), at, null);
    expect(first).toEqual({ ok: true, step: now });
    expect(verifyTotp(secret, totpAt(secret, now), at, now)).toEqual({ ok: false, reason: 'reused' });
    expect(verifyTotp(secret, totpAt(secret, now - 1), at, now)).toEqual({ ok: false, reason: 'reused' });
    expect(verifyTotp(secret, totpAt(secret, now + 1), at, now)).toEqual({ ok: true, step: now + 1 });
  });

  test.each(['abc', '12345', '1234567', '', '12a456', '１２３４５６'])('refuses %j as malformed', (code) => {
    expect(verifyTotp(secret, code, at, null)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('accepts a code typed with spaces', () => {
    const code = totpAt(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null)).toEqual({
      ok: true,
      step: now,
    });
    expect(verifyTotp(secret, ` ${code} `, at, null)).toEqual({ ok: true, step: now });
  });
});

describe('otpauthUri', () => {
  test('parses as a URL carrying the secret, issuer and parameters', () => {
    const secret = newTotpSecret();
    const uri = otpauthUri(secret, 'jo.bloggs@example.gov.uk', 'CCX Hub & Co');
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/CCX Hub & Co:jo.bloggs@example.gov.uk');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('issuer')).toBe('CCX Hub & Co');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
    expect(uri).not.toContain(' ');
  });
});

describe('recovery codes', () => {
  test('are unique and formatted xxxxx-xxxxx from an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(code).not.toMatch(/[01oli]/);
    }
    expect(newRecoveryCodes(3)).toHaveLength(3);
  });

  test('hash the same with or without hyphen, spaces or case', () => {
    const [code] = newRecoveryCodes(1);
    if (code === undefined) throw new Error('no recovery code');
    const hash = hashRecoveryCode(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code.replace('-', ''))).toBe(hash);
    expect(hashRecoveryCode(code.toUpperCase())).toBe(hash);
    expect(hashRecoveryCode(` ${code.slice(0, 5)} ${code.slice(6)} `)).toBe(hash);
    expect(normaliseRecoveryCode('ABCDE-FGHJK')).toBe('abcdefghjk');
    expect(hashRecoveryCode(newRecoveryCodes(1)[0] ?? '')).not.toBe(hash);
  });
});
