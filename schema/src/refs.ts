// Names beside ids, in every answer that lists or reads records: beside `provisionId` a `provision`,
// beside `providerId` a `provider`, beside `authorityId` an `authority` and beside any `…AuthorityId`
// the same name without `Id` (`issuerAuthorityId` → `issuerAuthority`), beside `provisionIds` a list
// `provisions`. Directory facts: every member may know them, so a restricted signal carries its
// setting's too. Optional in the contract: a placement check's embedded records do not carry them.
import { z } from 'zod';
import { zAuthorityId } from './authorities.js';
import { zId } from './common.js';

export const zAuthorityRef = z.object({ id: zAuthorityId, name: z.string() });
export type AuthorityRef = z.infer<typeof zAuthorityRef>;

/** A setting as people name it: its Ofsted URN (null for a setting without one) and its name. */
export const zProvisionRef = z.object({ id: zId, urn: z.string().nullable(), name: z.string() });
export type ProvisionRef = z.infer<typeof zProvisionRef>;

export const zProviderRef = z.object({ id: zId, name: z.string() });
export type ProviderRef = z.infer<typeof zProviderRef>;

/** Who acted — a person or an API client — named beside the `personId` or `clientId` of an answer. */
export const zActorRef = z.object({ id: z.string(), name: z.string() });
export type ActorRef = z.infer<typeof zActorRef>;
