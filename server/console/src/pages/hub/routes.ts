// The hub journey's pages: the partnership's administrator at the host authority.
import { lazyPage, type RouteDef } from '../../route-kit.js';

export const hubRoutes: RouteDef[] = [
  {
    path: '/partnership',
    title: 'Partnership',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./partnership.js'),
      (m) => m.PartnershipPage,
    ),
  },
  {
    path: '/partnership/authorities',
    title: 'Member authorities',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./authorities.js'),
      (m) => m.AuthoritiesPage,
    ),
  },
  {
    path: '/partnership/authorities/:id',
    title: 'Change a member authority',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./authority-change.js'),
      (m) => m.AuthorityChangePage,
    ),
  },
  {
    path: '/partnership/directory',
    title: 'Providers and settings',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./directory.js'),
      (m) => m.DirectoryPage,
    ),
  },
  {
    path: '/partnership/directory/new-setting',
    title: 'Add a setting',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./setting-form.js'),
      (m) => m.NewSettingPage,
    ),
  },
  {
    path: '/partnership/directory/settings/:id',
    title: 'Change a setting',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./setting-form.js'),
      (m) => m.ChangeSettingPage,
    ),
  },
  {
    path: '/partnership/allocations',
    title: 'Lead authorities',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./allocations.js'),
      (m) => m.AllocationsPage,
    ),
  },
  {
    path: '/partnership/allocations/assign',
    title: 'Assign a lead authority',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./assign.js'),
      (m) => m.AssignPage,
    ),
  },
  {
    path: '/partnership/monitoring',
    title: 'Monitoring report',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./monitoring.js'),
      (m) => m.MonitoringPage,
    ),
  },
];
