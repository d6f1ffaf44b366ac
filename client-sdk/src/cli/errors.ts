// Exit codes and how failures are shown: the hub's message, field issues and request id, never a stack.
import { CcxError } from '../index.js';
import type { CliIo } from './io.js';

/** The documented exit codes (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The command failed: the hub refused it, could not be reached, or the input file is bad. */
  failed: 1,
  /** The command line is wrong: an unknown command or option, a missing argument or credential. */
  usage: 2,
  /** ccx check: at least one setting has the verdict caution (and none worse). */
  caution: 3,
  /** ccx check: at least one setting was not found (and none is do-not-place). */
  notFound: 4,
  /** ccx check: at least one setting has the verdict do-not-place. */
  doNotPlace: 5,
} as const;

/** A mistake on the command line: shown with a hint, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A failure the CLI itself detected and explained (a bad file, a refused import): exit 1 by default. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

const HINTS: Record<string, string> = {
  UNAUTHORIZED:
    'check the client id and secret (`ccx whoami` shows which are used), or whether the client was revoked',
  FORBIDDEN: "this client's role does not allow it; ask your authority's administrator",
  TOO_MANY_REQUESTS: 'the hub is rate-limiting this client; wait a little and try again',
  SERVICE_UNAVAILABLE: 'the hub is temporarily unavailable; try again shortly',
  PAYLOAD_TOO_LARGE: 'split it, or ask the hub operators about its body limit (CCX_MAX_BODY_BYTES)',
};

const PLAIN: Record<string, string> = {
  PAYLOAD_TOO_LARGE: 'the request is larger than the hub accepts',
  METHOD_NOT_SUPPORTED: 'the hub does not accept this request',
};

/** The root cause of a network failure ("connect ECONNREFUSED 127.0.0.1:3000"), which fetch hides in `cause`. */
const networkCause = (err: unknown): string | undefined => {
  let e: unknown = err;
  let deepest: string | undefined;
  for (let depth = 0; e instanceof Error && depth < 8; depth++) {
    if (depth > 0) deepest = e.message;
    // Node reports a refused connection to every address of a name as one AggregateError.
    const inner = (e as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner[0] instanceof Error) return inner[0].message;
    e = e.cause;
  }
  return deepest;
};

/**
 * An error of the hub for a person to read: the message (or, for a 400, one line per field issue),
 * a hint where one helps, and the request id to quote to the hub's operators.
 */
export const describeCcxError = (err: CcxError): string[] => {
  if (err.code === 'NETWORK') return [`cannot reach the hub: ${networkCause(err) ?? err.message}`];
  // A 400's message repeats its issues; list them one per line instead.
  // Some refusals come from the HTTP layer with the bare code as their message.
  const message = err.message === err.code ? (PLAIN[err.code] ?? err.message) : err.message;
  const lines = [
    `${err.issues.length > 0 ? 'the hub refused the input' : message} (${err.code}${err.httpStatus ? ` ${err.httpStatus}` : ''})`,
    ...err.issues.map((issue) => `  ${issue.path}: ${issue.message}`),
  ];
  const hint = HINTS[err.code];
  if (hint) lines.push(hint);
  if (err.requestId) lines.push(`request id: ${err.requestId} (quote it to the hub's operators)`);
  return lines;
};

/** Prints an error for a person to read and answers the exit code. */
export const reportError = (err: unknown, io: CliIo): number => {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  if (err instanceof UsageError) {
    say(`ccx: ${err.message}`);
    if (err.hint) say(err.hint);
    return EXIT.usage;
  }
  if (err instanceof CliError) {
    say(`ccx: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof CcxError) {
    const [first, ...rest] = describeCcxError(err);
    say(`ccx: ${first ?? err.message}`);
    for (const line of rest) say(line);
    return EXIT.failed;
  }
  say(`ccx: ${err instanceof Error ? err.message : String(err)}`);
  if (io.env.CCX_DEBUG && err instanceof Error && err.stack) say(err.stack);
  return EXIT.failed;
};
