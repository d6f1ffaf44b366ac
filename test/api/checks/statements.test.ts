// What a placement check costs the database: its facts in one statement, whatever it asks for (one
// setting or several, by id, URN or a merged setting's id, with records read in detail and their
// histories), and its audit entry in one more. Counted at the driver: every statement the database
// clients are sent while the call runs (an async context of its own, so the hub's background work is
// not counted), on PGlite and on PostgreSQL (where the prepared statements have a pool of their own).
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect } from 'vitest';
import type { Db } from '@ccx/server';
import { preparedDatabaseOf } from '@ccx/server/testing';
import { NOW, test } from './fixtures.js';

test.override({ clockAt: NOW });

/** Runs a call and answers the statements it sent to `db`'s clients (postgres.js `unsafe`, PGlite `query`). */
const statementCounter = (db: Db) => {
  const calls = new AsyncLocalStorage<string[]>();
  const clients = new Set(
    [db, preparedDatabaseOf(db)].map((d) => (d as unknown as { $client: object }).$client),
  );
  for (const client of clients) {
    const methods = client as Record<string, unknown>;
    for (const name of ['unsafe', 'query']) {
      const original = methods[name];
      if (typeof original !== 'function') continue;
      methods[name] = (text: string, ...rest: unknown[]): unknown => {
        calls.getStore()?.push(text);
        return (original as (...args: unknown[]) => unknown).call(client, text, ...rest);
      };
    }
  }
  return async (call: () => Promise<unknown>): Promise<string[]> => {
    const sent: string[] = [];
    await calls.run(sent, call);
    return sent;
  };
};

const isFacts = (text: string) => text.includes('"checked_provision"');
const isAudit = (text: string) => /insert into "audit_log"/.test(text);

describe('a placement check', () => {
  test('reads its facts, histories included, in one statement, and appends its audit entry in one more', async ({
    h,
    lead,
    other,
    clearSetting,
    restrict,
    check,
  }) => {
    const statementsOf = statementCounter(h.db);
    const s = await clearSetting();
    // Read by the lead in detail: its outcome and its own restriction, each with a history.
    const own = await restrict(lead.officer, { providerId: s.providerId }, 'action-plan');
    await restrict(other.officer, { provisionId: s.provisionId }, 'embargo', { restricted: true });
    // The first check of a database reads the signal key once; the rest never again.
    await check(lead, s.provisionId);
    const ping = await statementsOf(() => h.caller(lead.officer).system.ping());
    let shown: Awaited<ReturnType<typeof check>> | undefined;
    const sent = await statementsOf(async () => {
      shown = await check(lead, s.provisionId);
    });

    expect(shown).toMatchObject({
      latestOutcome: { layer: 'detail', id: s.outcome!.id, history: [expect.anything()] },
      restrictions: [{ layer: 'detail', id: own.id, history: [expect.anything()] }],
    });
    expect(shown?.reasons.map((r) => r.code)).toContain('restricted-information');
    // What the authenticated no-op sends (nothing, today), and two more: the facts and the audit entry.
    expect(sent).toHaveLength(ping.length + 2);
    expect(sent.filter(isFacts)).toHaveLength(1);
    expect(sent.filter(isAudit)).toHaveLength(1);
  });

  test('of several settings, by id, URN and a merged setting’s id, is still one statement', async ({
    h,
    checker,
    clearSetting,
  }) => {
    const statementsOf = statementCounter(h.db);
    const a = await clearSetting();
    const b = await clearSetting();
    const merged = await clearSetting({ withLead: false });
    await h.caller(h.hubAdmin).provisions.merge({ survivorId: b.provisionId, mergedId: merged.provisionId });
    const items = [
      { provisionId: a.provisionId },
      { urn: b.urn },
      { provisionId: merged.provisionId },
      { provisionId: '00000000-0000-4000-8000-000000000000' },
    ];
    await h.caller(checker.officer).checks.placementMany({ items });
    let answered: { provisionId?: string; mergedFrom?: string; ok: boolean }[] = [];
    const sent = await statementsOf(async () => {
      answered = (await h.caller(checker.officer).checks.placementMany({ items })).results;
    });

    expect(answered).toMatchObject([
      { ok: true, provisionId: a.provisionId },
      { ok: true, provisionId: b.provisionId },
      { ok: true, provisionId: b.provisionId, mergedFrom: merged.provisionId },
      { ok: false },
    ]);
    expect(sent.filter(isFacts)).toHaveLength(1);
    expect(sent.filter(isAudit)).toHaveLength(1);
    expect(sent.filter((t) => !isFacts(t) && !isAudit(t))).toEqual(
      await statementsOf(() => h.caller(checker.officer).system.ping()),
    );
  });
});
