// Writing events: one outbox row per change, in the change's own transaction, carrying the record's
// summary and detail as they stood and what the access policy needs to decide who may receive it.
import type { EventType, RecordType } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { events } from '../db/schema/index.js';

export type EventInput = {
  type: EventType;
  at: Date;
  provisionId?: string | null;
  providerId?: string | null;
  summary: Record<string, unknown>;
  detail?: Record<string, unknown>;
} & (
  | {
      /** Decided per recipient by the access policy, as for the record itself. */
      audience: 'record';
      recordType: RecordType;
      recordId: string;
      publisherAuthorityId: string;
      restricted: boolean;
      /** A draft is its publisher's alone; absent means published. */
      recordStatus?: 'draft' | 'published' | 'amended' | 'withdrawn';
    }
  | { /** Directory facts every active member may know. */ audience: 'members' }
  | { /** Only these authorities, in detail. */ audience: 'authorities'; authorityIds: string[] }
);

export const emitEvent = async (tx: Db, e: EventInput): Promise<void> => {
  await tx.insert(events).values({
    type: e.type,
    at: e.at,
    audience: e.audience,
    audienceAuthorityIds: e.audience === 'authorities' ? e.authorityIds : [],
    recordType: e.audience === 'record' ? e.recordType : null,
    recordId: e.audience === 'record' ? e.recordId : null,
    publisherAuthorityId: e.audience === 'record' ? e.publisherAuthorityId : null,
    restricted: e.audience === 'record' ? e.restricted : false,
    recordStatus: e.audience === 'record' ? (e.recordStatus ?? 'published') : 'published',
    provisionId: e.provisionId ?? null,
    providerId: e.providerId ?? null,
    summary: e.summary,
    detail: e.detail ?? e.summary,
  });
};
