// The quality journey's pages.
import type { RouteDef } from '../../route-kit.js';

export const qualityRoutes: RouteDef[] = [];
