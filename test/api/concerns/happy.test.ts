// Concerns ("QA cases"), what works: any member logs a concern about a provision, reads it back in
// detail as its own, and the log is audited.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { queryRows, uniq } from '../../support/harness.js';
import { list, log, NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

describe('concerns.log', () => {
  test('any member logs a concern, seen in detail by itself and audited', async ({ h, w }) => {
    const summary = `bruising not recorded ${uniq()}`;
    const view = await log(h, w.member.officer, w.provision.id, {
      category: 'safeguarding',
      level: 'level-2',
      occurredOn: '2026-06-14',
      summary,
    });
    expect(view).toEqual({
      layer: 'detail',
      id: expect.any(String) as unknown,
      provisionId: w.provision.id,
      provision: { id: w.provision.id, urn: w.provision.urn, name: w.provision.name },
      loggedByAuthorityId: w.member.id,
      loggedByAuthority: { id: w.member.id, name: `Council ${w.member.id}` },
      category: 'safeguarding',
      level: 'level-2',
      occurredOn: '2026-06-14',
      summary,
      restricted: false,
      status: 'open',
      counts: true,
      significant: true,
      closedReason: null,
      version: 1,
      createdAt: expect.any(String) as unknown,
      updatedAt: expect.any(String) as unknown,
      history: [
        expect.objectContaining({
          version: 1,
          change: 'logged',
          note: null,
          level: 'level-2',
          status: 'open',
        }),
      ],
    });
    const [entry] = await queryRows<{ basis: string; authority_id: string }>(
      h.hub.database.db,
      sql`select basis, authority_id from audit_log where action = 'concern.log' and ${view.id} = any(record_ids)`,
    );
    expect(entry).toEqual({ basis: 'publisher', authority_id: w.member.id });
    // It is the logging authority's own: it reads it back even with no other basis at the setting.
    const mine = await list(h, w.member.officer, w.provision.id);
    expect(mine.items).toContainEqual(view);
  });
});
