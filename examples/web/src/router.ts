// Hash routes (`#/sign-in`, `#/account`, `#/verify-email?token=…`). Other hashes (`#passkeys`) are
// in-page links and leave the current view alone.

export type Route = 'sign-in' | 'two-factor' | 'sign-up' | 'verify-email' | 'forgot-password' | 'reset-password' | 'unlock' | 'account';

const ROUTES: ReadonlySet<string> = new Set<Route>([
  'sign-in',
  'two-factor',
  'sign-up',
  'verify-email',
  'forgot-password',
  'reset-password',
  'unlock',
  'account',
]);

export interface Location {
  /** null for `#/` or no hash; undefined for a hash that is not a route (an in-page link). */
  route: Route | null | undefined;
  params: URLSearchParams;
}

export function currentLocation(): Location {
  const hash = window.location.hash;
  if (hash === '' || hash === '#' || hash === '#/') return { route: null, params: new URLSearchParams() };
  if (!hash.startsWith('#/')) return { route: undefined, params: new URLSearchParams() };
  const [path = '', query = ''] = hash.slice(2).split('?', 2);
  return { route: ROUTES.has(path) ? (path as Route) : null, params: new URLSearchParams(query) };
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
