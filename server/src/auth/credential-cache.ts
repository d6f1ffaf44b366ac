// What every API call would otherwise cost a signature check and a database read: the claims of access
// tokens already verified (keyed by a hash of the token, kept until the token expires) and each client's
// standing (active, its authority's status). Bounded, and forgotten at once when a client or authority
// changes: the database announces every such change (a trigger's NOTIFY on `ccx_credentials`, heard by
// every hub process), and the process that made the change forgets before it answers.
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../db/index.js';

/** The channel the credentials trigger (migration 0016) notifies. */
export const CREDENTIALS_CHANNEL = 'ccx_credentials';

/** Most verified tokens kept, and most clients' standings (the oldest go first). */
const MAX_TOKENS = 10_000;
const MAX_STANDINGS = 10_000;
/**
 * How long a standing is trusted without hearing from the database: a backstop should a notification
 * be lost with a dropped connection (everything is forgotten when the listener connects again).
 */
const STANDING_TTL_MS = 30_000;

type Entry<T> = { value: T; until: number };

/** A Map that forgets its oldest entry when full. */
class Bounded<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(private readonly max: number) {}

  get(key: string, now: number): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, until: number): void {
    if (this.map.size >= this.max && !this.map.has(key)) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, { value, until });
  }

  clear(): void {
    this.map.clear();
  }
}

export class CredentialCache<Claims, Standing> {
  private readonly tokens = new Bounded<Claims>(MAX_TOKENS);
  private readonly standings = new Bounded<Standing>(MAX_STANDINGS);
  private readonly inFlight = new Map<string, Promise<Standing>>();
  /** Bumped by every forget(): a look-up begun before it must not store what it read. */
  private generation = 0;

  /** The key a token is kept under: its SHA-256, so the cache holds no bearer credential. */
  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
  }

  /** A token's verified claims, while it has not expired (as of `nowMs`). */
  claims(key: string, nowMs: number): Claims | undefined {
    return this.tokens.get(key, nowMs);
  }

  rememberClaims(key: string, claims: Claims, expiresAtMs: number): void {
    this.tokens.set(key, claims, expiresAtMs);
  }

  /** A client's standing, from the cache or by `load` (one load at a time per client). */
  async standing(clientId: string, load: () => Promise<Standing>): Promise<Standing> {
    const now = Date.now();
    const known = this.standings.get(clientId, now);
    if (known !== undefined) return known;
    const pending = this.inFlight.get(clientId);
    if (pending) return pending;
    const generation = this.generation;
    const loading = load().then(
      (value) => {
        if (this.inFlight.get(clientId) === loading) this.inFlight.delete(clientId);
        if (generation === this.generation) this.standings.set(clientId, value, now + STANDING_TTL_MS);
        return value;
      },
      (err: unknown) => {
        if (this.inFlight.get(clientId) === loading) this.inFlight.delete(clientId);
        throw err;
      },
    );
    this.inFlight.set(clientId, loading);
    return loading;
  }

  /** Forgets every standing (a client or authority changed). Verified claims stay: they say only who signed what. */
  forget(): void {
    this.generation++;
    this.standings.clear();
    this.inFlight.clear();
  }
}

/** What the watcher needs of the database: LISTEN, NOTIFY, and how many processes listen. */
export type NotificationChannel = Pick<Database, 'listen' | 'notify' | 'listeners'>;

export type CredentialWatch = {
  /**
   * Called by a process that has just committed a change to a client or an authority: forgets at once,
   * then sends a barrier on the channel and waits until every listening process has acknowledged it.
   * Each process hears the channel in order, so one that acknowledges the barrier has already heard the
   * change's own announcement and forgotten: no call it takes afterwards rests on the old standing.
   */
  changed(): Promise<void>;
  stop(): Promise<void>;
};

const BARRIER = 'barrier:';
const ACK = 'ack:';
/** A process that does not acknowledge within this long (it is dying, or stuck) is not waited for. */
const BARRIER_PATIENCE_MS = 2000;

/** Forgets `cache`'s standings whenever the database announces a change to a client or an authority. */
export const watchCredentials = async (
  db: NotificationChannel,
  cache: { forget(): void },
  onError: (err: unknown) => void,
): Promise<CredentialWatch> => {
  /** Barriers this process sent, each with the acknowledgements still awaited. */
  const waiting = new Map<string, { awaited: number; done: () => void }>();
  const unlisten = await db.listen(
    CREDENTIALS_CHANNEL,
    (payload) => {
      if (payload.startsWith(BARRIER)) {
        // Heard in order: whatever was announced before the barrier has been forgotten already.
        db.notify(CREDENTIALS_CHANNEL, `${ACK}${payload.slice(BARRIER.length)}`).catch(onError);
        return;
      }
      if (payload.startsWith(ACK)) {
        const w = waiting.get(payload.slice(ACK.length));
        if (w && --w.awaited <= 0) w.done();
        return;
      }
      cache.forget();
    },
    // Whatever was announced while the connection was down was not heard: forget it all.
    () => cache.forget(),
  );
  return {
    async changed() {
      cache.forget();
      const id = randomUUID();
      let timer: NodeJS.Timeout | undefined;
      try {
        const awaited = Math.max(1, await db.listeners());
        const acknowledged = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            onError(
              new Error(
                `${waiting.get(id)?.awaited ?? 0} of ${awaited} hub processes did not acknowledge a credential change within ${BARRIER_PATIENCE_MS} ms`,
              ),
            );
            resolve();
          }, BARRIER_PATIENCE_MS);
          waiting.set(id, { awaited, done: resolve });
        });
        await db.notify(CREDENTIALS_CHANNEL, `${BARRIER}${id}`);
        await acknowledged;
      } catch (err) {
        onError(err);
      } finally {
        clearTimeout(timer);
        waiting.delete(id);
      }
      // A look-up that began before the change and ended after the first forget() is not kept (its
      // generation is old); forget once more for one that raced the barrier.
      cache.forget();
    },
    stop: unlisten,
  };
};
