import { randomBytes } from 'node:crypto';
import { createAuth, type Auth } from '../../src/index.js';
import type { RequestAuth } from '../../src/http/guard.js';
import { memoryStorage } from '../../src/memory.js';

/**
 * The latchkey instance every example serves: memory storage, and the secret from `LATCHKEY_SECRET`.
 * Without it, a random secret is made for this run only (and a warning says so); the secret itself is
 * never printed.
 */
export function createExampleAuth(env: NodeJS.ProcessEnv = process.env): Auth {
  let secret = env.LATCHKEY_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    console.warn(
      '[example] LATCHKEY_SECRET is not set: using a random DEVELOPMENT secret for this run only.\n' +
        '[example] Tokens and signing keys die when the server stops. Set LATCHKEY_SECRET to 32+ random characters in any real deployment.',
    );
  }
  console.warn('[example] memory storage: accounts and sessions live in this process and are lost on restart.');
  return createAuth({ storage: memoryStorage(), secret });
}

/** Where to listen: `PORT` (else `defaultPort`) on `HOST` (else loopback only). */
export function listenAddress(defaultPort: number, env: NodeJS.ProcessEnv = process.env): { port: number; host: string } {
  const port = env.PORT ? Number(env.PORT) : defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new TypeError(`PORT must be a port number, got ${env.PORT}`);
  return { port, host: env.HOST || '127.0.0.1' };
}

/** The URL to print: loopback reads better as `localhost`, which is what the README tells people to open. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** What `GET /` of every example answers. */
export function indexBody(framework: string): unknown {
  return {
    name: `latchkey ${framework} example`,
    routes: {
      'POST /auth/accounts': 'register: { email, password, name? }',
      'POST /auth/login': 'log in: { email, password } → { accessToken, refreshToken, ... }',
      'POST /auth/token/refresh': 'rotate tokens: { refreshToken }',
      'POST /auth/logout': 'end the session: { refreshToken }',
      'POST /auth/token/revoke': 'RFC 7009 revocation: { token }',
      'GET /auth/account': 'the signed-in account (Authorization: Bearer <accessToken>)',
      'GET /auth/account/sessions': 'the account’s live sessions (bearer)',
      'GET /auth/.well-known/jwks.json': 'public signing keys',
      'GET /api/me': 'this app’s own protected route (bearer)',
    },
  };
}

/** What `GET /api/me` of every example answers, from what `requireAuth` attached to the request. */
export function meBody({ claims, account }: RequestAuth): { message: string; accountId: string; email: string } {
  return {
    message: `Hello ${account.name.first ?? account.email.address}, this route is protected by latchkey.`,
    accountId: claims.sub,
    email: account.email.address,
  };
}
