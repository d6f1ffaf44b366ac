// Runs documented shell commands as a reader would paste them: in order, in one bash session, so that
// the variables one block sets are there for the next. `curl` is wrapped so that an HTTP error (status
// 400 or more) or a tRPC error answer fails the command, while the commands themselves stay as copyable
// as the documents show them.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** One piece of shell to run: a fenced block of a document, or one command the demo printed. */
export type ShellStep = {
  /** Where it comes from, for messages: `README.md, block 3 (line 41)`. */
  label: string;
  /** The document line of the step's first line, so a failing line can be named in the document. */
  firstLine: number;
  code: string;
  /** Run it without `set -e` and expect the exit status of its last command to be this. */
  expectExit?: number;
  /** Let curl answer HTTP errors, and report every status it received. */
  allowHttpErrors?: boolean;
};

export type StepResult = {
  step: ShellStep;
  output: string;
  /** The step's exit status; for a step under `set -e`, that of the command that failed. */
  exitCode: number;
  /** Every HTTP status curl received during the step, in order. */
  statuses: number[];
  /** The failing command and its line in the document, when the step stopped the session. */
  failure?: { line: number; command: string };
};

export type SessionResult = {
  results: StepResult[];
  /** Output after the last step (or of a session that died outside any step). */
  trailing: string;
  exitCode: number | null;
};

const MARK = '@@docs-test@@';

// The curl of the documents, with its answer checked. Statuses go to a log file, one per request.
const prelude = `
curl() {
  local __hdr __body __rc=0 __status __start=''
  __hdr=$(mktemp) __body=$(mktemp)
  command curl -D "$__hdr" "$@" >"$__body" || __rc=$?
  cat "$__body"
  __status=$(awk '/^HTTP\\//{ s = $2 } END { print s }' "$__hdr")
  IFS= read -r -n 9 __start <"$__body" || true
  rm -f "$__hdr" "$__body"
  echo "\${__status:-0}" >>"$DOCS_TEST_STATUS_LOG"
  if [ "$__rc" -ne 0 ]; then
    printf '\\ndocs-test: curl exited with %s\\n' "$__rc" >&2
    return "$__rc"
  fi
  if [ -z "\${DOCS_TEST_ALLOW_HTTP_ERRORS:-}" ]; then
    if [ "\${__status:-0}" -ge 400 ]; then
      printf '\\ndocs-test: curl received HTTP %s\\n' "$__status" >&2
      return 22
    fi
    if [ "$__start" = '{"error"' ] || [ "$__start" = '{"error":' ]; then
      printf '\\ndocs-test: curl received an error answer\\n' >&2
      return 22
    fi
  fi
  return 0
}
__docs_expect=''
__docs_failed() {
  local rc=$1 line=$2 cmd=$3
  if [ -z "$__docs_expect" ]; then echo; echo "${MARK} fail $__docs_step $line $rc $cmd"; fi
}
trap '__docs_failed "$?" "$LINENO" "$BASH_COMMAND"' ERR
`;

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Runs the steps in one `bash` session (`set -euo pipefail`) in `cwd`, with `env` as its whole
 * environment (plus PATH and HOME), and reports each step's output, exit status and HTTP statuses.
 */
export const runShellSession = async (
  steps: ShellStep[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<SessionResult> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ccx-docs-shell-'));
  try {
    const statusLog = path.join(dir, 'statuses');
    const lines = ['set -euo pipefail', 'exec 2>&1', `source ${quote(path.join(dir, 'prelude.sh'))}`];
    await writeFile(path.join(dir, 'prelude.sh'), prelude);
    for (const [i, step] of steps.entries()) {
      const file = path.join(dir, `step-${i}.sh`);
      await writeFile(file, `${step.code}\n`);
      lines.push(
        `__docs_step=${i}`,
        `: >${quote(statusLog)}`,
        `echo "${MARK} begin ${i}"`,
        step.allowHttpErrors ? 'export DOCS_TEST_ALLOW_HTTP_ERRORS=1' : 'unset DOCS_TEST_ALLOW_HTTP_ERRORS',
      );
      if (step.expectExit === undefined) {
        lines.push(`source ${quote(file)}`, '__docs_rc=0');
      } else {
        lines.push(
          '__docs_expect=1; set +e',
          `source ${quote(file)}`,
          '__docs_rc=$?',
          "set -e; __docs_expect=''",
        );
      }
      lines.push(
        'unset DOCS_TEST_ALLOW_HTTP_ERRORS',
        `echo; echo "${MARK} end ${i} $__docs_rc $(tr '\\n' ' ' <${quote(statusLog)})"`,
      );
    }
    lines.push(`echo "${MARK} done"`);
    await writeFile(path.join(dir, 'session.sh'), `${lines.join('\n')}\n`);

    const { output, exitCode } = await new Promise<{ output: string; exitCode: number | null }>(
      (resolve, reject) => {
        const child = spawn('bash', ['--noprofile', '--norc', path.join(dir, 'session.sh')], {
          cwd: options.cwd,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? dir,
            ...options.env,
            DOCS_TEST_STATUS_LOG: statusLog,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        const timer = setTimeout(() => {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
          out += `\n${MARK} timeout after ${options.timeoutMs} ms\n`;
        }, options.timeoutMs ?? 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ output: out, exitCode: code });
        });
      },
    );
    return parseSession(steps, output, exitCode);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The command that starts on a line of a step (1-based), with its continuation lines. */
const commandAt = (code: string, line: number): string => {
  const lines = code.split('\n');
  const command: string[] = [];
  for (let i = line - 1; i < lines.length; i++) {
    command.push(lines[i]!);
    if (!lines[i]!.endsWith('\\')) break;
  }
  return command.join('\n') || '(unknown)';
};

const parseSession = (steps: ShellStep[], output: string, exitCode: number | null): SessionResult => {
  const results: StepResult[] = [];
  let current: { index: number; lines: string[] } | null = null;
  const trailing: string[] = [];
  const close = (exit: number, statuses: number[], failure?: StepResult['failure']) => {
    if (!current) return;
    const step = steps[current.index]!;
    results.push({ step, output: current.lines.join('\n').trim(), exitCode: exit, statuses, failure });
    current = null;
  };
  for (const line of output.split('\n')) {
    if (!line.startsWith(MARK)) {
      (current ? current.lines : trailing).push(line);
      continue;
    }
    const [what, ...rest] = line.slice(MARK.length + 1).split(' ');
    if (what === 'begin') current = { index: Number(rest[0]), lines: [] };
    else if (what === 'end') {
      const statuses = rest.slice(2).filter(Boolean).map(Number);
      close(Number(rest[1]), statuses);
    } else if (what === 'fail' && current) {
      const step = steps[current.index]!;
      const line = Number(rest[1]);
      close(Number(rest[2]), [], { line: step.firstLine + line - 1, command: commandAt(step.code, line) });
    } else if (what === 'timeout') trailing.push(line);
  }
  // A session killed or crashed inside a step: report that step with what it printed.
  if (current)
    close(exitCode ?? -1, [], { line: steps[current.index]!.firstLine, command: '(session ended)' });
  return { results, trailing: trailing.join('\n').trim(), exitCode };
};

/** A readable account of a step that went wrong. */
export const describeStep = (r: StepResult, problem: string): string =>
  [
    `${r.step.label}: ${problem}`,
    ...(r.failure ? [`  failed at line ${r.failure.line}: ${r.failure.command}`] : []),
    '--- the step ---',
    r.step.code,
    '--- its output ---',
    r.output || '(none)',
  ].join('\n');
