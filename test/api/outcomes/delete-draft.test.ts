// Deleting a draft outcome: its author (any officer of the authority that wrote it) deletes it, audited
// and with no event; another authority cannot tell it exists (404); a viewer is refused; a published
// outcome is withdrawn, not deleted (409, saying so); a stale version is a conflict.
import { sql } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { expectTRPCError, outcomeInput, publishOutcome, queryRows, test } from '../../support/harness.js';
import { detail, NOW } from './fixtures.js';

test.override({ clockAt: NOW });

const auditOf = (h: { db: Parameters<typeof queryRows>[0] }, id: string) =>
  queryRows<{ action: string; authority_id: string; client_id: string | null }>(
    h.db,
    // The writes on the record (reads of lists that name it are audited too, and left out here).
    sql`select action, authority_id, client_id from audit_log where ${id} = any(record_ids)
          and action not in ('outcome.list', 'outcome.get') order by id`,
  );

const rowsOf = (h: { db: Parameters<typeof queryRows>[0] }, id: string) =>
  queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from outcomes where id = ${id}::uuid`);

const eventsOf = (h: { db: Parameters<typeof queryRows>[0] }, id: string) =>
  queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from events where record_id = ${id}::uuid`);

describe('outcomes.deleteDraft', () => {
  test("deletes the author's draft, by another officer of the same authority, audited and with no event", async ({
    h,
    w,
  }) => {
    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const colleague = (await h.makeClient(w.lead.id, 'officer', 'another lead officer')).principal;
    const answer = await h.caller(colleague).outcomes.deleteDraft({ id: draft.id, version: draft.version });
    expect(answer).toEqual({ id: draft.id, deleted: true });

    expect((await rowsOf(h, draft.id))[0]!.n).toBe(0);
    await expectTRPCError(h.caller(w.lead.officer).outcomes.get({ id: draft.id }), 'NOT_FOUND');
    const drafts = await h.caller(w.lead.officer).outcomes.list({ includeDrafts: true });
    expect(drafts.items.map((o) => ('id' in o ? o.id : null))).not.toContain(draft.id);
    const audit = await auditOf(h, draft.id);
    expect(audit.map((a) => a.action)).toEqual(['outcome.create', 'outcome.delete-draft']);
    expect(audit[1]).toMatchObject({ authority_id: w.lead.id, client_id: colleague.clientId });
    expect((await eventsOf(h, draft.id))[0]!.n).toBe(0);

    // Gone: a second delete answers 404.
    await expectTRPCError(
      h.caller(w.lead.officer).outcomes.deleteDraft({ id: draft.id, version: draft.version }),
      'NOT_FOUND',
    );
  });

  test("another authority's officer gets 404, as if there were no draft; a viewer of the author is refused", async ({
    h,
    w,
  }) => {
    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const other = await expectTRPCError(
      h.caller(w.host.officer).outcomes.deleteDraft({ id: draft.id, version: draft.version }),
      'NOT_FOUND',
    );
    const none = await expectTRPCError(
      h
        .caller(w.host.officer)
        .outcomes.deleteDraft({ id: '00000000-0000-4000-8000-000000000000', version: 1 }),
      'NOT_FOUND',
    );
    expect(other.message.replace(draft.id, 'ID')).toBe(none.message.replace(/[0-9a-f-]{36}/, 'ID'));
    const viewer = (await h.makeClient(w.lead.id, 'viewer')).principal;
    const refused = await expectTRPCError(
      h.caller(viewer).outcomes.deleteDraft({ id: draft.id, version: draft.version }),
      'FORBIDDEN',
    );
    expect(refused.message).toMatch(/officer role/);
    expect((await rowsOf(h, draft.id))[0]!.n).toBe(1);
    expect((await auditOf(h, draft.id)).map((a) => a.action)).toEqual(['outcome.create']);
  });

  test('a published outcome is refused with what to do instead; a stale version is a conflict', async ({
    h,
    w,
  }) => {
    const published = await publishOutcome(h, w.lead.officer, w.provision.id);
    const refused = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.deleteDraft({ id: published.id, version: published.version }),
      'CONFLICT',
    );
    expect(refused.message).toMatch(/only a draft can be deleted; a published outcome is withdrawn instead/);
    expect((await rowsOf(h, published.id))[0]!.n).toBe(1);
    // Another authority may not delete (or learn more of) a published outcome either.
    await expectTRPCError(
      h.caller(w.member.officer).outcomes.deleteDraft({ id: published.id, version: published.version }),
      'FORBIDDEN',
    );

    const draft = detail(await h.caller(w.lead.officer).outcomes.create(outcomeInput(w.provision.id)));
    const edited = detail(
      await h.caller(w.lead.officer).outcomes.amend({
        id: draft.id,
        version: draft.version,
        reason: 'typo',
        changes: { summary: 'better words' },
      }),
    );
    const stale = await expectTRPCError(
      h.caller(w.lead.officer).outcomes.deleteDraft({ id: draft.id, version: draft.version }),
      'CONFLICT',
    );
    expect(stale.message).toMatch(new RegExp(`${edited.version}`));
    expect((await rowsOf(h, draft.id))[0]!.n).toBe(1);
    await h.caller(w.lead.officer).outcomes.deleteDraft({ id: draft.id, version: edited.version });
    expect((await rowsOf(h, draft.id))[0]!.n).toBe(0);
  });
});
