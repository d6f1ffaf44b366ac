// The hub's router type, the one source of the SDK's types. In the workspace it comes from the
// server's types-only entry (@ccx/server/router); the published package carries a generated,
// self-contained copy (scripts/build.ts).
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@ccx/server/router';

export type { AppRouter };
/** The input of every procedure, by path: `RouterInputs['checks']['placement']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** The output of every procedure, by path: `RouterOutputs['outcomes']['get']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
