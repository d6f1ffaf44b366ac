// Request timeouts: every HTTP request of the SDK, the token request included, is abandoned when the hub
// has not answered in full within timeoutMs, so a hub that accepts a connection and never answers cannot
// hang the caller. Live event streams do not go through here: they stay open as long as they are wanted.

/** The default of `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** "30 s", "1.5 s", "250 ms": a duration as the messages say it. */
export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;

/** The hub did not answer one request within the time allowed (a CcxError with code TIMEOUT). */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`the hub did not answer within ${formatDuration(timeoutMs)}`);
  }
}

/**
 * A fetch that gives up after `timeoutMs` (0 or Infinity: never), composed with the caller's own signal.
 * The body is read here, inside the time allowed, so a hub that sends headers and then stalls is caught
 * too; the caller gets a complete Response.
 */
export const fetchWithTimeout =
  (base: typeof fetch, timeoutMs: number): typeof fetch =>
  async (input: string | URL | Request, init: RequestInit = {}) => {
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return base(input, init);
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    try {
      const res = await base(input, { ...init, signal });
      // A 204 or 304 must have no body; everything else is read in full now.
      const body = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
      // The caller's own abort stays theirs; only our timer becomes a timeout.
      if (timer.aborted && !init.signal?.aborted) throw new RequestTimeoutError(timeoutMs);
      throw err;
    }
  };
