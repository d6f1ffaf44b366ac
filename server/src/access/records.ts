// The policy's view of any record: who published it, what it is about (a provision or a whole
// provider), whether it is restricted, and whether its type has a summary layer.
import { eq } from 'drizzle-orm';
import type { RecordType } from '@ccx/schema';
import type { Db } from '../db/index.js';
import { concerns, outcomes, restrictions } from '../db/schema/index.js';
import type { PolicyRecord } from './policy.js';

export type RecordRef = PolicyRecord & {
  type: RecordType;
  provisionId: string | null;
  providerId: string | null;
};

export const policyRecordFor = async (
  db: Db,
  type: RecordType,
  id: string,
): Promise<RecordRef | undefined> => {
  switch (type) {
    case 'outcome': {
      const [r] = await db
        .select({
          provisionId: outcomes.provisionId,
          authorityId: outcomes.authorityId,
          status: outcomes.status,
          restricted: outcomes.restricted,
        })
        .from(outcomes)
        .where(eq(outcomes.id, id));
      if (!r) return undefined;
      return {
        type,
        id,
        provisionId: r.provisionId,
        providerId: null,
        publisherAuthorityId: r.authorityId,
        status: r.status as PolicyRecord['status'],
        restricted: r.restricted,
        scope: { provisionId: r.provisionId },
      };
    }
    case 'restriction': {
      const [r] = await db
        .select({
          provisionId: restrictions.provisionId,
          providerId: restrictions.providerId,
          issuer: restrictions.issuerAuthorityId,
          restricted: restrictions.restricted,
        })
        .from(restrictions)
        .where(eq(restrictions.id, id));
      if (!r) return undefined;
      return {
        type,
        id,
        provisionId: r.provisionId,
        providerId: r.providerId,
        publisherAuthorityId: r.issuer,
        status: 'published',
        restricted: r.restricted,
        scope: r.provisionId ? { provisionId: r.provisionId } : { providerId: r.providerId! },
      };
    }
    case 'concern': {
      const [r] = await db
        .select({
          provisionId: concerns.provisionId,
          authorityId: concerns.authorityId,
          restricted: concerns.restricted,
        })
        .from(concerns)
        .where(eq(concerns.id, id));
      if (!r) return undefined;
      return {
        type,
        id,
        provisionId: r.provisionId,
        providerId: null,
        publisherAuthorityId: r.authorityId,
        status: 'published',
        restricted: r.restricted,
        scope: { provisionId: r.provisionId },
        hasSummary: false,
      };
    }
  }
};
