// Webhook dispatch in two steps, each safe with several hub processes on one database:
// fan-out turns new events into per-webhook deliveries (a webhook is locked while its cursor moves),
// and delivery claims due deliveries with a lease (SKIP LOCKED), oldest event first per webhook, so a
// subscriber gets events in order; a worker that dies leaves its lease to expire and another retries.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { EventType } from '@ccx/schema';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { authorities, webhookDeliveries, webhooks } from '../db/schema/index.js';
import { attemptDelivery } from './deliver.js';
import { eventsVisibleTo } from './feed.js';

const FANOUT_BATCH = 500;

/** Moves every active webhook's cursor forward, creating its deliveries. Returns deliveries created. */
export const fanOut = async (db: Db, now: Date): Promise<number> => {
  let created = 0;
  // A suspended authority's webhooks wait (their cursors stay) until it is reinstated.
  const hooks = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .innerJoin(authorities, eq(authorities.id, webhooks.authorityId))
    .where(and(eq(webhooks.status, 'active'), isNull(webhooks.deletedAt), eq(authorities.status, 'active')));
  for (const { id } of hooks) {
    created += await db.transaction(async (tx) => {
      const [hook] = await tx
        .select()
        .from(webhooks)
        .where(eq(webhooks.id, id))
        .for('update', { skipLocked: true });
      if (!hook || hook.status !== 'active') return 0;
      // Fix the head first: events sequenced while this runs wait for the next round.
      const rows = await tx.execute(sql`select coalesce(max(seq), 0)::bigint as head from events`);
      const head = Number(
        ((Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows)[0] as { head: string | number })
          .head,
      );
      const batch = await eventsVisibleTo(tx, hook.authorityId, now, {
        sinceSeq: hook.cursor,
        untilSeq: head,
        limit: FANOUT_BATCH,
        types: hook.eventTypes as EventType[],
        provisionIds: hook.provisionIds,
      });
      // The cursor moves past every event up to the head, including ones this webhook does not get.
      const last = batch.length === FANOUT_BATCH ? Number(batch[batch.length - 1]!.id) : head;
      if (batch.length > 0) {
        await tx
          .insert(webhookDeliveries)
          .values(
            batch.map((e) => ({
              webhookId: hook.id,
              eventSeq: Number(e.id),
              eventType: e.type,
              messageId: `msg_${e.id}`,
              body: JSON.stringify({ type: e.type, timestamp: e.at, data: e }),
              status: 'pending',
              nextAttemptAt: now,
            })),
          )
          .onConflictDoNothing();
      }
      if (last > hook.cursor) await tx.update(webhooks).set({ cursor: last }).where(eq(webhooks.id, hook.id));
      return batch.length;
    });
  }
  return created;
};

const PER_WEBHOOK = 100;

