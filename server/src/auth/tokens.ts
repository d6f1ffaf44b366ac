// Access tokens: RFC 9068 JWTs signed ES256 by the hub. Verification pins the algorithm, type,
// issuer and audience, then checks that the client is still active and its authority still a member
// (active, or suspended: the principal then says so, and the procedures refuse it with a reason).
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { zAuthorityId, zRole, type Role } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { authorities, clients } from '../db/schema/index.js';
import { SIGNING_ALG, type SigningKeyStore } from './signing-keys.js';
import { CredentialCache } from './credential-cache.js';

/**
 * Who is calling: one API client (with an access token) or one person (with a session) of one
 * authority, with one role. The access policy looks only at the authority and the role, so a person
 * and a client of the same authority and role see exactly the same; the audit names whichever acted.
 */
export type Principal = {
  authorityId: string;
  role: Role;
  /** The API client, when the call carries an access token; null for a person. */
  clientId: string | null;
  /** The person, when the call carries a session. */
  personId?: string | null;
  /** The access token's id (jti). */
  tokenId?: string;
  /** The session's public handle. */
  sessionHandle?: string;
  /**
   * Set when the caller's authority is suspended from the partnership: its credentials still prove
   * who is calling, but every procedure save the few that explain it refuses them (http/trpc.ts).
   */
  authoritySuspended?: boolean;
};

/** An API client's principal: what an access token proves. */
export type ClientPrincipal = Principal & { clientId: string; tokenId: string };

/**
 * The reason given when a token is genuine in every way but its age: signed by one of our keys, for
 * us, of a client still active. Only then may a caller be told "expired"; every other failure is
 * the same "not valid", with the detail kept for the log.
 */
export const TOKEN_EXPIRED = 'expired';

/** Raised for every token problem; `reason` is for the log (and TOKEN_EXPIRED tells an expired token apart). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: string) {
    super(reason === TOKEN_EXPIRED ? 'the access token has expired' : 'the access token is not valid');
  }
}

const zClaims = z.object({
  sub: z.string(),
  client_id: z.string(),
  authority: zAuthorityId,
  role: zRole,
  jti: z.string(),
});

type Claims = z.infer<typeof zClaims>;
/** A client's standing as the database has it: null when it is revoked or its authority is not a member. */
type Standing = { authorityId: string; role: string; authorityStatus: string } | null;

export type TokenServiceOptions = { issuer: string; audience: string; ttlSeconds: number };

/** The leeway given to clocks on a token's times, in seconds (as jose is told). */
const CLOCK_TOLERANCE = 5;

export class TokenService {
  private readonly activeClient;
  /** Verified tokens and clients' standings (auth/credential-cache.ts); forget() on any change to them. */
  readonly cache = new CredentialCache<Claims, Standing>();

  constructor(
    db: Db,
    private readonly keys: SigningKeyStore,
    private readonly opts: TokenServiceOptions,
  ) {
    // Checked on every request so a revoked client's tokens stop at once; prepared because it is hot.
    this.activeClient = db
      .select({ authorityId: clients.authorityId, role: clients.role, authorityStatus: authorities.status })
      .from(clients)
      .innerJoin(authorities, eq(authorities.id, clients.authorityId))
      .where(
        and(
          eq(clients.id, sql.placeholder('id')),
          eq(clients.status, 'active'),
          // A suspended authority's token still identifies it, so that it can be told why it is refused.
          inArray(authorities.status, ['active', 'suspended']),
        ),
      )
      .prepare('ccx_active_client');
  }

  get ttlSeconds(): number {
    return this.opts.ttlSeconds;
  }

  async issue(client: {
    clientId: string;
    authorityId: string;
    role: Role;
  }): Promise<{ token: string; expiresIn: number }> {
    const { kid, key } = await this.keys.signingKey();
    const token = await new SignJWT({
      client_id: client.clientId,
      authority: client.authorityId,
      role: client.role,
    })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.opts.issuer)
      .setAudience(this.opts.audience)
      .setSubject(client.clientId)
      .setIssuedAt()
      .setExpirationTime(`${this.opts.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(key);
    return { token, expiresIn: this.opts.ttlSeconds };
  }

  /**
   * Verifies a bearer token; throws InvalidTokenError (with an internal reason for the log) on any
   * failure. A token verified before is known by its hash until it expires: its signature is not
   * checked again, but its client's standing is asked every time (from the cache, which forgets it
   * the moment it changes).
   */
  async verify(token: string): Promise<ClientPrincipal> {
    const key = CredentialCache.keyOf(token);
    const known = this.cache.claims(key, Date.now());
    if (known) return this.principalOf(known);
    let payload: unknown;
    try {
      payload = await this.verifiedPayload(token);
    } catch (err) {
      if (!(err instanceof joseErrors.JWTExpired)) throw err;
      const { exp } = err.payload;
      if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) throw new InvalidTokenError('bad exp');
      // Expired: verified again as of a second before its expiry, and through the client check, so
      // that "expired" is only ever said of a token that is ours in every other respect.
      await this.principalOf(this.claimsOf(await this.verifiedPayload(token, new Date((exp - 1) * 1000))));
      throw new InvalidTokenError(TOKEN_EXPIRED);
    }
    const claims = this.claimsOf(payload);
    // Kept until it expires as jose would judge it (the same clock tolerance); then verified afresh,
    // which says "expired".
    const exp = (payload as { exp: number }).exp;
    this.cache.rememberClaims(key, claims, (exp + CLOCK_TOLERANCE) * 1000);
    return this.principalOf(claims);
  }

  /** The claims of a token whose signature, type, issuer, audience and times hold (at `currentDate`, else now). */
  private async verifiedPayload(token: string, currentDate?: Date): Promise<unknown> {
    try {
      const result = await jwtVerify(
        token,
        async (header: JWTHeaderParameters) => {
          if (!header.kid) throw new InvalidTokenError('no kid');
          const key = await this.keys.verificationKey(header.kid);
          if (!key) throw new InvalidTokenError('unknown kid');
          return key;
        },
        {
          algorithms: [SIGNING_ALG],
          issuer: this.opts.issuer,
          audience: this.opts.audience,
          typ: 'at+jwt',
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
          clockTolerance: CLOCK_TOLERANCE,
          ...(currentDate ? { currentDate } : {}),
        },
      );
      return result.payload;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      // Left as it is for verify() to tell apart; any other failure is "not valid".
      if (err instanceof joseErrors.JWTExpired && err.code === 'ERR_JWT_EXPIRED' && err.claim === 'exp')
        throw err;
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(err.code);
      throw err;
    }
  }

  /** The claims of a verified payload, when they are ours in form. */
  private claimsOf(payload: unknown): Claims {
    const claims = zClaims.safeParse(payload);
    if (!claims.success || claims.data.sub !== claims.data.client_id)
      throw new InvalidTokenError('bad claims');
    return claims.data;
  }

  /** The principal of verified claims, while the client and its authority are active and still match them. */
  private async principalOf(claims: Claims): Promise<ClientPrincipal> {
    const row = await this.cache.standing(claims.sub, async () => {
      const [found] = await this.activeClient.execute({ id: claims.sub });
      return found ?? null;
    });
    if (!row) throw new InvalidTokenError('client revoked or authority inactive');
    if (row.authorityId !== claims.authority || row.role !== claims.role) {
      throw new InvalidTokenError('claims do not match client');
    }
    return {
      clientId: claims.sub,
      authorityId: row.authorityId,
      role: claims.role,
      tokenId: claims.jti,
      ...(row.authorityStatus === 'suspended' ? { authoritySuspended: true } : {}),
    };
  }
}
