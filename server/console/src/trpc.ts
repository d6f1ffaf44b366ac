// The console's one API client: tRPC on the hub's own router (the same types as the SDK), through
// TanStack Query. The session cookie rides along; every call carries the header the hub asks of a
// browser before it accepts a change made with a session (x-ccx-csrf).
import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import {
  TRPCClientError,
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@ccx/server/router';

export type { AppRouter };
export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** A field's problem as the hub reports it: a dotted path ("findings.0.text") and words. */
export type FieldIssue = { path: string; message: string; code?: string };

/** What the console needs to know of any error the hub answered. */
export type HubError = {
  code: string;
  httpStatus: number | null;
  message: string;
  issues: FieldIssue[];
  requestId: string | null;
};

export const hubErrorOf = (error: unknown): HubError => {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as {
      code?: string;
      httpStatus?: number;
      issues?: FieldIssue[];
      requestId?: string;
    };
    return {
      code: data.code ?? 'NETWORK',
      httpStatus: data.httpStatus ?? null,
      message: error.message,
      issues: Array.isArray(data.issues) ? data.issues : [],
      requestId: data.requestId ?? null,
    };
  }
  return {
    code: 'NETWORK',
    httpStatus: null,
    message: error instanceof Error ? error.message : String(error),
    issues: [],
    requestId: null,
  };
};

/** The session ended or never began: the page sends the person to sign in and back. */
export const isSignedOut = (error: unknown): boolean => hubErrorOf(error).code === 'UNAUTHORIZED';

const headers = { 'x-ccx-csrf': '1' };

export const createClients = (onSignedOut: () => void) => {
  const signedOut = (error: unknown) => {
    if (isSignedOut(error)) onSignedOut();
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError: signedOut }),
    mutationCache: new MutationCache({ onError: signedOut }),
    defaultOptions: {
      queries: {
        // A refused or missing thing does not become found by asking again.
        retry: (count, error) => hubErrorOf(error).code === 'NETWORK' && count < 2,
        staleTime: 10_000,
        refetchOnWindowFocus: false,
      },
    },
  });
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc' }),
        // POST for queries too (the hub allows it): a shortlist of 500 URNs does not fit in a URL.
        false: httpBatchLink({ url: '/trpc', headers, methodOverride: 'POST', maxItems: 10 }),
      }),
    ],
  });
  return { queryClient, trpcClient };
};
