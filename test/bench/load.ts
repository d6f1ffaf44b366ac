// A closed-loop HTTP load driver: N clients, each sending its next request as soon as the last one
// is answered, for a warm-up and then a measured window. Keep-alive connections, one per client.
import http from 'node:http';

export type Request = {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
};

export type Answer = { status: number; body: string };

export type StepResult = {
  clients: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** The first refusal, to say why a step failed. */
  firstError: string | null;
};

export class HttpDriver {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(baseUrl: string) {
    this.url = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
  }

  send(req: Request): Promise<Answer> {
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    return new Promise((resolve, reject) => {
      const r = http.request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          method: req.method,
          path: req.path,
          headers: {
            authorization: `Bearer ${req.token}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
};

/**
 * Runs `clients` closed loops. `next(client, n)` gives client's n-th request, or null when it has
 * no more work (a pool of drafts ran out): the window then ends when every client has stopped.
 */
export const runStep = async (
  driver: HttpDriver,
  clients: number,
  next: (client: number, n: number) => Request | null,
  opts: { warmupMs: number; measureMs: number; accept?: (a: Answer, req: Request) => boolean },
): Promise<StepResult> => {
  const accept = opts.accept ?? ((a: Answer) => a.status === 200);
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const measureTo = measureFrom + opts.measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let lastEnd = measureFrom;
  const loop = async (client: number) => {
    for (let n = 0; performance.now() < measureTo; n++) {
      const req = next(client, n);
      if (!req) return;
      const sent = performance.now();
      let ok: boolean;
      let why = '';
      try {
        const answer = await driver.send(req);
        ok = accept(answer, req);
        if (!ok) why = `${answer.status} ${answer.body.slice(0, 300)}`;
      } catch (err) {
        ok = false;
        why = String(err);
      }
      const ended = performance.now();
      if (sent >= measureFrom && ended <= measureTo) {
        latencies.push(ended - sent);
        lastEnd = Math.max(lastEnd, ended);
        if (!ok) {
          errors++;
          firstError ??= `${req.method} ${req.path.slice(0, 80)}: ${why}`;
        }
      } else if (!ok) {
        firstError ??= `${req.method} ${req.path.slice(0, 80)}: ${why}`;
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  // A window cut short by clients running out of work is measured to the last answer.
  const seconds = (Math.min(measureTo, lastEnd) - measureFrom) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    requests: latencies.length,
    errors,
    seconds,
    perSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    firstError,
  };
};

/** Sends a fixed list of requests with at most `clients` in flight; times the whole batch. */
export const runBatch = async (
  driver: HttpDriver,
  clients: number,
  requests: Request[],
  accept: (a: Answer, req: Request) => boolean = (a) => a.status === 200,
): Promise<StepResult> => {
  let i = 0;
  const started = performance.now();
  const step = await runStep(driver, clients, () => requests[i++] ?? null, {
    warmupMs: 0,
    measureMs: 3_600_000,
    accept,
  });
  const seconds = (performance.now() - started) / 1000;
  return { ...step, seconds, perSecond: step.requests / seconds };
};
