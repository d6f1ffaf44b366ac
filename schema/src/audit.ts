// The audit log: who did or read what, on what basis, when — one hash chain per authority.
import { z } from 'zod';
import { zActorRef, zAuthorityRef, zProvisionRef } from './refs.js';
import { zAuthorityId } from './authorities.js';
import { zId, zInput, zPageInput, zPage, zTimestamp } from './common.js';

export const zAuditEntry = z.object({
  authorityId: zAuthorityId,
  authority: zAuthorityRef.optional(),
  seq: z.number().int(),
  at: zTimestamp,
  clientId: z.string().nullable().describe('the API client that acted (null when a person did)'),
  /** The client's name beside its id. */
  client: zActorRef.nullable().optional(),
  personId: z
    .string()
    .nullable()
    .describe('the person who acted, signed in with a session (null when an API client did)'),
  /** The person's name beside its id. */
  person: zActorRef.nullable().optional(),
  action: z.string(),
  recordType: z.string().nullable(),
  recordIds: z.array(z.string()),
  provisionIds: z.array(z.string()),
  provisions: z.array(zProvisionRef).optional(),
  basis: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
  redacted: z
    .boolean()
    .optional()
    .describe(
      "true on another authority's entry cut down to the records you may know of: its recordIds and details omit the rest, so it no longer matches its hash",
    ),
});
export type AuditEntry = z.infer<typeof zAuditEntry>;

export const AUDIT_SCOPES = ['mine', 'reads-of-my-records', 'reads-at-my-provisions'] as const;
export const zAuditList = zPageInput.extend({
  scope: z.enum(AUDIT_SCOPES).default('mine'),
  recordId: zId.optional(),
  action: z.string().max(60).optional(),
});
export const zAuditPage = zPage(zAuditEntry);

export const zAuditVerifyInput = zInput({ authorityId: zAuthorityId.optional() }).default({});
export const zAuditVerifyResult = z.object({
  authorityId: zAuthorityId,
  entries: z.number().int(),
  ok: z.boolean(),
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
});

export const zAuditHeadExport = z.object({
  authorityId: zAuthorityId,
  seq: z.number().int(),
  hash: z.string(),
  /** A compact JWS over the head, signed with the hub's key (verify against /.well-known/jwks.json). */
  jws: z.string(),
});
