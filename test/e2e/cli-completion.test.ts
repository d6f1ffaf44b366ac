// `ccx completion bash|zsh|fish`: scripts generated from the command table. The bash script is checked
// by bash itself (`bash -n`), then sourced and asked to complete, as the shell does on Tab.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COMMANDS } from '../../client-sdk/src/cli/program.js';
import { runMain } from '../support/cli.js';

const run = promisify(execFile);
let dir: string;
let script: string;

const ccx = (args: string[]) => runMain(args, { env: {}, cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ccx-completion-'));
  script = path.join(dir, 'ccx.bash');
  const r = await ccx(['completion', 'bash']);
  expect(r.code).toBe(0);
  await writeFile(script, r.stdout);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the completion function offers for a command line whose last word is being typed. */
const complete = async (...words: string[]): Promise<string[]> => {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const { stdout } = await run('bash', [
    '--norc',
    '-c',
    `source ${script}; COMP_WORDS=(ccx ${quoted}); COMP_CWORD=${words.length}; COMPREPLY=(); _ccx; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  return stdout.split('\n').filter(Boolean);
};

describe('ccx completion bash', () => {
  test('is a valid bash script that registers the completion for ccx', async () => {
    await run('bash', ['-n', script]);
    const { stdout } = await run('bash', ['--norc', '-c', `source ${script}; complete -p ccx`]);
    expect(stdout.trim()).toBe('complete -o bashdefault -o default -F _ccx ccx');
  });

  test('completes command names, subcommands and options from the command table', async () => {
    expect(await complete('pla')).toEqual(['placements']);
    expect(await complete('')).toEqual(
      expect.arrayContaining(['check', 'placements', 'profiles', 'completion', 'help']),
    );
    expect(await complete('placements', 'im')).toEqual(['import']);
    expect(await complete('profiles', '')).toEqual(['default']);
    expect(await complete('check', '--fi')).toEqual(['--file']);
    expect(await complete('placements', 'import', '--dr')).toEqual(['--dry-run']);
    // Global options everywhere; the value of an option is not taken for a command word.
    expect(await complete('--profile', 'bolton', 'che')).toEqual(['check']);
    expect(await complete('events', 'tail', '--since', '5', '--fol')).toEqual(['--follow']);
    expect(await complete('whoami', '--ti')).toEqual(['--timeout']);
    expect(await complete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // An option that allows only some values offers them; its other options still complete.
    expect(await complete('people', '')).toEqual(['list', 'invite', 'reinvite', 'role', 'deactivate']);
    expect(await complete('people', 'invite', 'sam@example.gov.uk', '--role', 'o')).toEqual(['officer']);
    expect(await complete('people', 'list', '--status', '')).toEqual(['invited', 'active', 'deactivated']);
    expect(await complete('sso', 'set', '--default-role', '')).toEqual(['viewer', 'officer']);
    expect(await complete('sso', 'set', '--client-secret-s')).toEqual(['--client-secret-stdin']);
    // Every command's every long option is offered.
    for (const cmd of COMMANDS) {
      const flags = (cmd.options ?? []).flatMap(([flag]) =>
        [...flag.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]),
      );
      if (flags.length === 0) continue;
      const offered = await complete(...cmd.name.split(' '), '--');
      expect(offered, cmd.name).toEqual(expect.arrayContaining(flags));
    }
  });
});

describe('ccx completion zsh and fish', () => {
  test('print scripts that name every command; an unknown shell is a usage error', async () => {
    const zsh = await ccx(['completion', 'zsh']);
    expect(zsh.stdout.split('\n')[0]).toBe('#compdef ccx');
    expect(zsh.stdout).toContain('compdef _ccx ccx');
    const fish = await ccx(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c ccx -n '__ccx_count 0' -f -a 'check'");
    for (const out of [zsh.stdout, fish.stdout])
      for (const cmd of COMMANDS) expect(out, cmd.name).toContain(cmd.name.split(' ').at(-1));
    const bad = await ccx(['completion', 'powershell']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('give one of bash, zsh, fish')]);
  });
});
