// Safe retries: network errors, 429 (honouring Retry-After) and 503 are retried with backoff and
// jitter — but only for calls that are safe to repeat: queries, and the writes the hub keys (see
// keyed-writes.ts) carrying an idempotency key (the SDK adds one), so a retry never makes a second record.
// A timed-out call is not retried: timeoutMs is what the caller allowed for the call, and a hub that
// has not answered in that time is down or overloaded, which asking again does not help.
import type { TRPCClientError, TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { KEYED_WRITES } from './keyed-writes.js';
import type { AppRouter } from './router.js';
import { RequestTimeoutError } from './timeout.js';
import { parseRetryAfter, TokenError } from './tokens.js';

export type RetryOptions = {
  /** Most attempts in all, the first included (default 4). */
  attempts?: number;
  /** First backoff in ms, doubled each time, with jitter (default 250). */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 30 s). */
  maxDelayMs?: number;
};

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const retryAfterMs = (response: unknown): number | undefined => {
  const seconds = parseRetryAfter(response instanceof Response ? response.headers.get('retry-after') : null);
  return seconds === undefined ? undefined : seconds * 1000;
};

export const retryLink = (opts: RetryOptions = {}): TRPCLink<AppRouter> => {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 30_000;
  /** The wait before the next attempt, or null when the error is final. */
  const delayFor = (repeatable: boolean, err: TRPCClientError<AppRouter>, attempt: number): number | null => {
    if (!repeatable || attempt >= attempts) return null;
    const backoff = base * 2 ** (attempt - 1) * (0.5 + Math.random());
    // Refused credentials are final, and so is a locked client id (asking again does not unlock it);
    // a token endpoint that is busy or down is not.
    if (err.cause instanceof TokenError) {
      if (err.cause.locked || !RETRYABLE_STATUS.has(err.cause.status)) return null;
      const after = err.cause.retryAfterSeconds;
      if (after !== undefined && after * 1000 > max) return null;
      return Math.min(max, after !== undefined ? after * 1000 : backoff);
    }
    if (err.cause instanceof RequestTimeoutError) return null;
    const response = err.meta?.response;
    const status = err.data?.httpStatus ?? (response instanceof Response ? response.status : undefined);
    // No answer at all (a network error) or a retryable status.
    if (status !== undefined && !RETRYABLE_STATUS.has(status)) return null;
    if (status === undefined && !err.cause) return null;
    const after = retryAfterMs(response);
    // Asked to wait longer than we would: give up now, and the error says when to try again.
    if (after !== undefined && after > max) return null;
    return Math.min(max, after ?? backoff);
  };
  return () =>
    ({ op, next }) => {
      if (op.type === 'subscription') return next(op);
      const input = op.input as { idempotencyKey?: unknown } | undefined;
      // A write is safe to repeat only where the hub honours its key: the same key, the first answer.
      const repeatable =
        op.type === 'query' || (KEYED_WRITES.has(op.path) && typeof input?.idempotencyKey === 'string');
      return observable((observer) => {
        let attempt = 0;
        let timer: ReturnType<typeof setTimeout> | undefined;
        let current: { unsubscribe(): void } | undefined;
        const run = () => {
          attempt++;
          current = next(op).subscribe({
            next: (value) => observer.next(value),
            error: (err) => {
              const wait = delayFor(repeatable, err, attempt);
              if (wait === null) observer.error(err);
              else timer = setTimeout(run, wait);
            },
            complete: () => observer.complete(),
          });
        };
        run();
        return () => {
          clearTimeout(timer);
          current?.unsubscribe();
        };
      });
    };
};
