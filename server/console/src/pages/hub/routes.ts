// The hub journey's pages.
import type { RouteDef } from '../../route-kit.js';

export const hubRoutes: RouteDef[] = [];
