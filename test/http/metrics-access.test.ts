// Who may read /metrics: a scraper with the token (CCX_METRICS_TOKEN), anyone who reaches the metrics
// port (CCX_METRICS_PORT) and, with neither configured, nobody on the API port.
import { afterAll, describe, expect, test } from 'vitest';
import { createApp, startHub } from '@ccx/server';
import { createHarness, METRICS_TOKEN, type Harness } from '../support/harness.js';
import { serve } from '../support/http.js';

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.reverse()) await o.close();
});

/** A hub of its own with this metrics configuration, served on an ephemeral port. */
const hubWith = async (env: Record<string, string>): Promise<{ h: Harness; baseUrl: string }> => {
  const h = await createHarness(env);
  opened.push(h);
  const server = await serve(createApp(h.hub));
  opened.push(server);
  return { h, baseUrl: server.baseUrl };
};

describe('/metrics on the API port with CCX_METRICS_TOKEN', () => {
  test('answers the Prometheus text only to a request bearing the token', async () => {
    const { baseUrl } = await hubWith({});
    const none = await fetch(`${baseUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="ccx-metrics"');
    expect(await none.text()).not.toMatch(/ccx_/);

    for (const wrong of [`${METRICS_TOKEN}x`, METRICS_TOKEN.slice(1), 'short']) {
      const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${wrong}` } });
      expect(res.status).toBe(401);
    }
    // An API access token is not the metrics token either.
    const basic = await fetch(`${baseUrl}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);

    const ok = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^ccx_http_requests_in_flight /m);
  });
});

describe('/metrics with neither a token nor a port', () => {
  test('is off on the API port, and the answer says how to turn it on', async () => {
    const { baseUrl } = await hubWith({ CCX_METRICS_TOKEN: '' });
    const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/CCX_METRICS_TOKEN/);
    expect(body.message).toMatch(/CCX_METRICS_PORT/);
  });
});

describe('/metrics on its own port (CCX_METRICS_PORT)', () => {
  test('is served there, and no longer on the API port', async () => {
    const h = await createHarness({ CCX_METRICS_TOKEN: '', CCX_METRICS_PORT: '0', PORT: '0' });
    const running = await startHub(h.hub.config, { hub: h.hub });
    opened.push({ close: () => running.stop() });
    expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.metricsUrl).not.toBe(running.url);

    const there = await fetch(`${running.metricsUrl}/metrics`);
    expect(there.status).toBe(200);
    expect(await there.text()).toMatch(/^ccx_http_requests_in_flight /m);
    expect((await fetch(`${running.metricsUrl}/healthz`)).status).toBe(200);
    // The metrics port serves nothing of the API.
    expect((await fetch(`${running.metricsUrl}/trpc/system.ping`)).status).toBe(404);

    const onApi = await fetch(`${running.url}/metrics`);
    expect(onApi.status).toBe(404);
    expect(await onApi.text()).not.toMatch(/ccx_/);
  });

  test('keeps asking for the token there when one is set too', async () => {
    const h = await createHarness({ CCX_METRICS_PORT: '0', PORT: '0' });
    const running = await startHub(h.hub.config, { hub: h.hub });
    opened.push({ close: () => running.stop() });
    expect((await fetch(`${running.metricsUrl}/metrics`)).status).toBe(401);
    const ok = await fetch(`${running.metricsUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(ok.status).toBe(200);
  });
});

describe('the metrics configuration', () => {
  test('refuses a token too short to be secret, naming the variable', async () => {
    await expect(createHarness({ CCX_METRICS_TOKEN: 'secret' })).rejects.toThrow(
      /CCX_METRICS_TOKEN.*at least 16 characters/,
    );
  });
});
