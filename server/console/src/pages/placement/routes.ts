// The placement journey's pages.
import type { RouteDef } from '../../route-kit.js';

export const placementRoutes: RouteDef[] = [];
