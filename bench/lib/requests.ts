/** The requests of each scenario, and the accounts and sessions they need, for both libraries. */
import type { Req } from './load.js';
import type { Server } from './servers.js';

export type Kind = 'latchkey' | 'better-auth';
export const PASSWORD = 'correct horse battery staple';

let emailCounter = 0;
const runId = Date.now().toString(36);

/** Better Auth in production refuses a POST without an Origin (its CSRF check); a browser sends one. */
async function post(url: string, body: unknown): Promise<Response> {
  const origin = new URL(url).origin;
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
}

async function ok(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

/** Sign-up with a unique email per request. */
export function signUpRequest(kind: Kind, server: Server): Req {
  return {
    method: 'POST',
    path: kind === 'latchkey' ? '/auth/accounts' : '/api/auth/sign-up/email',
    headers: { 'content-type': 'application/json', origin: server.base },
    setupRequest(req) {
      const email = `u-${runId}-${emailCounter++}@bench.test`;
      const body = kind === 'latchkey' ? { email, password: PASSWORD } : { email, password: PASSWORD, name: 'Bench' };
      return { ...req, body: JSON.stringify(body) };
    },
  };
}

export function signInRequest(kind: Kind, server: Server, email: string): Req {
  return {
    method: 'POST',
    path: kind === 'latchkey' ? '/auth/login' : '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: server.base },
    body: JSON.stringify({ email, password: PASSWORD }),
  };
}

/** A server with one account signed in, and what the scenarios send to it. */
export interface Prepared {
  server: Server;
  kind: Kind;
  email: string;
  /** latchkey `GET /auth/account` with a bearer token; Better Auth get-session with its cookie. */
  authRequest: Req;
  /** latchkey only: `GET /account` of an instance with the verified-token cache off (`verifiedTokenCache: 0`). */
  everyCheckAuthRequest?: Req;
  /** latchkey only: a host route calling `verifyAccessToken` without a storage read. */
  statelessRequest?: Req;
  /** latchkey only: a host route that does nothing (the HTTP stack's own cost). */
  emptyRequest?: Req;
  /** latchkey only: a host route behind `requireAuth` (token, session and account, like GET /auth/account). */
  guardedRequest?: Req;
  /** latchkey only: signs in `count` times, for the refresh tokens of as many new sessions. */
  freshSessions?: (count: number) => Promise<string[]>;
}

export async function prepareLatchkey(server: Server): Promise<Prepared> {
  const email = `fixed-${runId}@bench.test`;
  await ok(await post(`${server.base}/auth/accounts`, { email, password: PASSWORD }), `${server.name} sign-up`);
  const login = async () => {
    const res = await ok(await post(`${server.base}/auth/login`, { email, password: PASSWORD }), `${server.name} login`);
    return (await res.json()) as { accessToken: string; refreshToken: string };
  };
  const bearer = { authorization: `Bearer ${(await login()).accessToken}` };
  return {
    server,
    kind: 'latchkey',
    email,
    authRequest: { method: 'GET', path: '/auth/account', headers: bearer },
    everyCheckAuthRequest: { method: 'GET', path: '/auth-every-check/account', headers: bearer },
    statelessRequest: { method: 'GET', path: '/stateless', headers: bearer },
    emptyRequest: { method: 'GET', path: '/empty', headers: bearer },
    guardedRequest: { method: 'GET', path: '/guarded', headers: bearer },
    freshSessions: async (count) => (await Promise.all(Array.from({ length: count }, login))).map((t) => t.refreshToken),
  };
}

export async function prepareBetterAuth(server: Server): Promise<Prepared> {
  const email = `fixed-${runId}@bench.test`;
  const signUp = await post(`${server.base}/api/auth/sign-up/email`, { email, password: PASSWORD, name: 'Bench' });
  await ok(signUp, `${server.name} sign-up`);
  const res = await ok(await post(`${server.base}/api/auth/sign-in/email`, { email, password: PASSWORD }), `${server.name} sign-in`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const check = (await (await fetch(`${server.base}/api/auth/get-session`, { headers: { cookie } })).json()) as {
    session?: unknown;
  } | null;
  if (!check?.session) throw new Error(`${server.name}: get-session with the sign-in cookie returned no session`);
  return {
    server,
    kind: 'better-auth',
    email,
    authRequest: { method: 'GET', path: '/api/auth/get-session', headers: { cookie } },
  };
}
