// The per-client request rate: a token bucket per API client in this process. Each procedure call
// takes one token; a client that has used its burst waits for tokens to refill at the sustained rate.
// Behind several hub processes a client can reach each process's rate (the operations guide says so).

export type RateLimitOptions = {
  /** Calls per minute per client, sustained; 0 turns the limit off. */
  perMinute: number;
  /** Calls a client may make at once after being idle. */
  burst: number;
};

type Bucket = { tokens: number; at: number };

/** How many idle clients are kept before full buckets are dropped (a full bucket equals no entry). */
const PRUNE_ABOVE = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = opts.perMinute / 60_000;
  }

  get enabled(): boolean {
    return this.opts.perMinute > 0;
  }

  /** Takes one call from the client's bucket; when empty, answers the whole seconds until one is back. */
  take(clientId: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!this.enabled) return { ok: true };
    const now = this.now();
    const bucket = this.buckets.get(clientId);
    const tokens = bucket
      ? Math.min(this.opts.burst, bucket.tokens + (now - bucket.at) * this.perMs)
      : this.opts.burst;
    if (tokens >= 1) {
      if (!bucket && this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      this.buckets.set(clientId, { tokens: tokens - 1, at: now });
      return { ok: true };
    }
    this.buckets.set(clientId, { tokens, at: now });
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  private prune(now: number): void {
    for (const [id, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.opts.burst) this.buckets.delete(id);
    }
  }
}
