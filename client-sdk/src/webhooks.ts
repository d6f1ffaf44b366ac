// Verifying the hub's webhooks (Standard Webhooks): HMAC-SHA256 over "<id>.<timestamp>.<raw body>"
// with the secret's bytes, constant-time, within a tolerance of the timestamp to refuse replays.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

export type VerifiedWebhook<T = unknown> = { id: string; timestamp: number; type: string; data: T };

const header = (
  headers: Record<string, string | string[] | undefined> | Headers,
  name: string,
): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Verifies one delivery; returns its parsed body or throws WebhookVerificationError. Pass the raw body, unparsed. */
export const verifyWebhook = <T = unknown>(
  secret: string,
  rawBody: string | Buffer,
  headers: Record<string, string | string[] | undefined> | Headers,
  opts: { toleranceSeconds?: number; now?: Date } = {},
): VerifiedWebhook<T> => {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures)
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature');
  const timestamp = Number(ts);
  if (!Number.isInteger(timestamp)) throw new WebhookVerificationError('bad webhook-timestamp');
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300))
    throw new WebhookVerificationError('timestamp outside the tolerance (replayed or clock skew)');
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const ok = signatures.split(' ').some((s) => {
    const [version, sig] = s.split(',', 2);
    if (version !== 'v1' || !sig) return false;
    const given = Buffer.from(sig, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw new WebhookVerificationError('no signature matches');
  let parsed: { type: string; data: T };
  try {
    parsed = JSON.parse(body) as { type: string; data: T };
  } catch {
    throw new WebhookVerificationError('the signed body is not JSON');
  }
  return { id, timestamp, type: parsed.type, data: parsed.data };
};
