// Role checks on every procedure, generated from the router itself: a procedure added to the
// router without an entry in MIN_ROLE fails this file, so none can ship unchecked.
import { describe, expect } from 'vitest';
import { ROLES, roleRank, type Role } from '@ccx/schema';
import { appRouter, type Principal } from '@ccx/server';
import { REST_PREFIX, REST_ROUTES } from '@ccx/server/testing';
import type { Caller } from '../support/harness.js';
import { httpTest as test } from '../support/http.js';

/** The least role that may call each procedure. Reads are open to every member; writes are not. */
const MIN_ROLE: Record<string, Role> = {
  'authorities.list': 'viewer',
  'authorities.get': 'viewer',
  'authorities.me': 'viewer',
  'system.ping': 'viewer',
  'authorities.create': 'hub-admin',
  'authorities.update': 'hub-admin',
  'clients.create': 'admin',
  'clients.list': 'admin',
  'clients.revoke': 'admin',
  'providers.search': 'viewer',
  'providers.get': 'viewer',
  'providers.create': 'officer',
  'providers.update': 'officer',
  'provisions.search': 'viewer',
  'provisions.get': 'viewer',
  'provisions.create': 'hub-admin',
  'provisions.update': 'officer',
  // Regulator facts are the host's or the hub-admin's (the domain asks the policy); any officer may propose
  // a correction; whoever hosts the setting (or the hub-admin) decides it; merging is the hub-admin's.
  'provisions.proposeCorrection': 'officer',
  'provisions.merge': 'hub-admin',
  'providers.proposeCorrection': 'officer',
  'providers.merge': 'hub-admin',
  'corrections.list': 'viewer',
  'corrections.get': 'viewer',
  'corrections.accept': 'officer',
  'corrections.decline': 'officer',
  // Need-to-know (DESIGN.md §3): reading is for every member; publishing and sharing need an officer;
  // the audit trail is for officers; allocation is the hub-admin's.
  'placements.declare': 'officer',
  'placements.end': 'officer',
  'placements.mine': 'viewer',
  // Who places at a setting: open to every member's role, answered only for its lead and host (object level).
  'placements.atProvision': 'viewer',
  'placements.import': 'officer',
  'allocations.list': 'viewer',
  'allocations.mine': 'viewer',
  'allocations.assign': 'hub-admin',
  'allocations.autoAllocate': 'hub-admin',
  'outcomes.create': 'officer',
  'outcomes.publish': 'officer',
  'outcomes.get': 'viewer',
  'outcomes.list': 'viewer',
  'outcomes.listForProvision': 'viewer',
  'access.explain': 'viewer',
  'access.share': 'officer',
  'access.revoke': 'officer',
  'access.requestProspective': 'officer',
  'access.grants': 'viewer',
  'audit.list': 'officer',
  'audit.verify': 'officer',
  'audit.exportHead': 'officer',
  // Monitoring (DESIGN.md §2, §4): publishing, amending, restricting and logging need an officer;
  // reading and checking are for every member; the schedule is the hub-admin's.
  'outcomes.amend': 'officer',
  'outcomes.withdraw': 'officer',
  'outcomes.updateActionItem': 'officer',
  // A draft is deleted by an officer of its author's authority (the domain checks whose it is).
  'outcomes.deleteDraft': 'officer',
  'restrictions.create': 'officer',
  'restrictions.update': 'officer',
  'restrictions.lift': 'officer',
  // The publisher records the provider's compliance and the restriction's review (the domain checks whose).
  'restrictions.comply': 'officer',
  'restrictions.review': 'officer',
  'restrictions.get': 'viewer',
  'restrictions.list': 'viewer',
  'concerns.log': 'officer',
  'concerns.list': 'viewer',
  'concerns.get': 'viewer',
  // The logger corrects, substantiates, unsubstantiates and closes its concern (the domain checks whose);
  // the risk bands are read by every member and set by the hub-admin.
  'concerns.correct': 'officer',
  'concerns.substantiate': 'officer',
  'concerns.unsubstantiate': 'officer',
  'concerns.close': 'officer',
  'concerns.riskBands': 'viewer',
  'concerns.setRiskBands': 'hub-admin',
  // Passed deadlines of my records and of the settings I lead: every member's, filtered by need-to-know.
  'deadlines.overdue': 'viewer',
  'checks.placement': 'viewer',
  'checks.placementMany': 'viewer',
  'monitoring.frequencies': 'viewer',
  'monitoring.setFrequency': 'hub-admin',
  'monitoring.overdue': 'hub-admin',
  'monitoring.report': 'hub-admin',
  // Events (DESIGN.md §5): webhooks hold signing secrets and are an authority admin's; the feed and the
  // live subscription are for every member, filtered by need-to-know.
  'webhooks.create': 'admin',
  'webhooks.list': 'admin',
  'webhooks.delete': 'admin',
  'webhooks.rotateSecret': 'admin',
  'webhooks.test': 'admin',
  'webhooks.deliveries': 'admin',
  'webhooks.resend': 'admin',
  'events.list': 'viewer',
  'events.subscribe': 'viewer',
  // People (docs/people-and-sign-in.md): an authority's admin manages its people and its single sign-on.
  'people.invite': 'admin',
  'people.reinvite': 'admin',
  'people.list': 'admin',
  'people.setRole': 'admin',
  'people.deactivate': 'admin',
  'identityProviders.get': 'admin',
  'identityProviders.set': 'admin',
  'identityProviders.remove': 'admin',
  // A person's own session: any role, but a person's only (an API client is refused).
  'auth.me': 'viewer',
  'auth.sessions': 'viewer',
  'auth.signOut': 'viewer',
  'auth.signOutEverywhere': 'viewer',
  'auth.endSession': 'viewer',
  'auth.newRecoveryCodes': 'viewer',
  'passkeys.registrationOptions': 'viewer',
  'passkeys.register': 'viewer',
  'passkeys.list': 'viewer',
  'passkeys.remove': 'viewer',
};

