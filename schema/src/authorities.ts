import { z } from 'zod';
import { zEmail, zIdempotencyKey, zInput, zName, zRecordMeta, zVersion } from './common.js';
import { zMembershipStatus, zRegion } from './enums.js';

/** Authority ids are short slugs, `medway`, `north-tyneside`. */
export const zAuthorityId = z
  .string()
  .min(2)
  .max(60)
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'must be a lower-case slug such as "north-tyneside"');

/** ONS Government Statistical Service code of a local authority, `E06000035`. */
export const zGssCode = z
  .string()
  .regex(
    /^E(?:0[6-9]|10)\d{6}$/,
    'must be an English local authority GSS code such as E06000035 or E10000016',
  );

export const zAuthority = z.object({
  id: zAuthorityId,
  name: zName,
  gssCode: zGssCode.nullable(),
  region: zRegion,
  status: zMembershipStatus,
  qaInbox: zEmail,
  isHost: z.boolean(),
  ...zRecordMeta,
});
export type Authority = z.infer<typeof zAuthority>;

export const zAuthorityCreate = zInput({
  id: zAuthorityId,
  name: zName,
  gssCode: zGssCode.optional(),
  region: zRegion,
  qaInbox: zEmail,
  idempotencyKey: zIdempotencyKey.optional(),
});
export type AuthorityCreate = z.infer<typeof zAuthorityCreate>;

export const zAuthorityUpdate = zInput({
  id: zAuthorityId,
  version: zVersion,
  name: zName.optional(),
  gssCode: zGssCode.nullable().optional(),
  region: zRegion.optional(),
  status: zMembershipStatus.optional(),
  qaInbox: zEmail.optional(),
  idempotencyKey: zIdempotencyKey.optional(),
});
export type AuthorityUpdate = z.infer<typeof zAuthorityUpdate>;

export const zAuthorityGet = zInput({ id: zAuthorityId });
export const zAuthorityList = zInput({ status: zMembershipStatus.optional() }).default({});
