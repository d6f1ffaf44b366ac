// The SDK's fetch: adds the bearer token, and after a 401 fetches a new token and tries once more
// (a refused request did nothing, so repeating it is safe).
import type { TokenSource } from './tokens.js';

export const createAuthedFetch =
  (tokens: TokenSource, baseFetch: typeof fetch = fetch): typeof fetch =>
  async (input: string | URL | Request, init: RequestInit = {}) => {
    for (let refreshed = false; ; refreshed = true) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await tokens.get()}`);
      const res = await baseFetch(input, { ...init, headers });
      if (res.status !== 401 || refreshed) return res;
      await res.body?.cancel().catch(() => undefined);
      tokens.invalidate();
    }
  };
