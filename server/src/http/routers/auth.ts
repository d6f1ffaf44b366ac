// Signing in and out as a person, for the hub's own pages: the password then the second factor, a
// link's set-up, single sign-on discovery, and a person's own sessions. The calls that sign in are
// open to anyone (they are the way in) but, like every call made with a session, must come from the
// hub's own pages (Origin and the custom header); the session itself travels only in its cookie.
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  zAcceptLink,
  zConfirmTotp,
  zEnrolled,
  zEnrolment,
  zPersonEmail,
  zSecondFactor,
  zSessionEnd,
  zSessionInfo,
  zSignedIn,
  zSignIn,
  zSignInStep,
  zSsoLookup,
  zSsoTarget,
} from '@ccx/schema';
import { getPerson } from '../../domain/people/people.js';
import { listPersonSessions } from '../../domain/people/sessions.js';
import {
  acceptLink,
  completeSecondFactor,
  confirmEnrolment,
  regenerateRecoveryCodes,
  signInWithPassword,
  signOut,
  type SignInContext,
} from '../../domain/people/sign-in.js';
import { ssoTargetFor } from '../../domain/people/single-sign-on.js';
import type { Context } from '../context.js';
import { clearCookie, crossSiteRefusal, sessionCookieName, setCookie } from '../session-cookie.js';
import { authedProcedure, baseProcedure, middleware, router } from '../trpc.js';

/** The sign-in calls refuse what did not come from the hub's own pages (a login CSRF included). */
export const fromHubPages = middleware(({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.req) {
    const refusal = crossSiteRefusal(ctx.req, ctx.hub.config.issuer);
    if (refusal) throw new TRPCError({ code: 'FORBIDDEN', message: refusal });
  }
  return next();
});

const publicProcedure = baseProcedure.use(fromHubPages);

/** Calls about the signed-in person's own sessions: a person's, never an API client's. */
export const personProcedure = authedProcedure.use(({ ctx, next }) => {
  const personId = ctx.principal.personId;
  if (!personId)
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'this call is for a person signed in with a session; an API client uses authorities.me',
    });
  return next({ ctx: { ...ctx, personId } });
});

/** The signed-in person as the sign-out and recovery-code calls name them. */
const actorOf = (ctx: {
  personId: string;
  actor: { authorityId: string; now: Date };
  requestId: string;
}) => ({
  personId: ctx.personId,
  authorityId: ctx.actor.authorityId,
  requestId: ctx.requestId,
  now: ctx.actor.now,
});

export const signInContext = (ctx: Context): SignInContext => ({
  db: ctx.db,
  now: ctx.hub.clock.now(),
  times: ctx.hub.config.sessions,
  throttle: ctx.hub.signInThrottle,
  requestId: ctx.requestId,
  ip: ctx.req?.ip ?? null,
  userAgent: ctx.req?.headers['user-agent'] ?? null,
});

export const setSession = (ctx: Context, secret: string, seconds: number): void => {
  if (ctx.res) setCookie(ctx.res, ctx.hub.config, sessionCookieName(ctx.hub.config), secret, seconds);
};

export const secondsUntil = (ctx: Context, at: Date | string): number =>
  Math.max(1, Math.ceil((new Date(at).getTime() - ctx.hub.clock.now().getTime()) / 1000));

export const authRouter = router({
  signIn: publicProcedure
    .input(zSignIn)
    .output(zSignInStep)
    .mutation(async ({ ctx, input }) => {
      const { secret, expiresAt } = await signInWithPassword(signInContext(ctx), input.email, input.password);
      setSession(ctx, secret, secondsUntil(ctx, expiresAt));
      return { next: 'second-factor' as const, expiresAt: expiresAt.toISOString() };
    }),
  secondFactor: publicProcedure
    .input(zSecondFactor)
    .output(zSignedIn)
    .mutation(async ({ ctx, input }) => {
      const { secret, signedIn } = await completeSecondFactor(signInContext(ctx), ctx.sessionSecret, input);
      setSession(ctx, secret, secondsUntil(ctx, signedIn.session.expiresAt));
      return signedIn;
    }),
  acceptLink: publicProcedure
    .input(zAcceptLink.extend({ email: zPersonEmail.optional() }))
    .output(zEnrolment)
    .mutation(async ({ ctx, input }) => {
      const started = await acceptLink(signInContext(ctx), input);
      setSession(ctx, started.secret, secondsUntil(ctx, started.expiresAt));
      return {
        next: 'confirm-totp' as const,
        totpSecret: started.totpSecret,
        otpauthUri: started.otpauthUri,
        expiresAt: started.expiresAt.toISOString(),
      };
    }),
  confirmTotp: publicProcedure
    .input(zConfirmTotp)
    .output(zEnrolled)
    .mutation(async ({ ctx, input }) => {
      const done = await confirmEnrolment(signInContext(ctx), ctx.sessionSecret, input.code);
      setSession(ctx, done.secret, secondsUntil(ctx, done.signedIn.session.expiresAt));
      return { ...done.signedIn, recoveryCodes: done.recoveryCodes };
    }),
  ssoFor: publicProcedure
    .input(zSsoLookup)
    .output(zSsoTarget)
    .query(({ ctx, input }) => ssoTargetFor(ctx.db, input.email, ctx.hub.config.issuer)),
  me: personProcedure.output(zSignedIn).query(async ({ ctx }) => {
    const sessions = await listPersonSessions(
      ctx.db,
      ctx.personId,
      ctx.actor.now,
      ctx.hub.config.sessions,
      ctx.principal.sessionHandle ?? null,
    );
    const current = sessions.find((s) => s.current);
    if (!current)
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'your session has ended; sign in again' });
    return { person: await getPerson(ctx.db, ctx.personId), session: current };
  }),
  sessions: personProcedure
    .output(z.array(zSessionInfo))
    .query(({ ctx }) =>
      listPersonSessions(
        ctx.db,
        ctx.personId,
        ctx.actor.now,
        ctx.hub.config.sessions,
        ctx.principal.sessionHandle ?? null,
      ),
    ),
  signOut: personProcedure.output(z.object({ ended: z.number().int() })).mutation(async ({ ctx }) => {
    const ended = await signOut(ctx.db, actorOf(ctx), { secret: ctx.sessionSecret });
    if (ctx.res) clearCookie(ctx.res, ctx.hub.config, sessionCookieName(ctx.hub.config));
    return { ended };
  }),
  signOutEverywhere: personProcedure
    .output(z.object({ ended: z.number().int() }))
    .mutation(async ({ ctx }) => {
      const ended = await signOut(ctx.db, actorOf(ctx), 'everywhere');
      if (ctx.res) clearCookie(ctx.res, ctx.hub.config, sessionCookieName(ctx.hub.config));
      return { ended };
    }),
  endSession: personProcedure
    .input(zSessionEnd)
    .output(z.object({ ended: z.number().int() }))
    .mutation(async ({ ctx, input }) => ({
      ended: await signOut(ctx.db, actorOf(ctx), { handle: input.handle }),
    })),
  newRecoveryCodes: personProcedure
    .output(z.object({ recoveryCodes: z.array(z.string()) }))
    .mutation(async ({ ctx }) => ({ recoveryCodes: await regenerateRecoveryCodes(ctx.db, actorOf(ctx)) })),
});
