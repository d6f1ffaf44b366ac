// Brute force at the token endpoint: every attempt is counted per presented client id before its
// secret is checked (so parallel guesses cannot race past the limit), failures past the first few
// are answered slowly, and too many in the window lock that id for a while. Unknown ids are counted
// exactly like known ones, so neither the delay nor the lock tells an attacker which ids exist.
import { eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../db/index.js';
import { tokenAttempts } from '../db/schema/index.js';

export type TokenThrottleOptions = {
  /** Failed attempts allowed per client id within the window; the next one locks the id. */
  maxFailures: number;
  windowSeconds: number;
  lockSeconds: number;
  /** The delay before answering the first slowed failure; it doubles with each further one. */
  failureDelayMs: number;
};

/** Failures answered at full speed; after these each failure waits failureDelayMs × 2^n. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 5_000;
/** Every this many attempts, rows whose window and lock have both passed are removed. */
const SWEEP_EVERY = 200;

export type AttemptVerdict =
  { locked: true; retryAfterSeconds: number } | { locked: false; failures: number };

export class TokenThrottle {
  private attempts = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: TokenThrottleOptions,
  ) {}

  /** Counts an attempt for this id; refuses it (with the seconds left) while the id is locked. */
  async begin(clientKey: string): Promise<AttemptVerdict> {
    if (++this.attempts % SWEEP_EVERY === 0) await this.sweep();
    const window = sql`make_interval(secs => ${this.opts.windowSeconds})`;
    const lock = sql`make_interval(secs => ${this.opts.lockSeconds})`;
    const t = sql.raw('token_attempts');
    // One statement, so concurrent attempts for one id serialise on its row.
    const lapsed = sql`(${t}.locked_until is not null and ${t}.locked_until <= now())
      or (${t}.locked_until is null and ${t}.window_started_at < now() - ${window})`;
    const lockedNow = sql`(${t}.locked_until is not null and ${t}.locked_until > now())`;
    const result = await this.db.execute(sql`
      insert into token_attempts (client_key, failures, window_started_at)
      values (${clientKey}, 1, now())
      on conflict (client_key) do update set
        failures = case when ${lockedNow} then ${t}.failures when ${lapsed} then 1 else ${t}.failures + 1 end,
        window_started_at = case when ${lapsed} and not ${lockedNow} then now() else ${t}.window_started_at end,
        locked_until = case
          when ${lockedNow} then ${t}.locked_until
          when ${lapsed} then null
          when ${t}.failures + 1 > ${this.opts.maxFailures} then now() + ${lock}
          else null end
      returning failures,
        case when locked_until > now() then ceil(extract(epoch from locked_until - now()))::text end as retry_after`);
    const row = rowsOf<{ failures: number; retry_after: string | null }>(result)[0];
    if (!row) throw new Error('token_attempts upsert returned no row');
    if (row.retry_after !== null)
      return { locked: true, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
    return { locked: false, failures: Number(row.failures) };
  }

  /** A good secret: the id starts afresh. */
  async succeeded(clientKey: string): Promise<void> {
    await this.db.delete(tokenAttempts).where(eq(tokenAttempts.clientKey, clientKey));
  }

  /** How long to hold the answer to the n-th failure in the window. */
  failureDelayMs(failures: number): number {
    if (failures <= FREE_FAILURES || this.opts.failureDelayMs === 0) return 0;
    return Math.min(MAX_DELAY_MS, this.opts.failureDelayMs * 2 ** (failures - FREE_FAILURES - 1));
  }

  private async sweep(): Promise<void> {
    await this.db.execute(sql`
      delete from token_attempts
      where coalesce(locked_until, window_started_at + make_interval(secs => ${this.opts.windowSeconds})) < now()`);
  }
}
