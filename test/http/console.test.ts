// How the hub serves its console: the built page for any address a browser opens (so a bookmark or a
// reload of /settings/… works) with a strict Content-Security-Policy, its hashed assets as immutable and
// compressed, and still a JSON 404 for a program that asks for something that does not exist.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { httpTest as test, startHttpHarness } from '../support/http.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

// A build of our own: the test proves how the hub serves whatever Vite made, not one build.
const dir = mkdtempSync(path.join(tmpdir(), 'ccx-console-build-'));
mkdirSync(path.join(dir, 'assets', 'console'), { recursive: true });
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>ccx</title><div id="root"></div>');
writeFileSync(
  path.join(dir, 'assets', 'console', 'index-abc123.js'),
  `console.log(${JSON.stringify('x'.repeat(4000))});`,
);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
test.override({ hubEnv: { CCX_CONSOLE_DIR: dir } });

describe('with a built console', () => {
  test('a browser gets the console page at / and at any page address, with a strict CSP', async ({ h }) => {
    for (const address of ['/', '/settings/4b4f0f8e-0000-4000-8000-000000000000', '/admin/people?x=1']) {
      const res = await fetch(`${h.baseUrl}${address}`, { headers: HTML });
      expect(res.status, address).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<div id="root">');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  test('a program asking for JSON still gets the hub’s 404 with a suggestion', async ({ h }) => {
    const res = await fetch(`${h.baseUrl}/healthzz`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('did you mean "/healthz"');
  });

  test('hashed assets are immutable and compressed; a missing one is a 404, not the page', async ({ h }) => {
    const res = await fetch(`${h.baseUrl}/assets/console/index-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toContain('xxxx');
    const missing = await fetch(`${h.baseUrl}/assets/console/index-gone.js`, { headers: HTML });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<div id="root">');
  });

  test('the API is never compressed or replaced by the page', async ({ h }) => {
    const res = await fetch(`${h.baseUrl}/healthz`, { headers: { ...HTML, 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('without a build', () => {
  test('a browser is told how to build the console, and the API still works', async () => {
    const h = await startHttpHarness({ CCX_CONSOLE_DIR: '/nonexistent/ccx-console' });
    try {
      const res = await fetch(`${h.baseUrl}/`, { headers: HTML });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
