// Client-side navigation on the History API: the location as React state, links that move without a
// reload, and routes matched from patterns such as "/settings/:id". Small enough not to need a library.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const NAVIGATED = 'ccx:navigate';

const subscribe = (onChange: () => void) => {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
};

const snapshot = () => window.location.pathname + window.location.search;

/** The path and query string now shown ("/settings?q=oak"). */
export const useLocation = (): string => useSyncExternalStore(subscribe, snapshot, snapshot);

/** The query string's parameters now shown. */
export const useSearchParams = (): URLSearchParams => new URLSearchParams(useLocation().split('?')[1] ?? '');

export const navigate = (to: string, opts: { replace?: boolean } = {}): void => {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATED));
};

/** The path of the page now shown, for a sign-in to come back to. */
export const currentPath = (): string => snapshot();

/** Where a sign-in may send the person afterwards: a path on this hub, never another site. */
export const safeReturn = (value: string | null): string =>
  value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode };

/** An ordinary link (it opens in a new tab, works without a mouse) that moves without a reload. */
export const Link = ({ to, children, onClick, className, ...rest }: LinkProps) => {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={follow} className={className ?? 'govuk-link'} {...rest}>
      {children}
    </a>
  );
};

/** Matches a path against a pattern ("/settings/:id"): its parameters, or null. */
export const matchPath = (pattern: string, path: string): Record<string, string> | null => {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('?')[0]!.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = have[i]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) return null;
  }
  return params;
};
