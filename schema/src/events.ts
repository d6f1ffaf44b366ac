// Events: what changed, for the pull feed, live subscriptions and webhooks — each filtered by need-to-know.
import { z } from 'zod';
import { zAuthorityId } from './authorities.js';
import { zId, zIdempotencyKey, zInput, zTimestamp } from './common.js';
import { zProviderRef, zProvisionRef } from './refs.js';
import { SIGNAL_EVENT_TYPES } from './signals.js';

export const EVENT_TYPES = [
  'outcome.published',
  'outcome.amended',
  'outcome.withdrawn',
  'restriction.created',
  'restriction.updated',
  'restriction.lifted',
  'restriction.expired',
  'concern.logged',
  'concern.updated',
  'concern.closed',
  'allocation.changed',
  'access.prospective-granted',
  'access.prospective-expired',
  'provision.ofsted-grade-changed',
  'provision.registration-changed',
  'directory.correction-proposed',
  'directory.correction-decided',
  'directory.merged',
  'monitoring.overdue',
  // What a signal-layer recipient receives in place of a restricted record's own events: its start
  // (created, published, logged) and its end (lifted, expired, withdrawn, closed), with one signalId.
  ...SIGNAL_EVENT_TYPES,
  'deadline.action-overdue',
  'deadline.compliance-overdue',
  'deadline.review-overdue',
] as const;
export const zEventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof zEventType>;

/** The event as a recipient sees it: `data` is at the recipient's layer (detail, summary or the neutral signal). */
export const zEvent = z.object({
  id: z.string().describe('monotonic event id; pass the last one you saw as `since` or Last-Event-ID'),
  type: zEventType,
  at: zTimestamp,
  layer: z.enum(['detail', 'summary', 'signal']),
  provisionId: zId.nullable(),
  /** The setting's URN and name (directory facts, at every layer). */
  provision: zProvisionRef.nullable().optional(),
  providerId: zId.nullable(),
  provider: zProviderRef.nullable().optional(),
  recordType: z.string().nullable(),
  /** Null for a restricted-information signal: the record is not the recipient's to know. */
  recordId: zId.nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type CcxEvent = z.infer<typeof zEvent>;

export const EVENTS_PAGE_MAX = 500;
export const zEventsList = zInput({
  since: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an event id as returned by the feed')
    .optional()
    .describe('return events after this id; omit to start from the beginning'),
  latest: z
    .number()
    .int()
    .min(1)
    .max(EVENTS_PAGE_MAX)
    .optional()
    .describe('instead of `since`: the newest N events you may see, oldest first (like tail)'),
  limit: z.number().int().min(1).max(EVENTS_PAGE_MAX).default(100),
  types: z.array(zEventType).max(EVENT_TYPES.length).optional(),
}).refine((q) => q.since === undefined || q.latest === undefined, {
  message: 'give since or latest, not both',
  path: ['latest'],
});
export const zEventsPage = z.object({ items: z.array(zEvent), nextSince: z.string().nullable() });

export const zEventsSubscribe = zInput({
  lastEventId: z
    .string()
    .regex(/^\d{1,18}$/)
    .nullish(),
  types: z.array(zEventType).max(EVENT_TYPES.length).optional(),
}).default({});

export const zWebhook = z.object({
  id: zId,
  authorityId: zAuthorityId,
  url: z.string(),
  eventTypes: z.array(zEventType),
  provisionIds: z.array(zId).nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: zTimestamp,
  secretRotatedAt: zTimestamp.nullable(),
});
export type Webhook = z.infer<typeof zWebhook>;

export const zWebhookCreate = zInput({
  url: z.url({ message: 'must be an absolute URL' }).max(2000, 'must be at most 2000 characters'),
  eventTypes: z.array(zEventType).min(1).max(EVENT_TYPES.length),
  provisionIds: z.array(zId).max(500).optional().describe('only events about these provisions'),
  idempotencyKey: zIdempotencyKey.optional(),
});
/** Returned once, at creation or rotation: the signing secret (`whsec_…`) is never shown again. */
export const zWebhookWithSecret = z.object({ webhook: zWebhook, secret: z.string() });

export const zWebhookById = zInput({ id: zId });
export const zWebhookDeliveries = zInput({ id: zId, limit: z.number().int().min(1).max(200).default(50) });
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;
export const zDelivery = z.object({
  id: zId,
  eventId: z.string(),
  eventType: zEventType.or(z.literal('webhook.test')),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: zTimestamp.nullable(),
  deliveredAt: zTimestamp.nullable(),
  createdAt: zTimestamp,
});
export const zWebhookResend = zInput({ id: zId, deliveryId: zId });
