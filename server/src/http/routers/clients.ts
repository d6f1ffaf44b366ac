import { z } from 'zod';
import { zClient, zClientCreate, zClientCreated, zClientList, zClientRevoke } from '@ccx/schema';
import { createClient, listClients, revokeClient } from '../../domain/clients/clients.js';
import { roleProcedure, router } from '../trpc.js';

export const clientsRouter = router({
  create: roleProcedure('admin')
    .input(zClientCreate)
    .output(zClientCreated)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => createClient(tx, ctx.actor, input))),
  list: roleProcedure('admin')
    .input(zClientList)
    .output(z.array(zClient))
    .query(({ ctx, input }) => listClients(ctx.db, ctx.actor, input)),
  revoke: roleProcedure('admin')
    .input(zClientRevoke)
    .output(zClient)
    .mutation(async ({ ctx, input }) => {
      const revoked = await ctx.db.transaction((tx) => revokeClient(tx, ctx.actor, input.id));
      // Its tokens stop now, in every hub process, before this answer says they have.
      await ctx.hub.credentials.changed();
      return revoked;
    }),
});
