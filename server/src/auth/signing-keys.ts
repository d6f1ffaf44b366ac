// The hub's ES256 signing keys, persisted in the database so tokens survive a restart and several
// hub processes share one key. Rotation: a new key signs at once; retired keys keep verifying
// (and stay in the JWKS) until every token they signed has expired.
import { eq, sql } from 'drizzle-orm';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Db } from '../db/index.js';
import { signingKeys } from '../db/schema/index.js';

export const SIGNING_ALG = 'ES256';
const ROTATION_LOCK_ID = 0x63637802;
/** How often a process re-reads the key table, to pick up a rotation done by another process. */
const RELOAD_INTERVAL_MS = 60_000;
/** The least time between two reloads caused by an unknown kid, so forged kids cannot flood the database. */
const UNKNOWN_KID_RELOAD_MS = 5_000;

type LoadedKey = {
  kid: string;
  status: 'active' | 'retired';
  retiredAt: Date | null;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey: CryptoKey | null;
};

export type SigningKeyInfo = {
  kid: string;
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
};

export class SigningKeyStore {
  private keys = new Map<string, LoadedKey>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    /** Longest token lifetime: a retired key verifies for this long (plus a reload interval) after retirement. */
    private readonly tokenTtlSeconds: number,
  ) {}

  private get graceMs(): number {
    return this.tokenTtlSeconds * 1000 + 2 * RELOAD_INTERVAL_MS;
  }

  /** Creates the first key if the database has none. Safe when several processes start together. */
  async ensureActiveKey(): Promise<void> {
    const [active] = await this.db
      .select({ kid: signingKeys.kid })
      .from(signingKeys)
      .where(eq(signingKeys.status, 'active'));
    if (!active) await this.insertNewKey(this.db, true);
    await this.reload();
  }

  /** Retires the active key and makes a new one; returns the new key id. */
  async rotate(): Promise<string> {
    const kid = await this.db.transaction(async (tx) => {
      // Two rotations at once would both retire the same key and race on the one-active index.
      await tx.execute(sql`select pg_advisory_xact_lock(${ROTATION_LOCK_ID})`);
      await tx
        .update(signingKeys)
        .set({ status: 'retired', retiredAt: sql`now()` })
        .where(eq(signingKeys.status, 'active'));
      return this.insertNewKey(tx, false);
    });
    await this.reload();
    return kid;
  }

  async list(): Promise<SigningKeyInfo[]> {
    const rows = await this.db
      .select({
        kid: signingKeys.kid,
        status: signingKeys.status,
        createdAt: signingKeys.createdAt,
        retiredAt: signingKeys.retiredAt,
      })
      .from(signingKeys)
      .orderBy(signingKeys.createdAt);
    return rows.map((r) => ({
      kid: r.kid,
      status: r.status as 'active' | 'retired',
      createdAt: r.createdAt.toISOString(),
      retiredAt: r.retiredAt?.toISOString() ?? null,
    }));
  }

  async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    await this.refreshIfStale();
    for (const k of this.keys.values()) {
      if (k.status === 'active' && k.privateKey) return { kid: k.kid, key: k.privateKey };
    }
    throw new Error('no active signing key');
  }

  /** The public key for a kid, or undefined when the kid is unknown or past its grace period. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    await this.refreshIfStale();
    let key = this.keys.get(kid);
    if (!key && Date.now() - this.loadedAt > UNKNOWN_KID_RELOAD_MS) {
      await this.reload();
      key = this.keys.get(kid);
    }
    if (!key || !this.isWithinGrace(key)) return undefined;
    return key.publicKey;
  }

  /** The JSON Web Key Set: the active key and retired keys still in their grace period. */
  async jwks(): Promise<{ keys: JWK[] }> {
    await this.refreshIfStale();
    return {
      keys: [...this.keys.values()]
        .filter((k) => this.isWithinGrace(k))
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: SIGNING_ALG, use: 'sig' })),
    };
  }

  private isWithinGrace(k: LoadedKey): boolean {
    return (
      k.status === 'active' || (k.retiredAt !== null && Date.now() - k.retiredAt.getTime() < this.graceMs)
    );
  }

  private async refreshIfStale(): Promise<void> {
    if (Date.now() - this.loadedAt > RELOAD_INTERVAL_MS) await this.reload();
  }

  private async reload(): Promise<void> {
    // One reload at a time; concurrent callers share it.
    this.loading ??= (async () => {
      try {
        const rows = await this.db
          .select()
          .from(signingKeys)
          .where(
            sql`${signingKeys.status} = 'active' or ${signingKeys.retiredAt} > now() - make_interval(secs => ${this.graceMs / 1000})`,
          );
        const next = new Map<string, LoadedKey>();
        for (const row of rows) {
          const publicJwk = row.publicJwk as JWK;
          const status = row.status as 'active' | 'retired';
          next.set(row.kid, {
            kid: row.kid,
            status,
            retiredAt: row.retiredAt,
            publicJwk,
            publicKey: (await importJWK(publicJwk, SIGNING_ALG)) as CryptoKey,
            privateKey:
              status === 'active'
                ? ((await importJWK(row.privateJwk as JWK, SIGNING_ALG)) as CryptoKey)
                : null,
          });
        }
        this.keys = next;
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  private async insertNewKey(db: Db, ignoreConflict: boolean): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const insert = db
      .insert(signingKeys)
      .values({ kid, alg: SIGNING_ALG, status: 'active', publicJwk, privateJwk });
    // Two processes racing to create the first key: the unique index on the active key keeps one.
    await (ignoreConflict ? insert.onConflictDoNothing() : insert);
    return kid;
  }
}
