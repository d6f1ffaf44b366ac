// The console's frame: GOV.UK's header, service navigation, skip link and footer around the page the
// address names; pages behind sign-in wait for the session and send a signed-out person to sign in
// and back again.
import { Suspense, useEffect, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, matchPath, navigate, useLocation } from './navigation.js';
import { NotificationsProvider, useNotifications } from './notifications.js';
import type { RouteDef } from './route-kit.js';
import { notFoundPage, routes } from './routes.js';
import { ROLE_NAMES, SessionProvider, useSession, type Role } from './session.js';
import { isSignedOut, useTRPC } from './trpc.js';
import { Loading, ProblemText } from './components/govuk.js';
import { hubErrorOf } from './trpc.js';

const SERVICE = "Children's Commissioning Exchange";

type NavItem = { to: string; text: string; minRole: Role; badge?: 'unread' };
/** The service navigation: each person sees the items their role may open. */
export const NAV: NavItem[] = [
  { to: '/', text: 'Home', minRole: 'viewer' },
  { to: '/settings', text: 'Find a setting', minRole: 'viewer' },
  { to: '/shortlist', text: 'Check a shortlist', minRole: 'viewer' },
  { to: '/my-settings', text: 'My settings', minRole: 'officer' },
  { to: '/deadlines', text: 'Deadlines', minRole: 'officer' },
  { to: '/notifications', text: 'Notifications', minRole: 'viewer', badge: 'unread' },
  { to: '/admin', text: 'Administration', minRole: 'admin' },
  { to: '/partnership', text: 'Partnership', minRole: 'hub-admin' },
];

const findRoute = (location: string): { route: RouteDef; params: Record<string, string> } | null => {
  for (const route of routes) {
    const params = matchPath(route.path, location);
    if (params) return { route, params };
  }
  return null;
};

const Header = () => (
  <header className="govuk-header" data-module="govuk-header">
    <div className="govuk-header__container govuk-width-container">
      <div className="govuk-header__logo">
        <Link to="/" className="govuk-header__link govuk-header__link--homepage ccx-header__product">
          ccx
        </Link>
      </div>
    </div>
  </header>
);

const UnreadBadge = () => {
  const { unread } = useNotifications();
  if (unread.length === 0) return null;
  const n = unread.length >= 500 ? '500+' : String(unread.length);
  return (
    <>
      {' '}
      <span className="ccx-badge" aria-hidden="true">
        {n}
      </span>
      <span className="govuk-visually-hidden"> ({n} unread)</span>
    </>
  );
};

const ServiceNavigation = ({ location }: { location: string }) => {
  const session = useSession();
  const path = location.split('?')[0]!;
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <section
      className="govuk-service-navigation"
      aria-label="Service information"
      data-module="govuk-service-navigation"
    >
      <div className="govuk-width-container">
        <div className="govuk-service-navigation__container">
          <span className="govuk-service-navigation__service-name">
            <Link to="/" className="govuk-service-navigation__link">
              {SERVICE}
            </Link>
          </span>
          <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
            <ul className="govuk-service-navigation__list" id="navigation">
              {NAV.filter((item) => session.can(item.minRole)).map((item) => (
                <li
                  key={item.to}
                  className={`govuk-service-navigation__item${active(item.to) ? ' govuk-service-navigation__item--active' : ''}`}
                >
                  <Link
                    to={item.to}
                    className="govuk-service-navigation__link"
                    aria-current={active(item.to) ? 'page' : undefined}
                  >
                    {active(item.to) ? (
                      <strong className="govuk-service-navigation__active-fallback">{item.text}</strong>
                    ) : (
                      item.text
                    )}
                    {item.badge ? <UnreadBadge /> : null}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
    </section>
  );
};

const AccountBar = () => {
  const { person, me } = useSession();
  return (
    <div className="govuk-width-container">
      <p className="govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0" data-testid="account-bar">
        Signed in as <strong>{person.name}</strong> ({ROLE_NAMES[person.role]}, {me.authority.name}) ·{' '}
        <Link to="/account">Your account</Link> · <Link to="/sign-out">Sign out</Link>
      </p>
    </div>
  );
};

const Footer = () => (
  <footer className="govuk-footer">
    <div className="govuk-width-container">
      <div className="govuk-footer__meta">
        <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
          <h2 className="govuk-visually-hidden">Support links</h2>
          <ul className="govuk-footer__inline-list">
            <li className="govuk-footer__inline-list-item">
              <a className="govuk-footer__link" href="/docs/api">
                API reference
              </a>
            </li>
            <li className="govuk-footer__inline-list-item">
              <Link className="govuk-footer__link" to="/accessibility">
                Accessibility statement
              </Link>
            </li>
          </ul>
          <span className="govuk-footer__licence-description">
            {SERVICE}: records about settings, shared on a need-to-know basis between member authorities.
          </span>
        </div>
      </div>
    </div>
  </footer>
);

/** Moves focus to the page's content after each navigation, so a screen reader starts at the new page. */
const Main = ({ location, children }: { location: string; children: ReactNode }) => {
  const ref = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus({ preventScroll: true });
  }, [location]);
  return (
    <div className="govuk-width-container">
      <main className="govuk-main-wrapper" id="main-content" tabIndex={-1} ref={ref}>
        {children}
      </main>
    </div>
  );
};

