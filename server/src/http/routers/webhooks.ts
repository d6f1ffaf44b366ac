import { z } from 'zod';
import {
  zDelivery,
  zWebhook,
  zWebhookById,
  zWebhookCreate,
  zWebhookDeliveries,
  zWebhookResend,
  zWebhookWithSecret,
} from '@ccx/schema';
import { idempotent } from '../../domain/idempotency.js';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  resendDelivery,
  rotateWebhookSecret,
  sendResentTest,
  testWebhook,
} from '../../domain/webhooks/webhooks.js';
import { roleProcedure, router } from '../trpc.js';

export const webhooksRouter = router({
  create: roleProcedure('admin')
    .input(zWebhookCreate)
    .output(zWebhookWithSecret)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'webhooks.create', input, () =>
          createWebhook(tx, ctx.actor, ctx.hub.config, input),
        ),
      ),
    ),
  list: roleProcedure('admin')
    .output(z.array(zWebhook))
    .query(({ ctx }) => listWebhooks(ctx.db, ctx.actor)),
  delete: roleProcedure('admin')
    .input(zWebhookById)
    .output(zWebhook)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => deleteWebhook(tx, ctx.actor, input.id))),
  rotateSecret: roleProcedure('admin')
    .input(zWebhookById)
    .output(zWebhookWithSecret)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => rotateWebhookSecret(tx, ctx.actor, ctx.hub.config, input.id)),
    ),
  // Sends a signed ping now; the answer says whether the receiver accepted it.
  test: roleProcedure('admin')
    .input(zWebhookById)
    .output(zDelivery.extend({ ok: z.boolean() }))
    .mutation(({ ctx, input }) => testWebhook(ctx.db, ctx.actor, ctx.hub.config, input.id)),
  deliveries: roleProcedure('admin')
    .input(zWebhookDeliveries)
    .output(z.array(zDelivery))
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.actor, input)),
  resend: roleProcedure('admin')
    .input(zWebhookResend)
    .output(zDelivery)
    .mutation(async ({ ctx, input }) => {
      const resent = await ctx.db.transaction((tx) => resendDelivery(tx, ctx.actor, input));
      // A test ping is not in the event queue: it goes again now, outside the transaction.
      return resent.eventType === 'webhook.test'
        ? sendResentTest(ctx.db, ctx.actor, ctx.hub.config, input)
        : resent;
    }),
});
