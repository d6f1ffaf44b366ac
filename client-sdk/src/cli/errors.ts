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

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A wait in words: "40 s", "15 min", "2 h 5 min" (rounded up, never too early). */
export const inWords = (seconds: number): string => {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const min = Math.ceil(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
};

/**
 * When to try again, in the local time of the terminal: "14:32 (in 15 min)", to the second for a short
 * wait ("14:31:05 (in 40 s)"), with the date when it is not today. Rounded up, never too early.
 */
export const retryTime = (seconds: number, now: Date = new Date()): string => {
  const short = seconds < 60;
  const step = short ? 1000 : 60_000;
  const at = new Date(Math.ceil((now.getTime() + seconds * 1000) / step) * step);
  const sameDay = at.toDateString() === now.toDateString();
  const date = `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())} `;
  const time = `${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}${short ? `:${twoDigits(at.getSeconds())}` : ''}`;
  return `${sameDay ? '' : date}${time} (in ${inWords(seconds)})`;
};

/**
 * An error of the hub for a person to read: the message (or, for a 400, one line per field issue),
 * a hint where one helps, and the request id to quote to the hub's operators.
 */
export const describeCcxError = (err: CcxError, now: Date = new Date()): string[] => {
  if (err.code === 'NETWORK') return [`cannot reach the hub: ${networkCause(err) ?? err.message}`];
  if (err.code === 'TIMEOUT')
    return [
      err.message,
      'the hub may be down or overloaded: try again later, or allow it longer with --timeout <seconds> (or CCX_TIMEOUT)',
    ];
  // A locked client id refuses even the right secret: saying "check the secret" would mislead.
  if (err.tokenError?.locked) {
    const after = err.tokenError.retryAfterSeconds;
    return [
      `this client is locked after too many failed attempts; ${after === undefined ? 'try again later' : `try again after ${retryTime(after, now)}`}`,
      "until then even the right secret is refused; if the failed attempts were not yours, tell your authority's administrator",
    ];
  }
  // A 400's message repeats its issues; list them one per line instead.
  // Some refusals come from the HTTP layer with the bare code as their message.
  const message = err.message === err.code ? (PLAIN[err.code] ?? err.message) : err.message;
  const lines = [
    `${err.issues.length > 0 ? 'the hub refused the input' : message} (${err.code}${err.httpStatus ? ` ${err.httpStatus}` : ''})`,
    ...err.issues.map((issue) => `  ${issue.path}: ${issue.message}`),
  ];
  const after = err.retryAfterSeconds;
  const hint =
    after !== undefined && err.code === 'TOO_MANY_REQUESTS'
      ? `the hub is rate-limiting this client; try again after ${retryTime(after, now)}`
      : after !== undefined && err.code === 'SERVICE_UNAVAILABLE'
        ? `the hub is temporarily unavailable; try again after ${retryTime(after, now)}`
        : HINTS[err.code];
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
