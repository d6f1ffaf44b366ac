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
    path: '/partnership/frequencies',
    title: 'How often settings are monitored',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./frequencies.js'),
      (m) => m.FrequenciesPage,
    ),
  },
  {
    path: '/partnership/risk-bands',
    title: 'Risk bands for concerns',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./risk-bands.js'),
      (m) => m.RiskBandsPage,
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
    // Every officer: the host authority (and the hub admin) changes its facts; others propose a correction.
    path: '/partnership/directory/settings/:id',
    title: 'A setting’s details',
    minRole: 'officer',
    page: lazyPage(
      () => import('./setting-form.js'),
      (m) => m.ChangeSettingPage,
    ),
  },
  {
    path: '/partnership/corrections',
    title: 'Corrections of the directory',
    minRole: 'officer',
    page: lazyPage(
      () => import('./corrections.js'),
      (m) => m.CorrectionsPage,
    ),
  },
  {
    path: '/partnership/merge',
    title: 'Merge two settings',
    minRole: 'hub-admin',
    page: lazyPage(
      () => import('./merge.js'),
      (m) => m.MergePage,
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
