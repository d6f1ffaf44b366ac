// The production examples in docs/deploy/ that operations.md tells people to copy: the systemd unit is
// linted by systemd itself (where the machine has systemd-analyze), and both files are held to what the
// hub expects of them (the compiled entry point, the proxy headers it trusts, metrics kept off the internet).
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../support/hub-process.js';

const deploy = (name: string) => path.join(repoRoot, 'docs/deploy', name);
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('docs/deploy/ccx.service', () => {
  test.skipIf(!hasSystemdAnalyze)('passes systemd-analyze verify with no warning', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ccx-unit-'));
    try {
      // systemd names the unit after its file.
      await copyFile(deploy('ccx.service'), path.join(dir, 'ccx.service'));
      const run = spawnSync('systemd-analyze', ['verify', path.join(dir, 'ccx.service')], {
        encoding: 'utf8',
      });
      expect(run.stderr.trim(), run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('runs the compiled hub that npm ci builds, as an unprivileged user', async () => {
    const unit = await readFile(deploy('ccx.service'), 'utf8');
    const execStart = /^ExecStart=\S+ (?:--\S+ )*(\S+)$/m.exec(unit)?.[1];
    expect(execStart).toBe('server/dist/main.js');
    // The path is the one `npm ci` (its prepare script) compiles, and `npm start` runs.
    const scripts = (
      JSON.parse(await readFile(path.join(repoRoot, 'server/package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toContain('dist/main.js');
    expect(existsSync(path.join(repoRoot, 'server/src/main.ts'))).toBe(true);
    expect(unit).toMatch(/^User=ccx$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/ccx\/ccx\.env$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
  });
});

describe('docs/deploy/nginx.conf', () => {
  test('forwards the headers the hub trusts with CCX_TRUST_PROXY, in every proxied location', async () => {
    const conf = await readFile(deploy('nginx.conf'), 'utf8');
    const locations = [...conf.matchAll(/location ([^{]+)\{([^}]*)\}/g)].map((m) => ({
      path: m[1]!.trim(),
      body: m[2]!,
    }));
    const proxied = locations.filter((l) => l.body.includes('proxy_pass'));
    expect(proxied.length).toBeGreaterThanOrEqual(2);
    for (const l of proxied) {
      expect(l.body, l.path).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
      expect(l.body, l.path).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
      expect(l.body, l.path).toMatch(/proxy_set_header Host \$host;/);
      expect(l.body, l.path).toMatch(/proxy_pass http:\/\/ccx_hub;/);
    }
    // The live event stream is not buffered.
    const stream = locations.find((l) => l.path === '/trpc/events.subscribe');
    expect(stream?.body).toMatch(/proxy_buffering off;/);
    // Metrics never reach the internet through the proxy.
    expect(locations.find((l) => l.path === '= /metrics')?.body).toMatch(/return 404;/);
    // TLS only: plain HTTP redirects.
    expect(conf).toMatch(/listen 443 ssl;/);
    expect(conf).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
    // It proxies to the hub's default address, which the unit and the README use.
    expect(conf).toMatch(/server 127\.0\.0\.1:3000;/);
  });
});
