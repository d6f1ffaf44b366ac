// Outbound safety for webhooks: https only (http to loopback when the operator allows it for
// development), and never an address in a private, loopback, link-local or metadata range unless the
// operator allowed it. The address checked is the address connected to (no DNS rebinding between).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../shared/errors.js';

export type OutboundPolicy = {
  /** Allow http:// (not only https://) to loopback addresses — for development and tests. */
  allowHttpLoopback: boolean;
  /** Allow private, loopback and link-local targets (an operator's internal receivers). */
  allowPrivate: boolean;
};

const v4ToInt = (ip: string): number => ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
const inV4 = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/') as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (v4ToInt(ip) & mask) === (v4ToInt(base) & mask);
};

const BLOCKED_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

export const isLoopback = (ip: string): boolean => (isIP(ip) === 4 ? inV4(ip, '127.0.0.0/8') : ip === '::1');

/** The eight 16-bit groups of a valid IPv6 address (a zone and a dotted IPv4 tail allowed), or null. */
const v6Groups = (ip: string): number[] | null => {
  let s = ip.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)?.[1];
  if (tail) {
    if (isIP(tail) !== 4) return null;
    const n = v4ToInt(tail);
    s = `${s.slice(0, -tail.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined) =>
    part ? part.split(':').map((g) => Number.parseInt(g, 16)) : [];
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  const groups =
    halves.length === 2 ? [...head, ...Array<number>(8 - head.length - rest.length).fill(0), ...rest] : head;
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
};

const v4Of = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/** True for addresses a webhook must not reach by default: private, loopback, link-local (incl. cloud metadata), reserved. */
export const isPrivateAddress = (ip: string): boolean => {
  if (isIP(ip) === 4) return BLOCKED_V4.some((c) => inV4(ip, c));
  const g = v6Groups(ip);
  // Not an address we can read: refuse rather than guess.
  if (!g) return true;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // An IPv4 address carried inside IPv6 is judged as that IPv4 address, however it is written
  // (URL parsing turns ::ffff:10.0.0.1 into ::ffff:a00:1): mapped ::ffff:0:0/96, translated
  // ::ffff:0:0:0/96, NAT64 64:ff9b::/96, and 6to4 2002::/16.
  if (zero(0, 5) && g[5] === 0xffff) return isPrivateAddress(v4Of(g[6]!, g[7]!));
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateAddress(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return isPrivateAddress(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x2002) return isPrivateAddress(v4Of(g[1]!, g[2]!));
  const first = g[0]!;
  return (
    // ::, ::1 and the deprecated IPv4-compatible ::/96
    zero(0, 6) ||
    // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local (deprecated), ff00::/8 multicast
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    (first & 0xffc0) === 0xfec0 ||
    (first & 0xff00) === 0xff00
  );
};

/** Checks a webhook URL's form (at creation): scheme, no credentials, a host. */
export const checkWebhookUrl = (raw: string, policy: OutboundPolicy): URL => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION', 'url must be an absolute URL');
  }
  if (url.username || url.password) throw new AppError('VALIDATION', 'url must not carry credentials');
  if (url.protocol === 'http:') {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const loopbackName = host === 'localhost' || (isIP(host) !== 0 && isLoopback(host));
    if (!(policy.allowHttpLoopback && loopbackName))
      throw new AppError(
        'VALIDATION',
        'url must use https (http is allowed only to loopback in development)',
      );
  } else if (url.protocol !== 'https:') {
    throw new AppError('VALIDATION', 'url must use https');
  }
  return url;
};

/** Resolves the host and returns the address to connect to, refusing forbidden ranges. */
export const resolveTarget = async (
  url: URL,
  policy: OutboundPolicy,
): Promise<{ address: string; family: number }> => {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`cannot resolve ${host}`);
  for (const a of addresses) {
    const allowed =
      policy.allowPrivate ||
      (policy.allowHttpLoopback && isLoopback(a.address)) ||
      !isPrivateAddress(a.address);
    if (!allowed)
      throw new Error(`refused: ${host} resolves to a private or reserved address (${a.address})`);
  }
  return addresses[0]!;
};
