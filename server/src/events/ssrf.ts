// Outbound safety for webhooks: https only (http to loopback when the operator allows it for
// development), and never an address in a private, loopback, link-local or metadata range unless the
// operator allowed it. The address checked is the address connected to (no DNS rebinding between).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '../errors.js';

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

/** True for addresses a webhook must not reach by default: private, loopback, link-local (incl. cloud metadata), reserved. */
export const isPrivateAddress = (ip: string): boolean => {
  if (isIP(ip) === 4) return BLOCKED_V4.some((c) => inV4(ip, c));
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  return (
    lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower)
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
