// createCcxClient: the fully typed tRPC client of the hub (types come from the server's router), with
// token handling, safe retries, idempotency keys added to every write, typed errors and live events.
import { randomUUID } from 'node:crypto';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { EventSource } from 'eventsource';
import type { AppRouter } from './router.js';
import { CcxError } from './errors.js';
import { createAuthedFetch } from './fetch.js';
import { KEYED_WRITES } from './keyed-writes.js';
import { retryLink, type RetryOptions } from './retry.js';
import { DEFAULT_TIMEOUT_MS } from './timeout.js';
import { TokenSource } from './tokens.js';

export type CcxClientOptions = {
  /** The hub's address, e.g. https://ccx.example.gov.uk (no trailing /trpc). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  retry?: RetryOptions;
  /** Most calls in one HTTP batch (the hub refuses more than its CCX_MAX_BATCH_SIZE, 50 by default). */
  maxBatchSize?: number;
  fetch?: typeof fetch;
  /**
   * Give up on a request the hub has not answered in full within this many ms (default 30 000; 0: never):
   * a CcxError with code TIMEOUT. Covers the token request too; each attempt of a retried call has its
   * own. Live subscriptions are not cut by it.
   */
  timeoutMs?: number;
};

/**
 * Adds an idempotency key to every keyed write that has none, so the SDK's retries never make a second
 * record. Writes the hub does not key (clients.create, webhooks.rotateSecret …) are never retried.
 */
const idempotencyLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) => {
    if (
      op.type === 'mutation' &&
      KEYED_WRITES.has(op.path) &&
      op.input !== null &&
      typeof op.input === 'object' &&
      !Array.isArray(op.input)
    ) {
      const input = op.input as Record<string, unknown>;
      if (input.idempotencyKey === undefined)
        return next({ ...op, input: { ...input, idempotencyKey: randomUUID() } });
    }
    return next(op);
  };

/** Turns every error into a CcxError. */
const errorLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next: (value) => observer.next(value),
        error: (err) =>
          observer.error(
            err instanceof CcxError
              ? err
              : new CcxError(err instanceof TRPCClientError ? err : TRPCClientError.from(err as Error)),
          ),
        complete: () => observer.complete(),
      }),
    );

/** The typed client of every procedure (`ccx.checks.placement.query(…)`), plus the access token. */
export type CcxClient = TRPCClient<AppRouter> & {
  /** The cached access token, fetched if needed — for calls outside the typed client. */
  accessToken(): Promise<string>;
};

export const createCcxClient = (opts: CcxClientOptions): CcxClient => {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokens = new TokenSource({
    baseUrl,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    timeoutMs,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const authedFetch = createAuthedFetch(tokens, opts.fetch, timeoutMs);
  const url = `${baseUrl}/trpc`;
  const client = createTRPCClient<AppRouter>({
    links: [
      errorLink,
      idempotencyLink,
      retryLink(opts.retry),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          // The token travels as a connection parameter (EventSource cannot always send headers).
          connectionParams: async () => ({ token: await tokens.get() }),
        }),
        // Large inputs (a 500-item placement check) go as POST rather than in the URL.
        false: httpBatchLink({
          url,
          fetch: authedFetch,
          maxItems: opts.maxBatchSize ?? 20,
          maxURLLength: 4000,
          methodOverride: 'POST',
        }),
      }),
    ],
  });
  // The typed client is a proxy that reads every property as a procedure path, so the SDK's own
  // members are answered by a proxy in front of it.
  const own = { accessToken: () => tokens.get() };
  return new Proxy(client, {
    get: (target, prop, receiver) =>
      prop === 'accessToken' ? own.accessToken : (Reflect.get(target, prop, receiver) as unknown),
  }) as CcxClient;
};
