// `npm run bench:sign-in`: what a person's sign-in costs. Starts the hub as a process on a fresh
// embedded database (or DATABASE_URL), sets up a few people through their links, then times, over
// HTTP: the password step alone (argon2id included), the whole sign-in (password then TOTP code),
// a wrong password, and an address with no account (which must cost the same). Prints figures; it
// asserts nothing (the tests prove behaviour; this measures it).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { PASSWORD_HASH_OPTIONS, totp } from '@ccx/server/testing';
import { startBenchHub } from './hub.js';

const ROUNDS = Number(process.env.ROUNDS ?? 12);
// One person per round: a TOTP code is accepted once, so a person signs in once per 30 s step.
const PEOPLE = ROUNDS;
const PASSWORD = 'correct horse battery staple';

const dataDir = await mkdtemp(path.join(tmpdir(), 'ccx-bench-sign-in-'));
const hub = await startBenchHub({
  dataDir,
  logFile: path.join(dataDir, 'hub.log'),
  env: {
    CCX_DATA_DIR: dataDir,
    // Measured without the brute-force delay: each address here is tried a few times only.
    CCX_TOKEN_FAILURE_DELAY_MS: '0',
    CCX_TOKEN_MAX_FAILURES: '1000',
    CCX_RATE_LIMIT: '0',
  },
});
const origin = new URL(hub.url).origin;
const boot = JSON.parse(await readFile(path.join(dataDir, 'bootstrap.json'), 'utf8')) as {
  clientId: string;
  clientSecret: string;
};

const call = async (procedure: string, input: unknown, cookie?: string) => {
  const res = await fetch(`${hub.url}/trpc/${procedure}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin,
      'x-ccx-csrf': '1',
      ...(cookie ? { cookie } : {}),
      ...(procedure.startsWith('people.') ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(input),
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('ccx_session='));
  return {
    status: res.status,
    body: (await res.json()) as { result?: { data: unknown } },
    cookie: set?.split(';')[0],
  };
};

const tokenRes = await fetch(`${hub.url}/oauth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: boot.clientId,
    client_secret: boot.clientSecret,
  }),
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;

type Person = { email: string; secret: string; lastStep: number };
const people: Person[] = [];
for (let i = 0; i < PEOPLE; i++) {
  const email = `bench.person.${i}@hub-host.example.gov.uk`;
  const invited = await call('people.invite', { email, name: `Bench Person ${i}`, role: 'viewer' });
  const url = (invited.body.result!.data as { invitationUrl: string }).invitationUrl;
  const accepted = await call('auth.acceptLink', {
    token: new URL(url).hash.slice('#invitation='.length),
    password: PASSWORD,
  });
  const secret = (accepted.body.result!.data as { totpSecret: string }).totpSecret;
  const step = totp.totpStep(new Date());
  await call('auth.confirmTotp', { code: totp.totpAt(secret, step) }, accepted.cookie);
  people.push({ email, secret, lastStep: step });
}

const time = async (f: () => Promise<void>): Promise<number> => {
  const started = performance.now();
  await f();
  return performance.now() - started;
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), min: s[0]!, max: s.at(-1)! };
};

const passwordStep: number[] = [];
const whole: number[] = [];
const wrongPassword: number[] = [];
const unknownAddress: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const p = people[r]!;
  // The step after the one confirmed at set-up (the hub accepts one step of drift).
  const step = p.lastStep + 1;
  let pending: string | undefined;
  whole.push(
    await time(async () => {
      const first = await call('auth.signIn', { email: p.email, password: PASSWORD });
      pending = first.cookie;
      const second = await call('auth.secondFactor', { code: totp.totpAt(p.secret, step) }, pending);
      if (second.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(second.body)}`);
    }),
  );
  passwordStep.push(
    await time(async () => void (await call('auth.signIn', { email: p.email, password: PASSWORD }))),
  );
  wrongPassword.push(
    await time(async () => void (await call('auth.signIn', { email: p.email, password: `not it ${r}` }))),
  );
  unknownAddress.push(
    await time(
      async () =>
        void (await call('auth.signIn', { email: `nobody.${r}@example.gov.uk`, password: PASSWORD })),
    ),
  );
}

// The hash alone, in this process, with the hub's parameters.
const hashOnly: number[] = [];
const stored = await argon2.hash(PASSWORD, PASSWORD_HASH_OPTIONS);
for (let i = 0; i < ROUNDS; i++)
  hashOnly.push(await time(async () => void (await argon2.verify(stored, PASSWORD))));

const row = (label: string, xs: number[]) => {
  const s = stats(xs);
  return `| ${label.padEnd(46)} | ${String(xs.length).padStart(3)} | ${s.p50.toFixed(0).padStart(5)} | ${s.p95.toFixed(0).padStart(5)} | ${s.min.toFixed(0).padStart(5)} | ${s.max.toFixed(0).padStart(5)} |`;
};
const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_OPTIONS;
console.log(`Sign-in on the embedded database, one caller at a time, this machine (${ROUNDS} rounds)`);
console.log(`argon2id: ${memoryCost / 1024} MiB, ${timeCost} passes, ${parallelism} lanes\n`);
console.log('| step (milliseconds)                            |   n |   p50 |   p95 |   min |   max |');
console.log('|------------------------------------------------|-----|-------|-------|-------|-------|');
console.log(row('argon2id verification alone (in process)', hashOnly));
console.log(row('auth.signIn: the password step', passwordStep));
console.log(row('sign-in whole: password then TOTP code', whole));
console.log(row('auth.signIn: a wrong password', wrongPassword));
console.log(row('auth.signIn: an address with no account', unknownAddress));
console.log(
  `\nunknown address ÷ wrong password (p50): ${(stats(unknownAddress).p50 / stats(wrongPassword).p50).toFixed(2)} — near 1 means the answer's time does not tell them apart`,
);
console.log(`hub peak resident memory: ${(await hub.peakRssMiB()).toFixed(0)} MiB`);
await hub.stop();
await rm(dataDir, { recursive: true, force: true });