/** Webhooks whose oldest pending delivery is due and not held by another worker. */
const dueWebhooks = async (db: Db, now: Date, limit: number): Promise<string[]> => {
  const rows = await db
    .selectDistinct({ webhookId: webhookDeliveries.webhookId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        sql`${webhookDeliveries.eventSeq} is not null`,
        sql`${webhookDeliveries.nextAttemptAt} <= ${now.toISOString()}::timestamptz`,
        sql`(${webhookDeliveries.leasedUntil} is null or ${webhookDeliveries.leasedUntil} < ${now.toISOString()}::timestamptz)`,
        sql`not exists (select 1 from webhook_deliveries older where older.webhook_id = ${webhookDeliveries.webhookId}
              and older.status = 'pending' and older.event_seq < ${webhookDeliveries.eventSeq})`,
        // Nothing is sent to a suspended (or departed) authority's webhooks; it waits for reinstatement.
        sql`exists (select 1 from webhooks w join authorities a on a.id = w.authority_id
              where w.id = ${webhookDeliveries.webhookId} and a.status = 'active')`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.webhookId);
};

/**
 * Claims the head of one webhook's queue — its oldest pending deliveries, in order, that are due and
 * not leased — under a lease. Nothing if another worker holds the head.
 */
const claimHead = async (db: Db, webhookId: string, now: Date, leaseMs: number, most: number) =>
  db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.webhookId, webhookId),
          eq(webhookDeliveries.status, 'pending'),
          sql`${webhookDeliveries.eventSeq} is not null`,
        ),
      )
      .orderBy(asc(webhookDeliveries.eventSeq))
      .limit(most)
      .for('update', { skipLocked: true });
    const [first] = rows;
    if (!first) return { claim: [], lease: null };
    // If an older delivery is locked by another worker, SKIP LOCKED hid it: then this is not the head.
    const older = await tx.execute(
      sql`select 1 from webhook_deliveries where webhook_id = ${webhookId} and status = 'pending' and event_seq < ${first.eventSeq} limit 1`,
    );
    if ((Array.isArray(older) ? older : (older as { rows: unknown[] }).rows).length > 0)
      return { claim: [], lease: null };
    const free = (d: (typeof rows)[number]) =>
      (d.nextAttemptAt === null || d.nextAttemptAt.getTime() <= now.getTime()) &&
      (d.leasedUntil === null || d.leasedUntil.getTime() < now.getTime());
    const claim: typeof rows = [];
    for (const d of rows) {
      if (!free(d)) break;
      claim.push(d);
    }
    if (claim.length === 0) return { claim: [], lease: null };
    const lease = new Date(now.getTime() + leaseMs);
    await tx
      .update(webhookDeliveries)
      .set({ leasedUntil: lease })
      .where(
        sql`${webhookDeliveries.id} in (${sql.join(
          claim.map((d) => sql`${d.id}::uuid`),
          sql`, `,
        )})`,
      );
    return { claim, lease };
  });

/** Delivers due webhook messages: per webhook in event order, stopping at the first failure. */
export const deliverDue = async (
  db: Db,
  config: Config,
  maxWebhooks = 8,
  /** Told the result of every attempt (for the hub's metrics). */
  onAttempt: (status: string) => void = () => undefined,
): Promise<number> => {
  const now = new Date();
  const ids = await dueWebhooks(db, now, maxWebhooks);
  let sent = 0;
  await Promise.all(
    ids.map(async (webhookId) => {
      const { claim, lease } = await claimHead(db, webhookId, now, config.webhooks.leaseMs, PER_WEBHOOK);
      if (claim.length === 0 || !lease) return;
      // Hands back deliveries not sent — only rows still under this worker's lease (another may have taken over).
      const release = async (from: number) => {
        const rest = claim.slice(from).map((r) => sql`${r.id}::uuid`);
        if (rest.length === 0) return;
        await db
          .update(webhookDeliveries)
          .set({ leasedUntil: null })
          .where(
            and(
              sql`${webhookDeliveries.id} in (${sql.join(rest, sql`, `)})`,
              eq(webhookDeliveries.leasedUntil, lease),
            ),
          );
      };
      // Start no send that could outlast the lease: a slow receiver must not let it lapse while this
      // worker still sends (another process would then send the same deliveries alongside).
      const stopAt = now.getTime() + config.webhooks.leaseMs - config.webhooks.timeoutSeconds * 1000 - 1000;
      const [hook] = await db.select().from(webhooks).where(eq(webhooks.id, webhookId));
      for (const [i, d] of claim.entries()) {
        if (i > 0 && Date.now() > stopAt) return release(i);
        if (!hook || hook.deletedAt) {
          await db
            .update(webhookDeliveries)
            .set({ status: 'dead', lastError: 'webhook deleted', leasedUntil: null })
            .where(eq(webhookDeliveries.id, d.id));
          continue;
        }
        const result = await attemptDelivery(db, config, hook, d, new Date());
        onAttempt(result.status === 'pending' ? 'retry' : result.status);
        sent++;
        // Keep the order: after a failure the rest wait until this one is retried.
        if (result.status !== 'delivered' && result.status !== 'dead') return release(i + 1);
      }
    }),
  );
  return sent;
};
