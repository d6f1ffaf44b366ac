// The SDK's fetch: adds the bearer token, and after a 401 fetches a new token and tries once more
// (a refused request did nothing, so repeating it is safe). Each request, the token request included,
// is abandoned after timeoutMs (timeout.ts), and the caller's signal stops the wait for a token too.
import { fetchWithTimeout } from './timeout.js';
import type { TokenSource } from './tokens.js';

export const createAuthedFetch = (
  tokens: TokenSource,
  baseFetch: typeof fetch = fetch,
  timeoutMs = 0,
): typeof fetch => {
  const timed = fetchWithTimeout(baseFetch, timeoutMs);
  return async (input: string | URL | Request, init: RequestInit = {}) => {
    for (let refreshed = false; ; refreshed = true) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${await tokens.get(init.signal)}`);
      const res = await timed(input, { ...init, headers });
      if (res.status !== 401 || refreshed) return res;
      await res.body?.cancel().catch(() => undefined);
      tokens.invalidate();
    }
  };
};
