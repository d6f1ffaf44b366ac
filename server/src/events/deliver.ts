// One delivery attempt: POST the stored body with Standard Webhooks headers to the pinned, checked
// address, with a timeout and no redirects; then record delivered, retry later (backoff with
// jitter), or dead after the last attempt.
import http from 'node:http';
import https from 'node:https';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { webhookDeliveries, type webhooks } from '../db/schema/index.js';
import { webhookHeaders } from './signing.js';
import { resolveTarget } from './ssrf.js';

type WebhookRow = typeof webhooks.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Exponential backoff with jitter: base × 2^(attempt−1), ±50%, at most an hour. */
export const backoffMs = (attempt: number, baseMs: number): number => {
  const raw = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(raw * (0.5 + Math.random()));
};

const post = (
  url: URL,
  address: { address: string; family: number },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
) =>
  new Promise<number>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ccx-webhooks/1',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        // Connect to the address that was checked, whatever DNS says a moment later.
        lookup: (_host, _opts, cb) => cb(null, address.address, address.family),
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });

export const attemptDelivery = async (
  db: Db,
  config: Config,
  hook: WebhookRow,
  delivery: DeliveryRow,
  now: Date,
  opts: { finalOnFailure?: boolean } = {},
): Promise<DeliveryRow> => {
  const secrets = [hook.secret];
  if (hook.previousSecret && hook.previousSecretUntil && hook.previousSecretUntil.getTime() > now.getTime())
    secrets.push(hook.previousSecret);
  const attempts = delivery.attempts + 1;
  let status = 0;
  let error: string | null = null;
  try {
    const url = new URL(hook.url);
    const target = await resolveTarget(url, config.webhooks);
    const timestamp = Math.floor(Date.now() / 1000);
    status = await post(
      url,
      target,
      webhookHeaders(secrets, delivery.messageId, timestamp, delivery.body),
      delivery.body,
      config.webhooks.timeoutSeconds * 1000,
    );
    // Redirects are not followed: a 3xx is a failed delivery.
    if (status < 200 || status >= 300) error = `answered ${status}`;
  } catch (err) {
    error = err instanceof Error ? err.message.slice(0, 500) : 'delivery failed';
  }
  const delivered = error === null;
  const dead = !delivered && (opts.finalOnFailure || attempts >= config.webhooks.maxAttempts);
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      attempts,
      status: delivered ? 'delivered' : dead ? (opts.finalOnFailure ? 'failed' : 'dead') : 'pending',
      lastStatusCode: status || null,
      lastError: error,
      deliveredAt: delivered ? new Date() : null,
      nextAttemptAt:
        delivered || dead ? null : new Date(Date.now() + backoffMs(attempts, config.webhooks.retryBaseMs)),
      leasedUntil: null,
    })
    .where(eq(webhookDeliveries.id, delivery.id))
    .returning();
  return row!;
};
