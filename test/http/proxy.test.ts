// Behind a reverse proxy (docs/deploy/nginx.conf): the hub takes the caller's address from
// X-Forwarded-For only when told to trust the proxy (CCX_TRUST_PROXY), and logs it with each request.
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '@ccx/server';
import { createLogger } from '@ccx/server/testing';
import { createHarness } from '../support/harness.js';
import { serve } from '../support/http.js';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
});

/** The `ip` of the request log line of one GET /healthz that claims to come from 203.0.113.9. */
const loggedAddress = async (env: Record<string, string>): Promise<unknown> => {
  const h = await createHarness(env);
  opened.push(h);
  const lines: Record<string, unknown>[] = [];
  h.hub.log = createLogger('info', {
    write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const server = await serve(createApp(h.hub));
  opened.push(server);
  const res = await fetch(`${server.baseUrl}/healthz`, {
    headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' },
  });
  expect(res.status).toBe(200);
  // The line is written when the answer finishes, which may be just after the client has it.
  await expect.poll(() => lines.some((l) => l.msg === 'request')).toBe(true);
  return lines.find((l) => l.msg === 'request')?.ip;
};

describe('the caller address in the request log', () => {
  test('is the forwarded one behind a trusted proxy', async () => {
    expect(await loggedAddress({ CCX_TRUST_PROXY: 'true' })).toBe('203.0.113.9');
  });

  test('is the connecting one otherwise: a forged X-Forwarded-For is ignored', async () => {
    expect(await loggedAddress({})).toBe('127.0.0.1');
  });
});
