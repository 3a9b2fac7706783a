// Hash routes (`#/sign-in`, `#/account`, `#/admin`). Other hashes (`#passkeys`) are in-page links and
// leave the current view alone. Mails link to `/verify-email#token=…` and `/reset-password#token=…`
// (`#group=…&token=…` in multi-group mode); `#/verify-email?token=…` and `#/reset-password?token=…`
// open the same views with the token (see `takeLinkToken`).

export type Route = 'sign-in' | 'two-factor' | 'sign-up' | 'verify-email' | 'forgot-password' | 'reset-password' | 'unlock' | 'account' | 'admin';

const ROUTES: ReadonlySet<string> = new Set<Route>([
  'sign-in',
  'two-factor',
  'sign-up',
  'verify-email',
  'forgot-password',
  'reset-password',
  'unlock',
  'account',
  'admin',
]);

export interface Location {
  /** null for `#/` or no hash; undefined for a hash that is not a route (an in-page link). */
  route: Route | null | undefined;
}

export function currentLocation(): Location {
  const hash = window.location.hash;
  if (hash === '' || hash === '#' || hash === '#/') return { route: null };
  if (!hash.startsWith('#/')) return { route: undefined };
  const path = hash.slice(2).split('?', 1)[0] ?? '';
  return { route: ROUTES.has(path) ? (path as Route) : null };
}

/** The pages that mails link to, and the views they open. */
const LINK_PATHS: Readonly<Record<string, Route>> = {
  '/verify-email': 'verify-email',
  '/reset-password': 'reset-password',
};

/** A mail's link, as the page was opened with it. */
export interface LinkToken {
  route: Route;
  /** null when the link had no `token=…`. */
  token: string | null;
  /** The account's group (`group=…&token=…`, multi-group mode), or null. */
  group: string | null;
}

/**
 * Reads the token of a mail's link, and its group if it names one, once, before the view shows. Two
 * forms: the mails' own (`/verify-email#token=…`, `/reset-password#token=…`, `#group=…&token=…`; the
 * servers serve the page at those paths too), and a link to the view itself
 * (`/#/verify-email?token=…`, `/#/reset-password?token=…&group=…`). Either way the token travels in the
 * fragment, which the browser never sends to a server: it stays out of server and proxy logs and out
 * of `Referer` headers. Read, it leaves the address bar and this history entry at once: the page goes on
 * at `/#/verify-email` (or `/#/reset-password`). Called on page load and on every hash change (a link
 * opened in a tab that shows the demo already changes only the hash). null when the URL holds no link.
 */
export function takeLinkToken(): LinkToken | null {
  const fragment = window.location.hash.slice(1);
  const inHash = /^\/([a-z-]+)\?(.*)$/s.exec(fragment);
  const hashRoute = inHash ? LINK_PATHS[`/${inHash[1]}`] : undefined;
  const route = hashRoute ?? (inHash ? undefined : LINK_PATHS[window.location.pathname]);
  if (!route) return null;
  const params = new URLSearchParams(hashRoute ? inHash![2] : fragment);
  const token = params.get('token');
  const group = params.get('group');
  history.replaceState(null, '', `/${window.location.search}#/${route}`);
  return { route, token: token || null, group: group || null };
}

/** Something to announce once the next view shows. */
export interface Notice {
  message: string;
  kind: 'info' | 'success' | 'error';
}

let render: ((notice: Notice | null) => void) | null = null;
let pendingNotice: Notice | null = null;

/**
 * Renders the current location now and on every hash change, handing over the notice that `go` was
 * given (the view that comes next is where it belongs).
 */
export function startRouter(renderer: (notice: Notice | null) => void): void {
  render = renderer;
  const renderNow = (): void => {
    const notice = pendingNotice;
    pendingNotice = null;
    renderer(notice);
  };
  window.addEventListener('hashchange', renderNow);
  renderNow();
}

/** Goes to a route (renders it again when already there), then announces `notice` there. */
export function go(route: Route, notice?: Notice): void {
  const target = `#/${route}`;
  pendingNotice = notice ?? null;
  if (!render) {
    // Before the router starts (a session that failed to restore): the first render shows it.
    if (window.location.hash !== target) history.replaceState(null, '', target);
  } else if (window.location.hash === target) {
    pendingNotice = null;
    render(notice ?? null);
  } else {
    window.location.hash = target;
  }
}
