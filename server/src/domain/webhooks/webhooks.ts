// Webhook subscriptions of an authority: created by its admin with a signing secret shown once,
// listed, deleted, tested with a signed ping, secrets rotated with an overlap, deliveries inspected and resent.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { EventType, Webhook } from '@ccx/schema';
import { appendAudit } from '../../audit/index.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/index.js';
import { webhookDeliveries, webhooks } from '../../db/schema/index.js';
import { actedBy, auditActor, type Actor } from '../actor.js';
import { iso, isoOrNull } from '../pagination.js';
import { AppError, notFound } from '../../shared/errors.js';
import { attemptDelivery } from '../../events/deliver.js';
import { newWebhookSecret } from '../../events/signing.js';
import { checkWebhookUrl, isPrivateAddress, isLoopback } from '../../events/ssrf.js';
import { isIP } from 'node:net';

type WebhookRow = typeof webhooks.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  authorityId: r.authorityId,
  url: r.url,
  eventTypes: r.eventTypes as EventType[],
  provisionIds: r.provisionIds,
  status: r.status as Webhook['status'],
  createdAt: iso(r.createdAt),
  secretRotatedAt: isoOrNull(r.secretRotatedAt),
});

export const toDelivery = (d: DeliveryRow) => ({
  id: d.id,
  eventId: d.eventSeq === null ? 'test' : String(d.eventSeq),
  eventType: d.eventType as EventType | 'webhook.test',
  status: d.status as 'pending' | 'delivered' | 'failed' | 'dead',
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  nextAttemptAt: isoOrNull(d.nextAttemptAt),
  deliveredAt: isoOrNull(d.deliveredAt),
  createdAt: iso(d.createdAt),
});

const ownWebhook = async (tx: Db, actor: Actor, id: string): Promise<WebhookRow> => {
  const [row] = await tx
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)));
  // Another authority's webhook is answered as missing.
  if (!row || row.authorityId !== actor.authorityId) throw notFound(`webhook ${id}`);
  return row;
};

export const createWebhook = async (
  tx: Db,
  actor: Actor,
  config: Config,
  input: { url: string; eventTypes: EventType[]; provisionIds?: string[] | undefined },
): Promise<{ webhook: Webhook; secret: string }> => {
  const url = checkWebhookUrl(input.url, config.webhooks);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address is checked now; a name is checked each time it is resolved, at delivery.
  if (
    isIP(host) &&
    isPrivateAddress(host) &&
    !config.webhooks.allowPrivate &&
    !(config.webhooks.allowHttpLoopback && isLoopback(host))
  ) {
    throw new AppError(
      'VALIDATION',
      'url points at a private, loopback, link-local or reserved address, which the hub does not call',
    );
  }
  const secret = newWebhookSecret();
  const [row] = await tx
    .insert(webhooks)
    .values({
      authorityId: actor.authorityId,
      url: url.toString(),
      eventTypes: [...new Set(input.eventTypes)],
      provisionIds: input.provisionIds?.length ? input.provisionIds : null,
      secret,
      createdBy: actedBy(actor),
      // Start from the current head: a new subscription receives what happens from now on.
      cursor: sql`coalesce((select max(seq) from events), 0)`,
    })
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'webhook.create',
    recordType: 'webhook',
    recordIds: [row!.id],
    basis: actor.role,
    details: { url: row!.url, eventTypes: row!.eventTypes },
  });
  return { webhook: toWebhook(row!), secret };
};

export const listWebhooks = async (db: Db, actor: Actor): Promise<Webhook[]> =>
  (
    await db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.authorityId, actor.authorityId), isNull(webhooks.deletedAt)))
      .orderBy(desc(webhooks.createdAt))
  ).map(toWebhook);

export const deleteWebhook = async (tx: Db, actor: Actor, id: string): Promise<Webhook> => {
  await ownWebhook(tx, actor, id);
  const [row] = await tx
    .update(webhooks)
    .set({ deletedAt: actor.now, status: 'disabled' })
    .where(eq(webhooks.id, id))
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'webhook.delete',
    recordType: 'webhook',
    recordIds: [id],
    basis: actor.role,
  });
  return toWebhook(row!);
};

export const rotateWebhookSecret = async (
  tx: Db,
  actor: Actor,
  config: Config,
  id: string,
): Promise<{ webhook: Webhook; secret: string }> => {
  const current = await ownWebhook(tx, actor, id);
  const secret = newWebhookSecret();
  const [row] = await tx
    .update(webhooks)
    .set({
      secret,
      previousSecret: current.secret,
      previousSecretUntil: new Date(actor.now.getTime() + config.webhooks.secretOverlapSeconds * 1000),
      secretRotatedAt: actor.now,
    })
    .where(eq(webhooks.id, id))
    .returning();
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'webhook.rotate-secret',
    recordType: 'webhook',
    recordIds: [id],
    basis: actor.role,
  });
  return { webhook: toWebhook(row!), secret };
};

export const listDeliveries = async (db: Db, actor: Actor, input: { id: string; limit: number }) => {
  await ownWebhook(db, actor, input.id);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, input.id))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(input.limit);
  return rows.map(toDelivery);
};

export const resendDelivery = async (tx: Db, actor: Actor, input: { id: string; deliveryId: string }) => {
  await ownWebhook(tx, actor, input.id);
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: actor.now, leasedUntil: null, lastError: null })
    .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.webhookId, input.id)))
    .returning();
  if (!row) throw notFound(`delivery ${input.deliveryId}`);
  await appendAudit(tx, {
    ...auditActor(actor),
    action: 'webhook.resend',
    recordType: 'webhook',
    recordIds: [input.id, input.deliveryId],
    basis: actor.role,
  });
  return toDelivery(row);
};

/**
 * A resent test ping (resendDelivery made it pending again) is sent now, as webhooks.test sends one: the
 * delivery work carries only events, in their order, and would never pick it up.
 */
export const sendResentTest = async (
  db: Db,
  actor: Actor,
  config: Config,
  input: { id: string; deliveryId: string },
) => {
  const hook = await ownWebhook(db, actor, input.id);
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.webhookId, input.id)));
  if (!row) throw notFound(`delivery ${input.deliveryId}`);
  return toDelivery(await attemptDelivery(db, config, hook, row, actor.now, { finalOnFailure: true }));
};

/** Sends a signed ping at once and records it as a delivery. */
export const testWebhook = async (db: Db, actor: Actor, config: Config, id: string) => {
  const hook = await ownWebhook(db, actor, id);
  const messageId = `msg_test_${randomUUID()}`;
  const body = JSON.stringify({
    type: 'webhook.test',
    timestamp: actor.now.toISOString(),
    data: { webhookId: id, authorityId: actor.authorityId },
  });
  const [row] = await db
    .insert(webhookDeliveries)
    .values({
      webhookId: id,
      eventSeq: null,
      eventType: 'webhook.test',
      body,
      messageId,
      status: 'pending',
      nextAttemptAt: actor.now,
    })
    .returning();
  const result = await attemptDelivery(db, config, hook, row!, actor.now, { finalOnFailure: true });
  return { ...toDelivery(result), ok: result.status === 'delivered' };
};
