import { resolve } from 'node:path';
import { createAuth, type Auth } from '../../src/index.js';
import type { OutboxMailer } from '../../src/adapters/index.js';
import type { Logger } from '../../src/core/ports.js';
import type { RequestAuth } from '../../src/http/guard.js';
import { exampleSecret } from './dev-secret.js';
import { exampleMailer, type ExampleMailer } from './mailer.js';
import { openExampleStorage } from './storage.js';

/** The name the demo's mails show. */
export const EXAMPLE_APP_NAME = 'latchkey demo';

/** A started example's latchkey instance, its outbox, and how to let go of its database and mailer. */
export interface ExampleAuth {
  auth: Auth;
  /** The outbox the mails go to, for `GET /dev/outbox`; null when `SMTP_URL` sends them for real. */
  outbox: OutboxMailer | null;
  /** Closes the SMTP pool and the database (call it after the server has stopped). */
  close(): Promise<void>;
}

export interface ExampleAuthOptions {
  /**
   * Default `process.env`: `DATABASE_URL`, `LATCHKEY_SECRET`, `SMTP_URL` and `MAIL_FROM` are read from
   * it.
   */
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
 * `LATCHKEY_SECRET`, else a development secret kept in `./data/dev-secret` (see `exampleSecret`). Mail
 * goes to an in-memory outbox (served at `GET /dev/outbox` by the apps), or over SMTP when `SMTP_URL` is
 * set (see `exampleMailer`).
 */
export async function createExampleAuth(options: ExampleAuthOptions = {}): Promise<ExampleAuth> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir ?? 'data');
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const storage = await openExampleStorage(env.DATABASE_URL, dataDir);
  let mail: ExampleMailer | undefined;
  try {
    const { secret } = await exampleSecret({ env, dataDir, persist: storage.persistent, warn });
    warn(`[example] storage: ${storage.description}`);
    mail = await exampleMailer(env);
    warn(`[example] mail: ${mail.description}`);
    const auth = createAuth({
      storage: storage.storage,
      secret,
      mailer: mail.mailer,
      email: { appName: EXAMPLE_APP_NAME },
      ...(options.logger ? { logger: options.logger } : {}),
    });
    return {
      auth,
      outbox: mail.outbox,
      async close() {
        await mail?.close();
        await storage.close();
      },
    };
  } catch (error) {
    await mail?.close();
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

/** What every example's `createApp(auth, options)` takes. */
export interface ExampleAppOptions {
  /**
   * Serve this outbox at `GET /dev/outbox`: the mails sent, newest last. Development only, since it
   * shows every token mailed; without it the route does not exist (404).
   */
  outbox?: OutboxMailer | null;
}

/** What `GET /` of every example answers; `outbox`: whether `GET /dev/outbox` is served. */
export function indexBody(framework: string, options: { outbox?: boolean } = {}): unknown {
  return {
    name: `latchkey ${framework} example`,
    routes: {
      'POST /auth/accounts': 'register: { email, password, name? } (mails a verification token)',
      'POST /auth/email/verify': 'verify the email address: { token } from the verification mail',
      'POST /auth/login': 'log in: { email, password } → { accessToken, refreshToken, ... }',
      'POST /auth/token/refresh': 'rotate tokens: { refreshToken }',
      'POST /auth/logout': 'end the session: { refreshToken }',
      'POST /auth/token/revoke': 'RFC 7009 revocation: { token }',
      'POST /auth/password/forgot': 'mail a password reset token: { email } → 202',
      'POST /auth/password/reset': 'set a new password: { token, password } (ends every session)',
      'GET /auth/account': 'the signed-in account (Authorization: Bearer <accessToken>)',
      'PATCH /auth/account': 'update name / allowSupportLogin: merge JSON or application/json-patch+json (bearer)',
      'DELETE /auth/account': 'delete the account: { password } → 202 job (bearer)',
      'POST /auth/account/email/verification': 'mail a new verification token → 202 (bearer)',
      'POST /auth/account/password': 'change the password: { current, new } (bearer)',
      'GET /auth/account/logins': 'login history, newest first: ?limit&cursor (bearer)',
      'GET /auth/account/sessions': 'the account’s live sessions (bearer)',
      'GET /auth/.well-known/jwks.json': 'public signing keys',
      'GET /api/me': 'this app’s own protected route (bearer)',
      ...(options.outbox
        ? { 'GET /dev/outbox': 'development only: the mails sent, newest last ([{ to, subject, text, html, sentAt }])' }
        : {}),
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
