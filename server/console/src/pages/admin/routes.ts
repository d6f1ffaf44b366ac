// The admin journey's pages: an authority admin runs the authority's use of the exchange.
import { lazyPage, type RouteDef } from '../../route-kit.js';

export const adminRoutes: RouteDef[] = [
  {
    path: '/admin',
    title: 'Administration',
    minRole: 'admin',
    page: lazyPage(
      () => import('./admin-home.js'),
      (m) => m.AdminHomePage,
    ),
  },
  {
    path: '/admin/people',
    title: 'People',
    minRole: 'admin',
    page: lazyPage(
      () => import('./people.js'),
      (m) => m.PeoplePage,
    ),
  },
  // Before /admin/people/:id, which would otherwise take "invite" for an id.
  {
    path: '/admin/people/invite',
    title: 'Invite a person',
    minRole: 'admin',
    page: lazyPage(
      () => import('./people.js'),
      (m) => m.InvitePersonPage,
    ),
  },
  {
    path: '/admin/people/:id',
    title: 'Person',
    minRole: 'admin',
    page: lazyPage(
      () => import('./people.js'),
      (m) => m.PersonPage,
    ),
  },
  {
    path: '/admin/clients',
    title: 'API clients',
    minRole: 'admin',
    page: lazyPage(
      () => import('./clients.js'),
      (m) => m.ClientsPage,
    ),
  },
  {
    path: '/admin/webhooks',
    title: 'Webhooks',
    minRole: 'admin',
    page: lazyPage(
      () => import('./webhooks.js'),
      (m) => m.WebhooksPage,
    ),
  },
  {
    path: '/admin/webhooks/:id',
    title: 'Webhook',
    minRole: 'admin',
    page: lazyPage(
      () => import('./webhooks.js'),
      (m) => m.WebhookPage,
    ),
  },
  {
    path: '/admin/placements',
    title: 'Our placements',
    minRole: 'admin',
    page: lazyPage(
      () => import('./placements.js'),
      (m) => m.PlacementsPage,
    ),
  },
  {
    path: '/admin/placements/import',
    title: 'Import placements',
    minRole: 'admin',
    page: lazyPage(
      () => import('./placements.js'),
      (m) => m.ImportPlacementsPage,
    ),
  },
  {
    path: '/admin/audit',
    title: 'Who read our records',
    minRole: 'admin',
    page: lazyPage(
      () => import('./audit.js'),
      (m) => m.AuditPage,
    ),
  },
  {
    path: '/admin/sign-in',
    title: 'Sign-in settings',
    minRole: 'admin',
    page: lazyPage(
      () => import('./sign-in-settings.js'),
      (m) => m.SignInSettingsPage,
    ),
  },
];
