// Access tokens: RFC 9068 JWTs signed ES256 by the hub. Verification pins the algorithm, type,
// issuer and audience, then checks that the client and its authority are still active.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import { zAuthorityId, zRole, type Role } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { authorities, clients } from '../db/schema/index.js';
import { SIGNING_ALG, type SigningKeyStore } from './signing-keys.js';

/** Who is calling: one API client of one authority, with one role. */
export type Principal = {
  clientId: string;
  authorityId: string;
  role: Role;
  tokenId: string;
};

/** Raised for every token problem; its message is deliberately the same for all of them. */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  constructor(readonly reason: string) {
    super('invalid or expired access token');
  }
}

const zClaims = z.object({
  sub: z.string(),
  client_id: z.string(),
  authority: zAuthorityId,
  role: zRole,
  jti: z.string(),
});

export type TokenServiceOptions = { issuer: string; audience: string; ttlSeconds: number };

export class TokenService {
  private readonly activeClient;

  constructor(
    db: Db,
    private readonly keys: SigningKeyStore,
    private readonly opts: TokenServiceOptions,
  ) {
    // Checked on every request so a revoked client's tokens stop at once; prepared because it is hot.
    this.activeClient = db
      .select({ authorityId: clients.authorityId, role: clients.role })
      .from(clients)
      .innerJoin(authorities, eq(authorities.id, clients.authorityId))
      .where(
        and(
          eq(clients.id, sql.placeholder('id')),
          eq(clients.status, 'active'),
          eq(authorities.status, 'active'),
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

  /** Verifies a bearer token; throws InvalidTokenError (with an internal reason for the log) on any failure. */
  async verify(token: string): Promise<Principal> {
    let payload: unknown;
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
          clockTolerance: 5,
        },
      );
      payload = result.payload;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JOSEError) throw new InvalidTokenError(err.code);
      throw err;
    }
    const claims = zClaims.safeParse(payload);
    if (!claims.success || claims.data.sub !== claims.data.client_id)
      throw new InvalidTokenError('bad claims');
    const [row] = await this.activeClient.execute({ id: claims.data.sub });
    if (!row) throw new InvalidTokenError('client revoked or authority inactive');
    if (row.authorityId !== claims.data.authority || row.role !== claims.data.role) {
      throw new InvalidTokenError('claims do not match client');
    }
    return {
      clientId: claims.data.sub,
      authorityId: row.authorityId,
      role: claims.data.role,
      tokenId: claims.data.jti,
    };
  }
}
