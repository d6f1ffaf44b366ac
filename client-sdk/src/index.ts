// @ccx/client — the typed SDK of the Children's Commissioning Exchange.
export { createCcxClient, type CcxClient, type CcxClientOptions } from './client.js';
export { CcxError, isCcxError, type FieldIssue } from './errors.js';
export { TokenError, TokenSource } from './tokens.js';
export { RequestTimeoutError } from './timeout.js';
export type { RetryOptions } from './retry.js';
export { eventsSince, items, pages, type PageResult } from './pagination.js';
export { verifyWebhook, WebhookVerificationError, type VerifiedWebhook } from './webhooks.js';
export type { AppRouter, RouterInputs, RouterOutputs } from './router.js';
