// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
// "<msg id>.<timestamp>.<body>" with the secret's bytes, sent as "v1,<base64>"; during a secret
// rotation both the new and the old secret sign, space-separated.
import { createHmac, randomBytes } from 'node:crypto';

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const secretBytes = (secret: string): Buffer =>
  Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');

export const signPayload = (secret: string, msgId: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', secretBytes(secret)).update(`${msgId}.${timestamp}.${body}`).digest('base64')}`;

/** The three headers of one delivery attempt. */
export const webhookHeaders = (
  secrets: string[],
  msgId: string,
  timestamp: number,
  body: string,
): Record<string, string> => ({
  'webhook-id': msgId,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': secrets.map((s) => signPayload(s, msgId, timestamp, body)).join(' '),
});
