// The SDK's request timeout: a hub that accepts a connection and never answers (or stalls halfway
// through an answer) is a CcxError TIMEOUT after timeoutMs — for the token request and the call alike —
// not retried, composed with the caller's own signal, and never cutting a live
// subscription.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, expect } from 'vitest';
import { CcxError, createCcxClient, type CcxClientOptions } from '@ccx/client';
import { startJobs } from '@ccx/server/testing';
import { httpTest, silentPort } from '../support/http.js';

/** The hub's background jobs (the event sequencer among them), running fast for the whole file. */
const test = httpTest.extend('jobs', { scope: 'file', auto: true }, ({ h }, { onCleanup }) => {
  const jobs = startJobs(h.hub, { fastMs: 25 });
  onCleanup(() => jobs.stop());
  return jobs;
});

type Fake = { url: string; close(): Promise<void> };

/** An HTTP server that issues tokens at once and hands every other request to `handle`. */
const fakeHub = async (
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<Fake> => {
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'token', token_type: 'Bearer', expires_in: 300 }));
      } else handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const client = (url: string, opts: Partial<CcxClientOptions> = {}) =>
  createCcxClient({
    baseUrl: url,
    clientId: 'ccx_timeout',
    clientSecret: 'ccxs_timeout',
    retry: { baseDelayMs: 10 },
    ...opts,
  });

const failure = async (p: Promise<unknown>): Promise<{ err: CcxError; ms: number }> => {
  const started = performance.now();
  const err = await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CcxError);
  return { err: err as CcxError, ms: performance.now() - started };
};

describe('a hub that never answers', () => {
  test('the token request times out: TIMEOUT, with the time in the message, and is not retried', async () => {
    const port = await silentPort();
    try {
      const { err, ms } = await failure(client(port.url, { timeoutMs: 300 }).authorities.me.query());
      expect([err.code, err.httpStatus]).toEqual(['TIMEOUT', 0]);
      expect(err.message).toBe('the hub did not answer within 300 ms');
      // One attempt: the time allowed is the time the caller waits.
      expect(port.connections()).toBe(1);
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThan(1000);
    } finally {
      await port.close();
    }
  });

  test('a timed-out call is not retried, whether a query, a keyed write or an unkeyed one', async () => {
    const seen: { path: string; body: string }[] = [];
    const hub = await fakeHub((req, _res, body) => seen.push({ path: req.url ?? '', body }));
    try {
      const ccx = client(hub.url, { timeoutMs: 250 });
      const query = await failure(ccx.authorities.me.query());
      expect(query.err.code).toBe('TIMEOUT');
      expect(query.err.message).toBe('the hub did not answer within 250 ms');
      expect(seen.filter((s) => s.path.includes('authorities.me'))).toHaveLength(1);

      // The write carried a key, so the caller may safely send it again with the same key.
      const keyed = await failure(ccx.providers.create.mutate({ name: 'Slow Care Ltd' }));
      expect(keyed.err.code).toBe('TIMEOUT');
      const writes = seen.filter((s) => s.path.includes('providers.create'));
      expect(writes).toHaveLength(1);
      const key = (JSON.parse(writes[0]!.body) as { 0: { idempotencyKey: string } })[0].idempotencyKey;
      expect(key).toMatch(/^[0-9a-f-]{36}$/);

      const unkeyed = await failure(ccx.clients.create.mutate({ name: 'Lost tool', role: 'viewer' }));
      expect(unkeyed.err.code).toBe('TIMEOUT');
      expect(seen.filter((s) => s.path.includes('clients.create'))).toHaveLength(1);
    } finally {
      await hub.close();
    }
  });

  test('an answer that stalls after its headers times out too', async () => {
    const hub = await fakeHub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[{"result":');
    });
    try {
      const { err } = await failure(client(hub.url, { timeoutMs: 250 }).authorities.me.query());
      expect(err.code).toBe('TIMEOUT');
    } finally {
      await hub.close();
    }
  });

  test('defaults to 30 s; the caller’s own signal still stops a call sooner, as an abort, not a timeout', async () => {
    const port = await silentPort();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const { err, ms } = await failure(
        client(port.url).authorities.me.query(undefined, { signal: controller.signal }),
      );
      expect(err.code).not.toBe('TIMEOUT');
      expect(ms).toBeLessThan(2000);
    } finally {
      await port.close();
    }
  });

  test('timeoutMs: 0 waits for ever (stopped here by the caller’s signal after a second)', async () => {
    const port = await silentPort();
    try {
      const { err, ms } = await failure(
        client(port.url, { timeoutMs: 0 }).authorities.me.query(undefined, {
          signal: AbortSignal.timeout(1000),
        }),
      );
      expect(err.code).not.toBe('TIMEOUT');
      expect(ms).toBeGreaterThanOrEqual(950);
    } finally {
      await port.close();
    }
  });
});

describe('a live subscription', () => {
  test('is not cut by the timeout: an event long after it is still received', async ({ h }) => {
    const authority = await h.makeAuthority({ id: 'timeout-council' });
    const made = await h.makeClient(authority.id, 'officer');
    const ccx = client(h.baseUrl, {
      clientId: made.client.id,
      clientSecret: made.clientSecret,
      timeoutMs: 300,
    });
    const received: string[] = [];
    const errors: unknown[] = [];
    const sub = ccx.events.subscribe.subscribe(
      { lastEventId: '0' },
      { onData: (e) => received.push(e.data.type), onError: (e) => errors.push(e) },
    );
    try {
      // Well past the timeout with nothing to say, then an event.
      await new Promise((r) => setTimeout(r, 1200));
      const p = await h.makeProvision({ hostAuthorityId: authority.id });
      await h
        .caller(h.hubAdmin)
        .allocations.assign({ provisionId: p.id, authorityId: authority.id, rationale: 'timeout test' });
      for (let i = 0; i < 100 && !received.includes('allocation.changed'); i++)
        await new Promise((r) => setTimeout(r, 50));
    } finally {
      sub.unsubscribe();
    }
    expect(errors).toEqual([]);
    expect(received).toContain('allocation.changed');
    // Ordinary calls still work within it.
    expect((await ccx.authorities.me.query()).authority.id).toBe('timeout-council');
  });
});
