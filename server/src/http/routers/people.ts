// People and single sign-on, managed by each authority's admin (and the hub-admin for any authority).
import { z } from 'zod';
import {
  zIdentityProvider,
  zIdentityProviderGet,
  zIdentityProviderSet,
  zPeopleList,
  zPerson,
  zPersonInvite,
  zPersonInvited,
  zPersonRef,
  zPersonSetRole,
} from '@ccx/schema';
import {
  deactivatePerson,
  invitePerson,
  listPeople,
  reinvitePerson,
  setPersonRole,
  type MailSender,
} from '../../domain/people/people.js';
import {
  getIdentityProvider,
  removeIdentityProvider,
  setIdentityProvider,
} from '../../domain/people/single-sign-on.js';
import type { Context } from '../context.js';
import { AppError } from '../../shared/errors.js';
import { roleProcedure, router } from '../trpc.js';

/** Sends through the hub's mailer; a failure refuses the call, so nothing is saved that nobody was told of. */
const sender = (ctx: Context): MailSender | null => {
  const mailer = ctx.hub.mailer;
  if (!mailer) return null;
  return async (mail) => {
    try {
      await mailer.send(mail);
    } catch (err) {
      ctx.log.warn({ err }, 'invitation e-mail not sent');
      throw new AppError(
        'UNAVAILABLE',
        'the invitation could not be e-mailed, so nothing was saved; try again shortly (the hub log says why)',
      );
    }
  };
};

export const peopleRouter = router({
  invite: roleProcedure('admin')
    .input(zPersonInvite)
    .output(zPersonInvited)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        invitePerson(tx, ctx.actor, input, { issuer: ctx.hub.config.issuer, send: sender(ctx) }),
      ),
    ),
  reinvite: roleProcedure('admin')
    .input(zPersonRef)
    .output(zPersonInvited)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        reinvitePerson(tx, ctx.actor, input.id, { issuer: ctx.hub.config.issuer, send: sender(ctx) }),
      ),
    ),
  list: roleProcedure('admin')
    .input(zPeopleList)
    .output(z.array(zPerson))
    .query(({ ctx, input }) => listPeople(ctx.db, ctx.actor, input)),
  setRole: roleProcedure('admin')
    .input(zPersonSetRole)
    .output(zPerson)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => setPersonRole(tx, ctx.actor, input.id, input.role)),
    ),
  deactivate: roleProcedure('admin')
    .input(zPersonRef)
    .output(zPerson)
    .mutation(({ ctx, input }) => ctx.db.transaction((tx) => deactivatePerson(tx, ctx.actor, input.id))),
});

export const identityProvidersRouter = router({
  get: roleProcedure('admin')
    .input(zIdentityProviderGet)
    .output(zIdentityProvider.nullable())
    .query(({ ctx, input }) =>
      getIdentityProvider(ctx.db, ctx.actor, input.authorityId, ctx.hub.config.issuer),
    ),
  set: roleProcedure('admin')
    .input(zIdentityProviderSet)
    .output(zIdentityProvider)
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) =>
        setIdentityProvider(tx, ctx.actor, input, {
          issuer: ctx.hub.config.issuer,
          allowHttp: ctx.hub.config.oidcAllowHttp,
          oidc: ctx.hub.oidc,
        }),
      ),
    ),
  remove: roleProcedure('admin')
    .input(zIdentityProviderGet)
    .output(z.object({ removed: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => removeIdentityProvider(tx, ctx.actor, input.authorityId)),
    ),
});