/** The ways in: open to a caller with no principal (each proves who it is by what it sends). */
const PUBLIC = new Set([
  'auth.signIn',
  'auth.secondFactor',
  'auth.acceptLink',
  'auth.confirmTotp',
  'auth.ssoFor',
  'passkeys.signInOptions',
  'passkeys.signIn',
]);

/** Calls about the signed-in person's own sessions: an API client of any role is refused. */
const PERSON_ONLY = new Set([
  'auth.me',
  'auth.sessions',
  'auth.signOut',
  'auth.signOutEverywhere',
  'auth.endSession',
  'auth.newRecoveryCodes',
  'passkeys.registrationOptions',
  'passkeys.register',
  'passkeys.list',
  'passkeys.remove',
]);

/** Every procedure path in the router ("authorities.list", …), from its flattened record. */
const PATHS = Object.keys(appRouter._def.procedures).sort();

/** Calls a procedure by its dotted path through the caller's proxy. */
const callPath = (caller: Caller, path: string, input: unknown): Promise<unknown> => {
  let target: unknown = caller;
  for (const segment of path.split('.')) target = (target as Record<string, unknown>)[segment];
  return (target as (input: unknown) => Promise<unknown>)(input);
};

/** The tRPC error code of a call, or 'OK' when it succeeds. */
const outcomeOf = async (call: Promise<unknown>): Promise<string> => {
  try {
    await call;
    return 'OK';
  } catch (err) {
    return (err as { code?: unknown }).code === undefined
      ? `thrown: ${String(err)}`
      : String((err as { code: unknown }).code);
  }
};

/** Dummy input: valid for some procedures, invalid for others; either way no role check may depend on it. */
const DUMMY = {};

/**
 * A caller of each role, of an ordinary member (and the hub-admin of the host authority): an API
 * client with a token, and a person with a session. Both kinds must meet the same table.
 */
const CALLER_KINDS = ['client', 'person'] as const;
const principals = { client: {}, person: {} } as Record<
  (typeof CALLER_KINDS)[number],
  Record<Role, Principal>
>;
test.beforeAll(async ({ h }) => {
  const member = await h.makeAuthority();
  for (const role of ROLES) {
    // hub-admin exists only on the host authority; the others belong to an ordinary member.
    const authorityId = role === 'hub-admin' ? h.hostAuthorityId : member.id;
    principals.client[role] = (await h.makeClient(authorityId, role)).principal;
    principals.person[role] = (await h.makePerson(authorityId, role)).principal;
  }
});

test('the router has procedures to check', () => {
  expect(PATHS.length).toBeGreaterThanOrEqual(16);
  expect(PATHS).toContain('provisions.search');
});

test('every procedure in the router has a minimal role in the table, and the table has no stale entries', () => {
  const missing = PATHS.filter((p) => !(p in MIN_ROLE) && !PUBLIC.has(p));
  const stale = Object.keys(MIN_ROLE).filter((p) => !PATHS.includes(p));
  expect(missing, 'procedures without an entry in MIN_ROLE').toEqual([]);
  expect(stale, 'MIN_ROLE entries with no procedure').toEqual([]);
});

