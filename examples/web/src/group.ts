// Which of latchkey's groups the page works in. The server says at GET /demo-config.json whether it runs
// in multi-group mode (`GROUPS=1 npm start`: every latchkey route under /auth/{group}/…, the app's own
// at /api/{group}/me). If it does, the group is the one a mail's link names (`#group=…&token=…`), else
// `?group=…` in the page's URL, else the one this tab used last (sessionStorage), else `default`, the
// root group. If it does not, there is no group to pick and the page calls /auth/… and /api/me as ever.

const STORAGE_KEY = 'latchkey-demo.group';
/** latchkey's group ids (docs/groups.md): anything else would be a 404 on every call. */
const GROUP_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ROOT_GROUP = 'default';

/** null in single-group mode. */
let group: string | null = null;

/**
 * Asks the server how it runs and, in multi-group mode, picks the group (remembered for this tab). A
 * server that does not answer is taken as single-group, which is what the page did before it asked.
 */
export async function loadGroup(linkGroup: string | null): Promise<void> {
  let groups = false;
  try {
    const response = await fetch('/demo-config.json', { cache: 'no-store' });
    groups = response.ok && ((await response.json()) as { groups?: unknown }).groups === true;
  } catch {
    // Single-group.
  }
  if (!groups) return;
  const asked = new URLSearchParams(window.location.search).get('group');
  group = [linkGroup, asked, readStored()].find(isGroupId) ?? ROOT_GROUP;
  writeStored(group);
}

/** The group the page works in, or null in single-group mode. */
export function currentGroup(): string | null {
  return group;
}

/**
 * Where latchkey/client finds latchkey's routes: under `/auth`, and in multi-group mode under the
 * group's prefix (`/auth/{group}`, which the client builds from `group`).
 */
export function latchkeyLocation(): { baseUrl: string; group?: string } {
  return group === null ? { baseUrl: '/auth' } : { baseUrl: '/auth', group };
}

/** The demo app's own protected route: `/api/me`, or `/api/{group}/me` in multi-group mode. */
export function mePath(): string {
  return group === null ? '/api/me' : `/api/${group}/me`;
}

export function isGroupId(value: string | null | undefined): value is string {
  return typeof value === 'string' && GROUP_ID.test(value);
}

/** Opens the page in another group. Its session, if any, stays this tab's for that group (session.ts). */
export function switchGroup(next: string): void {
  writeStored(next);
  window.location.assign(`/?group=${encodeURIComponent(next)}`);
}

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the URL's group, or the root group
  }
}

function writeStored(value: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, value);
  } catch {
    // storage disabled
  }
}
