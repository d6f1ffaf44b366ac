// An HTTP test world: the harness's hub served by the real express app on an ephemeral port, with
// helpers for the token endpoint, raw tRPC requests and a real tRPC client; `httpTest` gives a test
// file that world as its `h`.
import type { Server } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Role } from '@ccx/schema';
import { createApp, type AppRouter } from '@ccx/server';
import { createHarness, test } from './harness.js';

export type HttpHarness = Awaited<ReturnType<typeof startHttpHarness>>;

/** A parsed HTTP answer: the status, the headers and the body (JSON when it parses, else text). */
export type HttpAnswer = { status: number; headers: Headers; body: unknown; text: string };

export type TokenResponse = { access_token: string; token_type: string; expires_in: number };
export type OAuthError = { error: string; error_description: string };

/** The express app of `createApp`, or anything else with express's `listen`. */
type Listenable = { listen(port: number, host: string, cb: (err?: Error) => void): Server };

/** Serves an app on 127.0.0.1 and an ephemeral (or the given) port; `close` also drops keep-alive connections. */
export const serve = async (
  app: Listenable,
  port = 0,
): Promise<{ baseUrl: string; close(): Promise<void> }> => {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
};

/** A port free at this moment, for a hub whose issuer must name its own address before it listens. */
export const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/** A port that accepts every connection and never says a word; counts the connections. */
export const silentPort = async (): Promise<{
  url: string;
  connections: () => number;
  close(): Promise<void>;
}> => {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};

export const readAnswer = async (res: Response): Promise<HttpAnswer> => {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body, text };
};

/** `Authorization: Basic` as RFC 6749 §2.3.1 has it: each part form-urlencoded, then base64. */
export const basicAuth = (id: string, secret: string): string => {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')}`;
};

export type TokenRequest = {
  /** Form parameters (an object, or a raw body string sent as is). */
  form?: Record<string, string> | string;
  /** Sends the client credentials with HTTP Basic. */
  basic?: { id: string; secret: string };
  headers?: Record<string, string>;
  method?: string;
};

export const startHttpHarness = async (
  env: Record<string, string> = {},
  opts: { clockAt?: Date | string | null } = {},
) => {
  // The hub's issuer is its real address, as in production: the Origin check of a session's calls
  // and single sign-on's redirect URI both name it.
  const port = await freePort();
  const h = await createHarness({ CCX_ISSUER: `http://127.0.0.1:${port}`, ...env }, opts);
  const server = await serve(createApp(h.hub), port);
  const { baseUrl } = server;

  /** Any request to POST /oauth/token (or another method), answered raw. */
  const requestToken = async (req: TokenRequest = {}): Promise<HttpAnswer> => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.basic) headers.authorization = basicAuth(req.basic.id, req.basic.secret);
    let body: string | undefined;
    if (req.form !== undefined) {
      body = typeof req.form === 'string' ? req.form : new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${baseUrl}/oauth/token`, { method: req.method ?? 'POST', headers, body });
    return readAnswer(res);
  };

  /** A token for a client, by form parameters; fails the test when the endpoint refuses. */
  const getToken = async (clientId: string, clientSecret: string): Promise<string> => {
    const answer = await requestToken({
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    });
    if (answer.status !== 200) throw new Error(`token endpoint answered ${answer.status}: ${answer.text}`);
    return (answer.body as TokenResponse).access_token;
  };

  /** A raw GET of a tRPC query, with whatever Authorization header is given. */
  const trpcGet = async (procedure: string, authorization?: string, input?: unknown): Promise<HttpAnswer> => {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetch(`${baseUrl}/trpc/${procedure}${query}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return readAnswer(res);
  };

  /** A real tRPC client over HTTP, sending the given bearer token. */
  const trpc = (token?: string) =>
    createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${baseUrl}/trpc`,
          headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        }),
      ],
    });

  /** A new client of an authority, with its secret and a token issued by the token endpoint. */
  const makeClientWithToken = async (authorityId: string, role: Role, name?: string) => {
    const created = await h.makeClient(authorityId, role, name);
    const token = await getToken(created.client.id, created.clientSecret);
    return { ...created, token };
  };

  return {
    ...h,
    baseUrl,
    requestToken,
    getToken,
    trpcGet,
    trpc,
    makeClientWithToken,
    close: async () => {
      await server.close();
      await h.close();
    },
  };
};

/** The fixtures of `test` (harness.ts), with the file's hub served over HTTP as `h`. */
export const httpTest = test.extend('h', { scope: 'file' }, async ({ hubEnv, clockAt }, { onCleanup }) => {
  const h = await startHttpHarness(hubEnv, { clockAt });
  onCleanup(() => h.close());
  return h;
});
