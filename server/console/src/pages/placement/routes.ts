// The placement journey's pages: finding a setting, its verdict and records, and checking a shortlist.
// Every member may search and check (checks.* and provisions.search are open to any signed-in person);
// the setting page offers pre-placement access only to an officer (access.requestProspective).
import { lazyPage, type RouteDef } from '../../route-kit.js';

export const placementRoutes: RouteDef[] = [
  {
    path: '/settings',
    title: 'Find a setting',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./find.js'),
      (m) => m.FindSettingPage,
    ),
  },
  {
    path: '/settings/:id',
    title: 'Setting',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./setting.js'),
      (m) => m.SettingPage,
    ),
  },
  {
    path: '/shortlist',
    title: 'Check a shortlist',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./shortlist.js'),
      (m) => m.ShortlistPage,
    ),
  },
];
