// Access tokens for the SDK: fetched with the client-credentials grant, cached, refreshed before they
// expire, one request at a time however many calls need one.
import { DEFAULT_TIMEOUT_MS, fetchWithTimeout } from './timeout.js';

export type TokenSourceOptions = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Refresh this many seconds before expiry (default 60, or a fifth of the lifetime if shorter). */
  refreshLeewaySeconds?: number;
  /** Give up on a token request the hub has not answered within this many ms (default 30 000; 0: never). */
  timeoutMs?: number;
};

/** Seconds from a Retry-After header (seconds, or an HTTP date); undefined when absent or unreadable. */
export const parseRetryAfter = (header: string | null | undefined, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
};

/** The hub refused a token request: its HTTP status, OAuth error code and, for a 429, when to try again. */
export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    message: string,
    readonly status: number,
    readonly oauthError?: string,
    /** From the answer's Retry-After header: seconds to wait before asking again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /**
   * The client id is locked after too many failed attempts (429 invalid_client): no secret, not even the
   * right one, is accepted until retryAfterSeconds have passed. Retrying sooner does not help.
   */
  get locked(): boolean {
    return this.status === 429 && this.oauthError === 'invalid_client';
  }
}

export class TokenSource {
  private token: string | null = null;
  private refreshAt = 0;
  private inflight: Promise<string> | null = null;

  constructor(private readonly opts: TokenSourceOptions) {}

  /**
   * A valid access token, fetching a new one when none is cached or it is about to expire. A `signal`
   * stops this caller's wait (the request itself, shared with other callers, carries on).
   */
  async get(signal?: AbortSignal | null): Promise<string> {
    if (this.token && Date.now() < this.refreshAt) return this.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    const pending = this.inflight;
    if (!signal) return pending;
    signal.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Forgets the cached token (after a 401), so the next call fetches a new one. */
  invalidate(): void {
    this.token = null;
    this.refreshAt = 0;
  }

  private async fetchToken(): Promise<string> {
    const doFetch = fetchWithTimeout(this.opts.fetch ?? fetch, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const basic = Buffer.from(
      `${encodeURIComponent(this.opts.clientId)}:${encodeURIComponent(this.opts.clientSecret)}`,
    ).toString('base64');
    const res = await doFetch(`${this.opts.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      body: 'grant_type=client_credentials',
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      throw new TokenError(
        `could not get an access token: ${body.error_description ?? body.error ?? `HTTP ${res.status}`}`,
        res.status,
        body.error,
        parseRetryAfter(res.headers.get('retry-after')),
      );
    }
    const lifetime = body.expires_in ?? 300;
    const leeway = Math.min(this.opts.refreshLeewaySeconds ?? 60, lifetime / 5);
    this.token = body.access_token;
    this.refreshAt = Date.now() + (lifetime - leeway) * 1000;
    return this.token;
  }
}
