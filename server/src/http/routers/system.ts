// The authenticated no-op: proves a token and the path to the hub work, and touches no record.
// Its cost is the floor under every other call (transport, token check), so benchmarks measure against it.
import { z } from 'zod';
import { zAuthorityId } from '@ccx/schema';
import { authedProcedure, router } from '../trpc.js';

const zPong = z.object({
  ok: z.literal(true),
  authorityId: zAuthorityId,
  clientId: z.string().nullable(),
  personId: z.string().nullable(),
  at: z.iso.datetime().describe("the hub's clock"),
});

export const systemRouter = router({
  ping: authedProcedure.output(zPong).query(({ ctx }) => ({
    ok: true as const,
    authorityId: ctx.principal.authorityId,
    clientId: ctx.principal.clientId,
    personId: ctx.principal.personId ?? null,
    at: ctx.actor.now.toISOString(),
  })),
});
