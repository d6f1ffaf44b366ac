// Every page of the console: its address, title and the least role that may open it. Each journey's
// pages are declared in its own folder's routes file; this joins them.
import { lazyPage, type RouteDef } from './route-kit.js';
import { placementRoutes } from './pages/placement/routes.js';
import { qualityRoutes } from './pages/quality/routes.js';
import { adminRoutes } from './pages/admin/routes.js';
import { hubRoutes } from './pages/hub/routes.js';

export const routes: RouteDef[] = [
  {
    path: '/',
    title: 'Home',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./pages/home/home.js'),
      (m) => m.HomePage,
    ),
  },
  {
    path: '/sign-in',
    title: 'Sign in',
    minRole: null,
    page: lazyPage(
      () => import('./pages/sign-in/sign-in.js'),
      (m) => m.SignInPage,
    ),
  },
  {
    path: '/welcome',
    title: 'Set up your account',
    minRole: null,
    page: lazyPage(
      () => import('./pages/welcome/welcome.js'),
      (m) => m.WelcomePage,
    ),
  },
  {
    path: '/account',
    title: 'Your account',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./pages/account/account.js'),
      (m) => m.AccountPage,
    ),
  },
  {
    path: '/sign-out',
    title: 'Signed out',
    minRole: 'viewer',
    page: lazyPage(
      () => import('./pages/sign-in/sign-out.js'),
      (m) => m.SignOutPage,
    ),
  },
  {
    path: '/accessibility',
    title: 'Accessibility statement',
    minRole: null,
    page: lazyPage(
      () => import('./pages/accessibility/accessibility.js'),
      (m) => m.AccessibilityPage,
    ),
  },
  ...placementRoutes,
  ...qualityRoutes,
  ...adminRoutes,
  ...hubRoutes,
];

export const notFoundPage = lazyPage(
  () => import('./pages/not-found/not-found.js'),
  (m) => m.NotFoundPage,
);
