import { idempotent, withoutKey } from '../../domain/idempotency.js';
import { z } from 'zod';
import {
  zAuthority,
  zAuthorityCreate,
  zAuthorityGet,
  zAuthorityList,
  zAuthorityUpdate,
  zClient,
  zPerson,
} from '@ccx/schema';
import {
  createAuthority,
  getAuthority,
  listAuthorities,
  updateAuthority,
} from '../../domain/authorities/authorities.js';
import { getOwnClient } from '../../domain/clients/clients.js';
import { getPerson } from '../../domain/people/people.js';
import { authedProcedure, roleProcedure, router } from '../trpc.js';

/** The caller: an API client (client) or a person signed in with a session (person); the other is null. */
const zMe = z.object({ authority: zAuthority, client: zClient.nullable(), person: zPerson.nullable() });

export const authoritiesRouter = router({
  list: authedProcedure
    .input(zAuthorityList)
    .output(z.array(zAuthority))
    .query(({ ctx, input }) => listAuthorities(ctx.db, input)),
  get: authedProcedure
    .input(zAuthorityGet)
    .output(zAuthority)
    .query(({ ctx, input }) => getAuthority(ctx.db, input.id)),
  me: authedProcedure.output(zMe).query(async ({ ctx }) => ({
    authority: await getAuthority(ctx.db, ctx.principal.authorityId),
    client: ctx.principal.clientId ? await getOwnClient(ctx.db, ctx.principal.clientId) : null,
    person: ctx.principal.personId ? await getPerson(ctx.db, ctx.principal.personId) : null,
  })),
  create: roleProcedure('hub-admin')
    .input(zAuthorityCreate)
    .output(zAuthority)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'authorities.create', input, () =>
          createAuthority(tx, ctx.actor, withoutKey(input)),
        ),
      ),
    ),
  update: roleProcedure('hub-admin')
    .input(zAuthorityUpdate)
    .output(zAuthority)
    .mutation(async ({ ctx, input }) => {
      const updated = await ctx.db.transaction((tx) =>
        idempotent(tx, ctx.actor, 'authorities.update', input, () =>
          updateAuthority(tx, ctx.actor, withoutKey(input)),
        ),
      );
      // A suspension (or its end) holds for the authority's tokens now, in every hub process.
      await ctx.hub.credentials.changed();
      return updated;
    }),
});
