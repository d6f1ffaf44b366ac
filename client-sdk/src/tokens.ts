// Access tokens for the SDK: fetched with the client-credentials grant, cached, refreshed before they
// expire, one request at a time however many calls need one.
export type TokenSourceOptions = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Refresh this many seconds before expiry (default 60, or a fifth of the lifetime if shorter). */
  refreshLeewaySeconds?: number;
};

export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    message: string,
    readonly status: number,
    readonly oauthError?: string,
  ) {
    super(message);
  }
}

export class TokenSource {
  private token: string | null = null;
  private refreshAt = 0;
  private inflight: Promise<string> | null = null;

  constructor(private readonly opts: TokenSourceOptions) {}

  /** A valid access token, fetching a new one when none is cached or it is about to expire. */
  async get(): Promise<string> {
    if (this.token && Date.now() < this.refreshAt) return this.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets the cached token (after a 401), so the next call fetches a new one. */
  invalidate(): void {
    this.token = null;
    this.refreshAt = 0;
  }

  private async fetchToken(): Promise<string> {
    const doFetch = this.opts.fetch ?? fetch;
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
      );
    }
    const lifetime = body.expires_in ?? 300;
    const leeway = Math.min(this.opts.refreshLeewaySeconds ?? 60, lifetime / 5);
    this.token = body.access_token;
    this.refreshAt = Date.now() + (lifetime - leeway) * 1000;
    return this.token;
  }
}
