// The admin journey's pages.
import type { RouteDef } from '../../route-kit.js';

export const adminRoutes: RouteDef[] = [];
