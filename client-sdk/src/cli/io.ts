// What a command may touch of the outside world, injectable so `main(argv, io)` runs inside a test as
// it runs in a terminal: output streams, environment, working directory, prompts and Ctrl+C.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export type OutStream = { write(chunk: string): unknown; isTTY?: boolean | undefined; columns?: number };

export type PromptOptions = { secret?: boolean };

/** Standard input, for a secret piped in (`ccx login --secret-stdin`). */
export type InStream = { isTTY?: boolean | undefined; readAll(): Promise<string> };

export type CliIo = {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Asks the user for one line; undefined when there is no one to ask (stdin is not a terminal). */
  prompt?: ((question: string, opts?: PromptOptions) => Promise<string>) | undefined;
  /** Aborted when the user stops a long-running command (Ctrl+C). */
  signal?: AbortSignal | undefined;
  /** Standard input; undefined when there is none to read. */
  stdin?: InStream | undefined;
};

/** Everything on the process's standard input, as text. */
const readAllStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** A prompt on the terminal; with `secret`, what is typed is not echoed. */
const terminalPrompt = (question: string, opts: PromptOptions = {}): Promise<string> => {
  let muted = false;
  // readline echoes through its output stream; a stream that drops writes while muted hides a secret.
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      if (opts.secret) process.stderr.write('\n');
      resolve(answer.trim());
    });
    muted = opts.secret === true;
  });
};

/** The real process: stdout, stderr, environment, prompts on a terminal, and Ctrl+C as an abort signal. */
export const processIo = (): CliIo => {
  // `ccx export … | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    // Any other failure to write the output: say so, never a stack trace.
    process.stderr.write(`ccx: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
  let controller: AbortController | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    prompt: process.stdin.isTTY ? terminalPrompt : undefined,
    stdin: { isTTY: process.stdin.isTTY, readAll: readAllStdin },
    // Only a command that asks for the signal (events tail --follow) takes over Ctrl+C, to stop cleanly;
    // every other command keeps Node's default, so Ctrl+C ends it at once.
    get signal() {
      if (!controller) {
        const c = new AbortController();
        process.once('SIGINT', () => c.abort());
        controller = c;
      }
      return controller.signal;
    },
  };
};
