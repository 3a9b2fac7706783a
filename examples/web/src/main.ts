// The latchkey demo web app: one page, a view per state, talking to latchkey's routes under /auth (or
// /auth/{group} when the server runs in multi-group mode, see group.ts).
// Bundled by build.mjs into dist/app.js; the example servers serve it at /.

import { currentGroup, loadGroup } from './group.js';
import { currentLocation, go, startRouter, takeLinkToken, type LinkToken, type Notice, type Route } from './router.js';
import { currentAccount, isSignedIn, onSessionChange, ownAccount, restoreSession, signOut } from './session.js';
import { actingAccount, onSupportChange } from './support.js';
import { $, announce, errorMessage, showView } from './ui.js';
import { initAccount, loadAccountPage, renderAccount } from './views/account.js';
import { initActivity } from './views/activity.js';
import { initAdmin, loadAdminPage } from './views/admin.js';
import { initSupportBanner, renderSupportBanner } from './views/admin-support.js';
import { initGroupBar } from './views/group-bar.js';
import { initPasskeys } from './views/passkeys.js';
import { hasPendingChallenge, initSignIn, initTwoFactor, renderTwoFactor } from './views/sign-in.js';
import { initSignedOutViews, pendingLinkRoute, prefill, useLinkToken } from './views/signed-out.js';
import { initTwoFactorSettings } from './views/two-factor-settings.js';

/** Views for someone signed out; a signed-in visitor is taken to the account page instead. */
const SIGNED_OUT_ONLY: ReadonlySet<Route> = new Set(['sign-in', 'two-factor', 'sign-up', 'forgot-password', 'reset-password', 'unlock']);

let shownRoute: Route | null = null;
let firstRender = true;

/**
 * Whether the admin page is for this visitor: signed in with the `admin` role, and not acting as
 * someone in a support session. (The server checks the role on every admin call all the same.)
 */
function canAdminister(): boolean {
  return isSignedIn() && !actingAccount() && (ownAccount()?.roles.includes('admin') ?? false);
}

/**
 * A mail's link opened in this tab while the page shows already (only the hash changed): its token is
 * taken like on load. A link for another group's account opens the page in that group.
 */
function takeLinkOnHashChange(): boolean {
  const link = takeLinkToken();
  if (!link) return true;
  const group = currentGroup();
  if (link.group && group !== null && link.group !== group) {
    openInGroup(link, link.group);
    return false;
  }
  useLinkToken(link);
  return true;
}

function openInGroup(link: LinkToken, group: string): void {
  const params = new URLSearchParams({ group, ...(link.token ? { token: link.token } : {}) });
  window.location.assign(`/?group=${encodeURIComponent(group)}#/${link.route}?${params}`);
}

function render(notice: Notice | null): void {
  if (!takeLinkOnHashChange()) return;
  const { route: asked } = currentLocation();
  // An in-page link (#passkeys) leaves the view as it is; on page load it still needs one.
  const anchor = asked === undefined ? window.location.hash.slice(1) : null;
  if (anchor !== null && shownRoute !== null) return;
  let route: Route = asked ?? (isSignedIn() ? 'account' : 'sign-in');
  if ((route === 'account' || route === 'admin') && !isSignedIn()) {
    route = 'sign-in';
    notice ??= { message: 'Sign in to see your account.', kind: 'info' };
  } else if (route === 'admin' && !canAdminister()) {
    route = 'account';
    notice ??= actingAccount()
      ? { message: 'End the support session to go back to the admin page.', kind: 'info' }
      : { message: 'The admin page is for accounts with the admin role.', kind: 'info' };
  } else if (SIGNED_OUT_ONLY.has(route) && isSignedIn() && !(route === 'reset-password' && pendingLinkRoute() === route)) {
    // (Except a reset mail's link: its token sets the password whoever is signed in here, and ends
    // every session, this one included.)
    route = 'account';
  } else if (route === 'two-factor' && !hasPendingChallenge()) {
    route = 'sign-in';
  }
  if (`#/${route}` !== window.location.hash && asked !== null && asked !== undefined) {
    history.replaceState(null, '', `#/${route}`);
  }

  const changed = route !== shownRoute;
  shownRoute = route;
  if (changed || notice) announce(notice?.message ?? '', notice?.kind);
  markCurrentNav(route);
  prefill(route);
  if (route === 'two-factor') renderTwoFactor();
  // Focus moves to the new view's heading, except on page load, where it starts at the top as usual.
  showView(route, { focus: !firstRender });
  firstRender = false;
  if (route === 'account') void loadAccountPage();
  if (route === 'admin') void loadAdminPage();
  if (anchor) document.getElementById(anchor)?.scrollIntoView({ behavior: 'instant' });
}

/** The main navigation entry each view belongs to (the steps of signing in under "Sign in", say). */
function navRouteFor(route: Route): Route {
  switch (route) {
    case 'two-factor':
    case 'forgot-password':
    case 'reset-password':
    case 'unlock':
      return 'sign-in';
    case 'verify-email':
      return isSignedIn() ? 'account' : 'sign-up';
    default:
      return route;
  }
}

/** Marks the current view's link in the main navigation (`aria-current="page"`, styled in CSS). */
function markCurrentNav(route: Route): void {
  const target = `#/${navRouteFor(route)}`;
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('.main-nav a'))) {
    if (link.getAttribute('href') === target) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function renderHeader(): void {
  const signedIn = isSignedIn();
  $('#nav-signed-in').hidden = !signedIn;
  $('#nav-signed-out').hidden = signedIn;
  $('#nav-admin-item').hidden = !canAdminister();
  renderSupportBanner();
}

async function main(): Promise<void> {
  // Before anything reads the URL: a mail's link carries its token in the fragment, taken out here.
  const link = takeLinkToken();
  useLinkToken(link);
  initSignIn();
  initTwoFactor();
  initSignedOutViews();
  initAccount();
  initTwoFactorSettings();
  initPasskeys();
  initActivity();
  initAdmin();
  initSupportBanner();

  $('#sign-out').addEventListener('click', () => void signOut());
  $('#announcer-close').addEventListener('click', () => {
    announce('');
    $('#main').focus();
  });

  onSessionChange((end) => {
    renderHeader();
    const account = currentAccount();
    if (account) renderAccount(account);
    if (end) go(end.route ?? 'sign-in', end);
  });

  // An admin starts acting as an account in a support session (its account page, under the banner), or
  // stops (back to the admin page, saying why).
  let acting = false;
  onSupportChange((end) => {
    renderHeader();
    const account = currentAccount();
    if (account) renderAccount(account);
    const started = !acting && actingAccount() !== null;
    acting = actingAccount() !== null;
    if (end) go('admin', end);
    else if (started) go('account', { message: `You are acting as ${account?.email.address} in a support session.`, kind: 'info' });
  });

  // Before any call of latchkey's: which group's routes to call (none in single-group mode), the one
  // the mail's link names if it does.
  await loadGroup(link?.group ?? null);
  initGroupBar();

  // A session kept by this tab (sessionStorage) is renewed before anything shows: that rotates its
  // refresh token, as every load should.
  let notice: Notice | null = null;
  try {
    await restoreSession();
  } catch (error) {
    notice = { message: errorMessage(error), kind: 'error' };
  }
  renderHeader();
  startRouter((next) => render(next ?? notice));
  notice = null;
}

void main();
