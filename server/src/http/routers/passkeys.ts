// Passkeys: a signed-in person registers, lists and removes their own; anyone may sign in with one.
// The sign-in calls are the way in, so open to all, but like auth.signIn they must come from the
// hub's own pages; a refused sign-in tells the caller one thing and the log the reason.
import { z } from 'zod';
import {
  zPasskey,
  zPasskeyRef,
  zPasskeyRegister,
  zPasskeyRegistrationOptions,
  zPasskeySignIn,
  zPasskeySignInOptions,
  zPasskeySignInStart,
  zSignedIn,
} from '@ccx/schema';
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  relyingPartyFor,
  removePasskey,
  signInWithPasskey,
  type PasskeyActor,
} from '../../domain/people/passkeys.js';
import { AppError } from '../../shared/errors.js';
import type { Context } from '../context.js';
import { baseProcedure, middleware, router } from '../trpc.js';
import { fromHubPages, personProcedure, secondsUntil, setSession, signInContext } from './auth.js';

/** Logs why a passkey call was refused: the caller is told only the generic words. */
const logRefusals = middleware(async ({ ctx, path, next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const reason = result.error.cause.details?.reason;
    if (typeof reason === 'string') ctx.log.info({ path, reason }, 'passkey refused');
  }
  return result;
});

/** Options for a sign-in cost a row each: one address asking too often is slowed like a client. */
const rateLimitedByAddress = middleware(({ ctx, next }) => {
  const ip = ctx.req?.ip;
  if (ip) {
    const rate = ctx.hub.rateLimiter.take(`passkey-sign-in:${ip}`);
    if (!rate.ok) {
      ctx.res?.setHeader('Retry-After', String(rate.retryAfterSeconds));
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `too many passkey sign-ins from this address; retry after ${rate.retryAfterSeconds} s`,
      );
    }
  }
  return next();
});

const publicProcedure = baseProcedure.use(fromHubPages).use(logRefusals);
const ownProcedure = personProcedure.use(logRefusals);

const actorOf = (ctx: {
  personId: string;
  principal: { sessionHandle?: string | undefined };
  actor: { authorityId: string; now: Date };
  requestId: string;
}): PasskeyActor => ({
  personId: ctx.personId,
  authorityId: ctx.actor.authorityId,
  sessionHandle: ctx.principal.sessionHandle ?? null,
  requestId: ctx.requestId,
  now: ctx.actor.now,
});

const relyingParty = (ctx: Context) => relyingPartyFor(ctx.hub.config.issuer);

export const passkeysRouter = router({
  registrationOptions: ownProcedure
    .output(zPasskeyRegistrationOptions)
    .mutation(({ ctx }) => passkeyRegistrationOptions(ctx.db, actorOf(ctx), relyingParty(ctx))),
  register: ownProcedure
    .input(zPasskeyRegister)
    .output(zPasskey)
    .mutation(({ ctx, input }) => registerPasskey(ctx.db, actorOf(ctx), relyingParty(ctx), input)),
  list: ownProcedure.output(z.array(zPasskey)).query(({ ctx }) => listPasskeys(ctx.db, ctx.personId)),
  remove: ownProcedure
    .input(zPasskeyRef)
    .output(zPasskey)
    .mutation(({ ctx, input }) => removePasskey(ctx.db, actorOf(ctx), input.id)),
  signInOptions: publicProcedure
    .use(rateLimitedByAddress)
    .input(zPasskeySignInStart)
    .output(zPasskeySignInOptions)
    .mutation(({ ctx, input }) => passkeySignInOptions(signInContext(ctx), relyingParty(ctx), input.email)),
  signIn: publicProcedure
    .input(zPasskeySignIn)
    .output(zSignedIn)
    .mutation(async ({ ctx, input }) => {
      const { secret, signedIn } = await signInWithPasskey(
        signInContext(ctx),
        relyingParty(ctx),
        ctx.sessionSecret,
        input,
      );
      setSession(ctx, secret, secondsUntil(ctx, signedIn.session.expiresAt));
      return signedIn;
    }),
});
