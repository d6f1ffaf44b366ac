// The quality journey's pages: the settings an authority leads on, visit outcomes (drafted, published,
// amended), restrictions, concerns, and notifications. Fixed paths ("/outcomes/new") come before the
// patterns that would also match them ("/outcomes/:id").
import { lazyPage, type RouteDef } from '../../route-kit.js';

export const qualityRoutes: RouteDef[] = [
  {
    path: '/my-settings',
    title: 'My settings',
    minRole: 'officer',
    page: lazyPage(
      () => import('./my-settings.js'),
      (m) => m.MySettingsPage,
    ),
  },
  {
    path: '/outcomes/new',
    title: 'Record a visit outcome',
    minRole: 'officer',
    page: lazyPage(
      () => import('./outcome-form.js'),
      (m) => m.NewOutcomePage,
    ),
  },
  {
    path: '/outcomes/:id/edit',
    title: 'Change an outcome',
    minRole: 'officer',
    page: lazyPage(
      () => import('./outcome-form.js'),
      (m) => m.EditOutcomePage,
    ),
  },
  {
    path: '/outcomes/:id',
    title: 'Outcome',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./outcome-view.js'),
      (m) => m.OutcomePage,
    ),
  },
  {
    path: '/restrictions/new',
    title: 'Add a restriction',
    minRole: 'officer',
    page: lazyPage(
      () => import('./restriction-form.js'),
      (m) => m.NewRestrictionPage,
    ),
  },
  {
    path: '/restrictions/:id',
    title: 'Restriction',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./restriction-view.js'),
      (m) => m.RestrictionPage,
    ),
  },
  {
    path: '/concerns/new',
    title: 'Log a concern',
    minRole: 'officer',
    page: lazyPage(
      () => import('./concern-form.js'),
      (m) => m.NewConcernPage,
    ),
  },
  {
    path: '/concerns/:id',
    title: 'Concern',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./concern-view.js'),
      (m) => m.ConcernPage,
    ),
  },
  {
    path: '/deadlines',
    title: 'Deadlines',
    minRole: 'officer',
    page: lazyPage(
      () => import('./deadlines.js'),
      (m) => m.DeadlinesPage,
    ),
  },
  {
    path: '/notifications',
    title: 'Notifications',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./notifications.js'),
      (m) => m.NotificationsPage,
    ),
  },
];
