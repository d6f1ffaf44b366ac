import { router } from '../trpc.js';
import { authoritiesRouter } from './authorities.js';
import { clientsRouter } from './clients.js';
import { providersRouter } from './providers.js';
import { provisionsRouter } from './provisions.js';

export const appRouter = router({
  authorities: authoritiesRouter,
  clients: clientsRouter,
  providers: providersRouter,
  provisions: provisionsRouter,
});

export type AppRouter = typeof appRouter;
