import { z } from 'zod';
import { zAuthorityRef } from './refs.js';
import { zInput, zName, zTimestamp } from './common.js';
import { zAuthorityId } from './authorities.js';
import { zClientStatus, zRole } from './enums.js';

export const zClientId = z.string().regex(/^ccx_[a-z0-9]{20}$/, 'must be a client id such as ccx_…');

export const zClient = z.object({
  id: zClientId,
  authorityId: zAuthorityId,
  /** The authority's name beside its id (in lists). */
  authority: zAuthorityRef.optional(),
  name: zName,
  role: zRole,
  status: zClientStatus,
  createdAt: zTimestamp,
  revokedAt: zTimestamp.nullable(),
  lastUsedAt: zTimestamp.nullable(),
});
export type Client = z.infer<typeof zClient>;

export const zClientCreate = zInput({
  /** Defaults to the caller's own authority; only a hub-admin may name another. */
  authorityId: zAuthorityId.optional(),
  name: zName,
  role: zRole,
});
export type ClientCreate = z.infer<typeof zClientCreate>;

/** Returned once, at creation: the secret is never shown again. */
export const zClientCreated = z.object({ client: zClient, clientSecret: z.string() });
export type ClientCreated = z.infer<typeof zClientCreated>;

export const zClientList = zInput({ authorityId: zAuthorityId.optional() }).default({});
export const zClientRevoke = zInput({ id: zClientId });
