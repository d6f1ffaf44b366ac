// A browser's side of the hub's sign-in, without a browser: a cookie jar, and tRPC calls made as the
// hub's own pages make them (Origin and the x-ccx-csrf header on every call that changes state).
import { readAnswer, type HttpAnswer } from './http.js';

export type CookieSeen = { name: string; value: string; attributes: string[] };

/** Parses a Set-Cookie header into its name, value and attributes (lower-cased). */
export const parseSetCookie = (header: string): CookieSeen => {
  const [pair = '', ...attributes] = header.split(';').map((p) => p.trim());
  const eq = pair.indexOf('=');
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    attributes: attributes.map((a) => a.toLowerCase()),
  };
};

export type Browser = ReturnType<typeof browserFor>;

export const browserFor = (baseUrl: string, opts: { origin?: string | null; csrf?: boolean } = {}) => {
  const jar = new Map<string, string>();
  const seen: CookieSeen[] = [];
  const origin = opts.origin === undefined ? new URL(baseUrl).origin : opts.origin;

  const remember = (res: Response): void => {
    for (const header of res.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      seen.push(cookie);
      const expired = cookie.attributes.some(
        (a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'),
      );
      if (expired || cookie.value === '') jar.delete(cookie.name);
      else jar.set(cookie.name, cookie.value);
    }
  };

  const cookieHeader = (): Record<string, string> =>
    jar.size === 0 ? {} : { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };

  /** A raw request to the hub with the jar's cookies; remembers what it sets. */
  const request = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      redirect: 'manual',
      ...init,
      headers: { ...cookieHeader(), ...init.headers },
    });
    remember(res);
    return res;
  };

  const pageHeaders = (): Record<string, string> => ({
    ...(origin ? { origin } : {}),
    ...(opts.csrf === false ? {} : { 'x-ccx-csrf': '1' }),
  });

  /** A tRPC mutation, as the hub's pages send it. */
  const mutate = async (
    procedure: string,
    input?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> =>
    readAnswer(
      await request(`/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...pageHeaders(), ...headers },
        body: JSON.stringify(input ?? {}),
      }),
    );

  /** A tRPC query (GET). */
  const query = async (procedure: string, input?: unknown): Promise<HttpAnswer> =>
    readAnswer(
      await request(
        `/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
      ),
    );

  return {
    jar,
    seen,
    request,
    mutate,
    query,
    /** The data of a successful tRPC answer; fails loudly otherwise. */
    data: <T>(answer: HttpAnswer): T => {
      if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.text}`);
      return (answer.body as { result: { data: T } }).result.data;
    },
  };
};

/** The message of a tRPC error answer. */
export const errorMessage = (answer: HttpAnswer): string =>
  (answer.body as { error?: { message?: string } }).error?.message ?? answer.text;
