import { router } from '../trpc.js';
import { authoritiesRouter } from './authorities.js';
import { clientsRouter } from './clients.js';
import { providersRouter } from './providers.js';
import { provisionsRouter } from './provisions.js';
import { correctionsRouter } from './corrections.js';
import { placementsRouter } from './placements.js';
import { allocationsRouter } from './allocations.js';
import { outcomesRouter } from './outcomes.js';
import { accessRouter } from './access.js';
import { auditRouter } from './audit.js';
import { restrictionsRouter } from './restrictions.js';
import { deadlinesRouter } from './deadlines.js';
import { concernsRouter } from './concerns.js';
import { checksRouter } from './checks.js';
import { monitoringRouter } from './monitoring.js';
import { webhooksRouter } from './webhooks.js';
import { eventsRouter } from './events.js';
import { systemRouter } from './system.js';
import { authRouter } from './auth.js';
import { identityProvidersRouter, peopleRouter } from './people.js';
import { passkeysRouter } from './passkeys.js';

export const appRouter = router({
  authorities: authoritiesRouter,
  clients: clientsRouter,
  providers: providersRouter,
  provisions: provisionsRouter,
  corrections: correctionsRouter,
  placements: placementsRouter,
  allocations: allocationsRouter,
  outcomes: outcomesRouter,
  access: accessRouter,
  audit: auditRouter,
  restrictions: restrictionsRouter,
  deadlines: deadlinesRouter,
  concerns: concernsRouter,
  checks: checksRouter,
  monitoring: monitoringRouter,
  webhooks: webhooksRouter,
  events: eventsRouter,
  system: systemRouter,
  auth: authRouter,
  people: peopleRouter,
  identityProviders: identityProvidersRouter,
  passkeys: passkeysRouter,
});

export type AppRouter = typeof appRouter;