const Frame = ({
  location,
  signedIn,
  children,
}: {
  location: string;
  signedIn: boolean;
  children: ReactNode;
}) => (
  <>
    <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
      Skip to main content
    </a>
    <Header />
    {signedIn ? <ServiceNavigation location={location} /> : <PublicServiceName />}
    {signedIn ? <AccountBar /> : null}
    <Main location={location}>{children}</Main>
    <Footer />
  </>
);

const PublicServiceName = () => (
  <section className="govuk-service-navigation" aria-label="Service information">
    <div className="govuk-width-container">
      <div className="govuk-service-navigation__container">
        <span className="govuk-service-navigation__service-name">
          <span className="govuk-service-navigation__text">{SERVICE}</span>
        </span>
      </div>
    </div>
  </section>
);

const Forbidden = ({ role }: { role: Role }) => (
  <>
    <h1 className="govuk-heading-l">You cannot open this page</h1>
    <p className="govuk-body">
      It is for a person with the role {ROLE_NAMES[role]} or above. Ask your authority&apos;s admin if your
      work needs it.
    </p>
  </>
);

const PageBody = ({ route, params }: { route: RouteDef | null; params: Record<string, string> }) => {
  const Page = route?.page ?? notFoundPage;
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Page params={params} />
    </Suspense>
  );
};

const SignedInPage = ({
  location,
  route,
  params,
}: {
  location: string;
  route: RouteDef | null;
  params: Record<string, string>;
}) => {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.authorities.me.queryOptions(), staleTime: 60_000 });
  const signedOut = (me.error && isSignedOut(me.error)) || (me.data && !me.data.person);
  useEffect(() => {
    if (signedOut) navigate(`/sign-in?returnTo=${encodeURIComponent(location)}`, { replace: true });
  }, [signedOut, location]);
  if (me.isPending || signedOut)
    return (
      <Frame location={location} signedIn={false}>
        <Loading what="your session" />
      </Frame>
    );
  if (me.error) {
    const problem = hubErrorOf(me.error);
    return (
      <Frame location={location} signedIn={false}>
        <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <ProblemText message={problem.message} requestId={problem.requestId} />
      </Frame>
    );
  }
  return (
    <SessionProvider me={me.data}>
      <NotificationsProvider personId={me.data.person!.id}>
        <Frame location={location} signedIn>
          <Allowed route={route} params={params} />
        </Frame>
      </NotificationsProvider>
    </SessionProvider>
  );
};

const Allowed = ({ route, params }: { route: RouteDef | null; params: Record<string, string> }) => {
  const session = useSession();
  if (route?.minRole && !session.can(route.minRole)) return <Forbidden role={route.minRole} />;
  return <PageBody route={route} params={params} />;
};

export const App = () => {
  const location = useLocation();
  const found = findRoute(location);
  const route = found?.route ?? null;
  useEffect(() => {
    document.title = `${route?.title ?? 'Page not found'} – ccx`;
  }, [route]);
  if (route && route.minRole === null)
    return (
      <Frame location={location} signedIn={false}>
        <PageBody route={route} params={found!.params} />
      </Frame>
    );
  return <SignedInPage location={location} route={route} params={found?.params ?? {}} />;
};