describe.each(PATHS)('%s', (path) => {
  const min = MIN_ROLE[path];

  test('has an entry in MIN_ROLE, or is a way in', () => {
    expect(
      min ?? (PUBLIC.has(path) ? 'public' : undefined),
      `add "${path}" to MIN_ROLE in test/security/function-level.test.ts`,
    ).toBeDefined();
  });
  if (PUBLIC.has(path)) {
    test('is open to a caller with no principal (refusing only what it is sent), never failing inside', async ({
      h,
    }) => {
      const code = await outcomeOf(callPath(h.caller(null), path, DUMMY));
      expect(['FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(code);
      expect(code).not.toMatch(/^thrown/);
    });
    return;
  }
  if (!min) return;

  test('refuses a caller with no principal: UNAUTHORIZED', async ({ h }) => {
    expect(await outcomeOf(callPath(h.caller(null), path, DUMMY))).toBe('UNAUTHORIZED');
  });

  for (const kind of CALLER_KINDS) {
    for (const role of ROLES) {
      const principal = () => principals[kind][role];
      if (kind === 'client' && PERSON_ONLY.has(path)) {
        test(`refuses a ${role} API client: FORBIDDEN, saying it is a person's call`, async ({ h }) => {
          let message = '';
          const code = await outcomeOf(
            callPath(h.caller(principal()), path, DUMMY).catch((err: unknown) => {
              message = err instanceof Error ? err.message : '';
              throw err;
            }),
          );
          expect(code).toBe('FORBIDDEN');
          expect(message).toContain('person');
        });
      } else if (roleRank(role) < roleRank(min)) {
        test(`refuses a ${role} ${kind}: FORBIDDEN, naming the role needed`, async ({ h }) => {
          let message = '';
          const code = await outcomeOf(
            callPath(h.caller(principal()), path, DUMMY).catch((err: unknown) => {
              message = err instanceof Error ? err.message : '';
              throw err;
            }),
          );
          expect(code).toBe('FORBIDDEN');
          expect(message).toContain(min);
        });
      } else {
        test(`lets a ${role} ${kind} past the role check`, async ({ h }) => {
          const code = await outcomeOf(callPath(h.caller(principal()), path, DUMMY));
          expect(['UNAUTHORIZED', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR']).not.toContain(code);
          expect(code).not.toMatch(/^thrown/);
        });
      }
    }
  }
});

// The REST routes call the same procedures, so the same table must hold over HTTP: every route
// refuses no token with 401 and each role below its procedure's minimum with 403, as a problem.
describe('over REST', () => {
  const tokens = {} as Record<Role, string>;
  const cookies = {} as Record<Role, string>;
  test.beforeAll(async ({ h }) => {
    const member = await h.makeAuthority();
    for (const role of ROLES) {
      const authorityId = role === 'hub-admin' ? h.hostAuthorityId : member.id;
      tokens[role] = (await h.makeClientWithToken(authorityId, role)).token;
      cookies[role] = (await h.makePerson(authorityId, role)).cookie;
    }
  });

  test('every route names a procedure of the table', () => {
    for (const route of REST_ROUTES) expect(MIN_ROLE[route.procedure], route.path).toBeDefined();
  });

  test.for(REST_ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: 401 without a token, 403 for each role below the minimum',
    async ([, route], { h }) => {
      const url = `${h.baseUrl}${REST_PREFIX}${route.path.replace(/:(\w+)/g, 'x-$1')}`;
      const send = (token?: string, cookie?: string) =>
        fetch(url, {
          method: route.method.toUpperCase(),
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            // A session's call, made as the hub's own pages make it.
            ...(cookie ? { cookie, origin: new URL(h.baseUrl).origin, 'x-ccx-csrf': '1' } : {}),
            ...(route.method === 'get' || route.method === 'delete'
              ? {}
              : { 'content-type': 'application/json' }),
          },
          ...(route.method === 'get' || route.method === 'delete' ? {} : { body: '{}' }),
        });
      expect((await send()).status).toBe(401);
      const min = MIN_ROLE[route.procedure]!;
      for (const role of ROLES) {
        for (const [kind, res] of [
          ['client', await send(tokens[role])],
          ['person', await send(undefined, cookies[role])],
        ] as const) {
          if (roleRank(role) < roleRank(min) || (kind === 'client' && PERSON_ONLY.has(route.procedure))) {
            expect(res.status, `${role} ${kind}`).toBe(403);
            expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          } else {
            expect([401, 403, 500], `${role} ${kind}`).not.toContain(res.status);
          }
        }
      }
    },
  );
});
