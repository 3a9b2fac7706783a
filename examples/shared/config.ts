import { resolve } from 'node:path';
import { createAuth, type Auth } from '../../src/index.js';
import type { Logger } from '../../src/core/ports.js';
import type { RequestAuth } from '../../src/http/guard.js';
import { exampleSecret } from './dev-secret.js';
import { openExampleStorage } from './storage.js';

/** A started example's latchkey instance, and how to let go of its database. */
export interface ExampleAuth {
  auth: Auth;
  /** Closes the database (call it after the server has stopped). */
  close(): Promise<void>;
}

export interface ExampleAuthOptions {
  /** Default `process.env`: `DATABASE_URL` and `LATCHKEY_SECRET` are read from it. */
  env?: NodeJS.ProcessEnv;
  /** Where the SQLite file and the development secret live. Default `./data`. */
  dataDir?: string;
  /** latchkey's logger (default: its console logger). */
  logger?: Logger;
  /** Where the example's own start-up messages go. Default `console.warn`. */
  warn?: (line: string) => void;
}

/**
 * The latchkey instance every example serves. Storage comes from `DATABASE_URL`: unset, SQLite at
 * `./data/latchkey.sqlite` (created and migrated on first run, kept across restarts); `postgres://…`
 * or `mysql://…` for a server (migrated on start); `memory:` for nothing on disk. The secret is
 * `LATCHKEY_SECRET`, else a development secret kept in `./data/dev-secret` (see `exampleSecret`).
 */
export async function createExampleAuth(options: ExampleAuthOptions = {}): Promise<ExampleAuth> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir ?? 'data');
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const storage = await openExampleStorage(env.DATABASE_URL, dataDir);
  try {
    const { secret } = await exampleSecret({ env, dataDir, persist: storage.persistent, warn });
    warn(`[example] storage: ${storage.description}`);
    const auth = createAuth({ storage: storage.storage, secret, ...(options.logger ? { logger: options.logger } : {}) });
    return { auth, close: storage.close };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/**
 * On SIGINT or SIGTERM: runs `stop` (stop the server, then close the database) and exits; exits anyway
 * after 3 s if a connection holds the server open.
 */
export function exitOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      setTimeout(() => process.exit(0), 3_000).unref();
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
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
