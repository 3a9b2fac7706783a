import { join, relative, resolve } from 'node:path';
import { createAuth, type Auth } from '../../src/index.js';
import type { OutboxMailer, OutboxSmsSender } from '../../src/adapters/index.js';
import type { Clock, Logger } from '../../src/core/ports.js';
import type { TrustProxy } from '../../src/http/client-ip.js';
import type { RequestAuth } from '../../src/http/guard.js';
import { DEV_SECRET_FILE, type ExampleSecret, exampleSecret, missingProductionSecret } from './dev-secret.js';
import { exampleGroups } from './groups.js';
import { exampleEmailOptions } from './mail-links.js';
import { exampleMailer, type ExampleMailer } from './mailer.js';
import { type ExampleMode, ExampleStartError, exampleMode } from './mode.js';
import { exampleSmsSender } from './sms.js';
import { exampleRateLimiter, type ExampleRateLimiter } from './rate-limiter.js';
import { openExampleStorage } from './storage.js';
import { exampleTrustProxy } from './trust-proxy.js';
import { exampleWebhooks, subscribeExampleWebhook } from './webhook-subscription.js';

/** The name the demo's mails show. */
export const EXAMPLE_APP_NAME = 'latchkey demo';

/** A started example's latchkey instance, its outboxes, and how to let go of its database and mailer. */
export interface ExampleAuth {
  auth: Auth;
  /** `development` or `production`, from `NODE_ENV` (see `exampleMode`). */
  mode: ExampleMode;
  /**
   * The outbox the mails go to, for `GET /dev/outbox`; null when `SMTP_URL` sends them for real, and
   * always in production.
   */
  outbox: OutboxMailer | null;
  /**
   * The outbox the text messages (SMS codes) go to, for `GET /dev/sms` (the demo sends no real SMS);
   * null in production, where no SMS is sent.
   */
  sms: OutboxSmsSender | null;
  /**
   * Which proxies are trusted to say who the client is, from `TRUST_PROXY` (see `exampleTrustProxy`):
   * pass it to `createApp` as `trustProxy`.
   */
  trustProxy: TrustProxy;
  /** Closes the SMTP pool, the Redis connection and the database (call it after the server has stopped). */
  close(): Promise<void>;
}

export interface ExampleAuthOptions {
  /**
   * Default `process.env`: `NODE_ENV`, `DATABASE_URL`, `LATCHKEY_SECRET`, `SMTP_URL`, `MAIL_FROM`,
   * `PUBLIC_URL`, `GROUPS` (whether the mails' links name the group), `WEBHOOK_URL`,
   * `WEBHOOK_ALLOW_PRIVATE`, `REDIS_URL` and `TRUST_PROXY` are read from it.
   */
  env?: NodeJS.ProcessEnv;
  /** Where the SQLite file lives (created 0700 when missing). Default `./data`. */
  dataDir?: string;
  /**
   * Where the development secret lives (created 0700 when missing), apart from the database. Default
   * `./.latchkey`.
   */
  secretDir?: string;
  /** latchkey's logger (default: its console logger). */
  logger?: Logger;
  /** Where the example's own start-up messages go. Default `console.warn`. */
  warn?: (line: string) => void;
  /**
   * Where the one line about `WEBHOOK_URL`'s endpoint goes (with its signing secret when it is
   * created). Default `console.log`: stdout, apart from the other start-up messages.
   */
  print?: (line: string) => void;
  /**
   * latchkey's clock, which also stamps `sentAt` in both outboxes. Default: the system clock. For tests
   * that move time by hand (TOTP steps, expiries).
   */
  clock?: Clock;
  /**
   * The port the demo is served on, for the passkey origins and the mails' links:
   * `http://localhost:<port>` (and `http://127.0.0.1:<port>` for passkeys) unless `PUBLIC_URL` is set.
   * Default 3000.
   */
  port?: number;
}
/** latchkey's `webauthn` option as the demo sets it. */
export interface ExamplePasskeys {
  rpID: string;
  rpName: string;
  origins: string[];
}

/**
 * The demo's passkey settings. `PUBLIC_URL` (`https://demo.example.com`), for a real deployment, gives
 * both: its hostname is the RP ID and its origin the only origin. Without it the demo works where it
 * runs: RP ID `localhost`, origins `http://localhost:<port>` and `http://127.0.0.1:<port>` (browsers only
 * complete the ceremony at `localhost`, since `127.0.0.1` is not within the RP ID, but the server must
 * not be what refuses it).
 *
 * @throws TypeError when `PUBLIC_URL` is not an http(s) URL
 * @example
 * ```ts
 * examplePasskeys({}, 3996) // { rpID: 'localhost', origins: ['http://localhost:3996', 'http://127.0.0.1:3996'], ... }
 * examplePasskeys({ PUBLIC_URL: 'https://demo.example.com' }, 3996) // { rpID: 'demo.example.com', origins: ['https://demo.example.com'], ... }
 * ```
 */
export function examplePasskeys(env: NodeJS.ProcessEnv, port: number): ExamplePasskeys {
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl) {
    let url: URL;
    try {
      url = new URL(publicUrl);
    } catch {
      throw new TypeError(`PUBLIC_URL must be the demo's URL (https://demo.example.com), got ${publicUrl}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`PUBLIC_URL must be an http(s) URL, got ${publicUrl}`);
    }
    return { rpID: url.hostname, rpName: EXAMPLE_APP_NAME, origins: [url.origin] };
  }
  return {
    rpID: 'localhost',
    rpName: EXAMPLE_APP_NAME,
    origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
  };
}

/**
 * The latchkey instance every example serves. The mode comes from `NODE_ENV` (see `exampleMode`):
 * production serves no `/dev` routes and needs `LATCHKEY_SECRET`. Storage comes from `DATABASE_URL`:
 * unset, SQLite at `./data/latchkey.sqlite` (created 0600 and migrated on first run, kept across
 * restarts); `postgres://…` or `mysql://…` for a server (migrated on start); `memory:` for nothing on
 * disk. The secret is `LATCHKEY_SECRET`, else, in development only, a development secret kept in
 * `./.latchkey/dev-secret` (see `exampleSecret`); it must open the signing keys already in the database.
 * Mail goes to an in-memory outbox (served at `GET /dev/outbox` by the apps) in development, or over
 * SMTP when `SMTP_URL` is set (see `exampleMailer`); verification and reset mails link to the web app
 * with the token (and, with `GROUPS=1`, the group) in the fragment (see `exampleEmailOptions`). Text
 * messages (SMS codes) go to an in-memory outbox in development, served at `GET /dev/sms` by the apps
 * (see `exampleSmsSender`).
 * Passkeys work at `http://localhost:<port>`, or at `PUBLIC_URL` (see `examplePasskeys`).
 * Rate limits are counted in Redis when `REDIS_URL` is set, so that several instances share them, else in
 * this process's memory (see `exampleRateLimiter`).
 * Webhooks are delivered from this process, over https only in production; receivers on this machine
 * are allowed in development, and with `WEBHOOK_ALLOW_PRIVATE=1` those and private networks in any mode.
 * `WEBHOOK_URL` subscribes an endpoint to every event of the default group at start-up, printing its
 * secret that once (see `exampleWebhooks` and `subscribeExampleWebhook`).
 * `TRUST_PROXY` says which proxies may name the client in `X-Forwarded-For` (see `exampleTrustProxy`);
 * it is returned as `trustProxy`, for `createApp`.
 *
 * @throws ExampleStartError when the start cannot go on and its message says how to fix it: no
 *   `LATCHKEY_SECRET` in production, a secret that latchkey refuses or that cannot open the stored
 *   signing keys, a `WEBHOOK_URL` that is not a URL or that the sender refuses, a `TRUST_PROXY` that
 *   is not true, a number or a list of addresses and CIDRs
 * @throws TypeError when `PUBLIC_URL` is not an http(s) URL
 */
export async function createExampleAuth(options: ExampleAuthOptions = {}): Promise<ExampleAuth> {
  const env = options.env ?? process.env;
  const mode = exampleMode(env);
  const dataDir = resolve(options.dataDir ?? 'data');
  const secretDir = resolve(options.secretDir ?? '.latchkey');
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const print = options.print ?? ((line: string) => console.log(line));
  // Checked before the database opens, so that a bad PUBLIC_URL, WEBHOOK_URL or TRUST_PROXY or a
  // missing secret leaves nothing to close and nothing on disk.
  const webauthn = examplePasskeys(env, options.port ?? 3000);
  const webhooks = exampleWebhooks(env, mode);
  const proxies = exampleTrustProxy(env);
  if (mode === 'production' && !env.LATCHKEY_SECRET) throw missingProductionSecret(env);
  const storage = await openExampleStorage(env.DATABASE_URL, dataDir, warn);
  let mail: ExampleMailer | undefined;
  let limits: ExampleRateLimiter | undefined;
  try {
    const { secret, source } = await exampleSecret({ env, mode, secretDir, dataDir, persist: storage.persistent, warn });
    const nodeEnv = env.NODE_ENV ? `NODE_ENV=${env.NODE_ENV}` : 'NODE_ENV unset';
    warn(`[example] mode: ${mode} (${nodeEnv})${mode === 'production' ? ': no /dev routes' : ''}`);
    warn(`[example] storage: ${storage.description}`);
    mail = await exampleMailer(env, { clock: options.clock, mode });
    warn(`[example] mail: ${mail.description}`);
    limits = await exampleRateLimiter(env, options.logger);
    warn(`[example] rate limits: ${limits.description}`);
    warn(`[example] passkeys: RP ID ${webauthn.rpID}, origins ${webauthn.origins.join(', ')} (PUBLIC_URL sets both)`);
    warn(`[example] client address: ${proxies.description}`);
    const sms = mode === 'development' ? exampleSmsSender({ clock: options.clock }) : null;
    warn(
      sms
        ? '[example] sms: outbox: text messages are kept in memory and served at GET /dev/sms (development only: they hold working codes)'
        : '[example] sms: none: the demo has no SMS provider, so text codes cannot be sent in production',
    );
    const auth = await startAuth({
      storage: storage.storage,
      secret,
      ...(mail.mailer ? { mailer: mail.mailer } : {}),
      ...(sms ? { sms } : {}),
      email: exampleEmailOptions(webauthn.origins[0]!, EXAMPLE_APP_NAME, { groups: exampleGroups(env) }),
      webauthn,
      webhookSender: webhooks.sender,
      ...(limits.rateLimiter ? { rateLimiter: limits.rateLimiter } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    }, secretHint(source, join(secretDir, DEV_SECRET_FILE)));
    // Delivers the outbox's webhooks from this process (docs/webhooks.md).
    const dispatcher = auth.startWebhookDispatcher();
    warn(`[example] webhooks: ${webhooks.description}`);
    try {
      if (webhooks.url) await subscribeExampleWebhook(auth, webhooks.url, print);
    } catch (error) {
      await dispatcher.stop();
      throw error;
    }
    return {
      auth,
      mode,
      outbox: mail.outbox,
      sms,
      trustProxy: proxies.trustProxy,
      async close() {
        await dispatcher.stop();
        await mail?.close();
        await limits?.close();
        await storage.close();
      },
    };
  } catch (error) {
    await mail?.close();
    await limits?.close();
    await storage.close();
    throw error;
  }
}

/** What to do about a secret that cannot open the stored keys, by where the secret came from. */
function secretHint(source: ExampleSecret['source'], file: string): string {
  if (source === 'env') return '(The demo reads it from LATCHKEY_SECRET: set that back to the secret the database was made with.)';
  if (source === 'file') {
    const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
    return `(The demo read it from its development secret file, ${shown}: put the old file back, or start on an empty database.)`;
  }
  return '';
}

/**
 * `createAuth`, then `auth.checkSecret()`, so that a secret that cannot open the signing keys already
 * stored (another `LATCHKEY_SECRET`, a lost development secret) stops the start at once, with latchkey's
 * own one-line message, instead of every sign-in failing later. Both fail only on the operator's
 * configuration, so their messages become {@link ExampleStartError}s; `hint` says where the demo's secret
 * came from.
 */
async function startAuth(options: Parameters<typeof createAuth>[0], hint: string): Promise<Auth> {
  let auth: Auth;
  try {
    auth = createAuth(options);
  } catch (error) {
    throw new ExampleStartError(messageOf(error), { cause: error });
  }
  try {
    await auth.checkSecret();
  } catch (error) {
    throw new ExampleStartError(`${messageOf(error)} ${hint}`.trim(), { cause: error });
  }
  return auth;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** What every example's `createApp(auth, options)` takes. */
export interface ExampleAppOptions {
  /**
   * Serve this outbox at `GET /dev/outbox`: the mails sent, newest last. Development only, since it
   * shows every token mailed; without it the route does not exist (404).
   */
  outbox?: OutboxMailer | null;
  /**
   * Serve this SMS outbox at `GET /dev/sms`: the text messages sent, newest last. Development only,
   * since it shows every phone code; without it the route does not exist (404).
   */
  sms?: OutboxSmsSender | null;
  /**
   * Multi-group mode (`GROUPS=1`, see `exampleGroups`): latchkey at `/auth/{group}/…` and the app's
   * own route at `/api/{group}/me`. Default false.
   */
  groups?: boolean;
  /**
   * Which proxies may name the client in `X-Forwarded-For` (`TRUST_PROXY`, see `exampleTrustProxy`):
   * latchkey's `trustProxy` on Hono, Express's `trust proxy` setting and Fastify's `trustProxy` option
   * (see `expressTrustProxy` and `fastifyTrustProxy`). Default false: the socket's address is the client's.
   */
  trustProxy?: TrustProxy;
}

/**
 * What `GET /api` of every example answers (`GET /` is the web app); `outbox` / `sms`: whether
 * `GET /dev/outbox` / `GET /dev/sms` are served.
 */
export function indexBody(framework: string, options: { outbox?: boolean; sms?: boolean } = {}): unknown {
  return {
    name: `latchkey ${framework} example`,
    routes: {
      'GET /':
        'the demo web app: sign up, sign in (password, second factor, passkey), the account page; also served at ' +
        '/verify-email and /reset-password, where the mails link',
      'GET /api': 'this list',
      'GET /docs': 'the API reference: Redoc rendering the OpenAPI document of the auth mount (GET /auth/openapi.json)',
      'GET /demo-config.json': 'how the server runs, for the web app: { groups } (true with GROUPS=1: latchkey at /auth/{group}/…)',
      'POST /auth/accounts': 'register: { email, password, name? } (mails a verification token)',
      'POST /auth/email/verify':
        'verify the email address: { token } from the verification mail (its link carries it in the fragment, #token=…); ' +
        'ends every session opened before it',
      'POST /auth/login':
        'log in: { email, password, twoFactorCode?, twoFactorRecoveryCode? } → { accessToken, refreshToken, ... }, ' +
        'or 401 two_factor_required { methods, challenge }',
      'POST /auth/login/two-factor':
        'second step: { challenge, code } or { challenge, recoveryCode } → tokens; { challenge, method: "email" | "sms" } → 202, sends a code',
      'POST /auth/token/refresh': 'rotate tokens: { refreshToken }',
      'POST /auth/logout': 'end the session: { refreshToken }',
      'POST /auth/token/revoke': 'RFC 7009 revocation: { token }',
      'POST /auth/password/forgot': 'mail a password reset token: { email } → 202',
      'POST /auth/password/reset': 'set a new password: { token, password, twoFactorCode? } (ends every session)',
      'GET /auth/account': 'the signed-in account (Authorization: Bearer <accessToken>)',
      'PATCH /auth/account': 'update name / allowSupportLogin: merge JSON or application/json-patch+json (bearer)',
      'DELETE /auth/account': 'delete the account: { password } or an x-otp header → 202 job (bearer)',
      'POST /auth/account/email/verification': 'mail a new verification token → 202 (bearer)',
      'POST /auth/account/password': 'change the password: { current, new } (bearer)',
      'GET /auth/account/logins': 'login history, newest first: ?limit&cursor (bearer)',
      'GET /auth/account/sessions': 'the account’s live sessions (bearer)',
      'DELETE /auth/account/sessions/{id}': 'end one of the account’s sessions → 204 (bearer)',
      'DELETE /auth/account/sessions': 'end every other session → 204 (bearer)',
      'POST /auth/account/two-factor/totp': 'start authenticator set-up → { secret, uri, qrCodeSvg } (bearer)',
      'POST /auth/account/two-factor/totp/verify':
        'enable TOTP: { code, password? } → { recoveryCodes } (10, shown once); proof: { password } without a second factor, ' +
        'else an x-otp header (bearer)',
      'DELETE /auth/account/two-factor/totp': 'turn TOTP off: x-otp header (a TOTP or a recovery code) (bearer)',
      'PUT /auth/account/recovery-codes':
        '10 new recovery codes, old ones die: { password? }; proof: { password } without a second factor, else an x-otp header (bearer)',
      'POST /auth/account/phone': 'set the phone: { phone, country? } → 202, texts a code; replacing an enabled SMS factor’s number needs x-otp (bearer)',
      'POST /auth/account/otp/send': 'send a code: { channel: "email" | "sms" } → 202 (bearer)',
      'POST /auth/account/otp/verify':
        'verify a channel and enable its codes as a second factor: { channel, code, password? }; proof: { password } without a ' +
        'second factor, else an x-otp header (bearer)',
      'DELETE /auth/account/otp/{channel}': 'turn email or SMS codes off: x-otp header (bearer)',
      'PUT /auth/account/panic': 'lock the account now and end every session → 204 (bearer)',
      'POST /auth/account/unlock': 'unlock a panic-locked account: { email, recoveryCode, newPassword } → tokens',
      'POST /auth/account/webauthn/register/options': 'start adding a passkey → creation options (bearer)',
      'POST /auth/account/webauthn/register/verify':
        'add the passkey: { credential, name?, password? } → { id, name, createdAt }; proof: { password } without a second ' +
        'factor, else an x-otp header (bearer)',
      'GET /auth/account/webauthn/credentials': 'the account’s passkeys: { data: [{ id, name, createdAt, lastUsedAt }], nextCursor } (bearer)',
      'PATCH /auth/account/webauthn/credentials/{id}': 'rename a passkey: { name } (bearer)',
      'DELETE /auth/account/webauthn/credentials/{id}':
        'remove a passkey → 204; proof: { password } without a second factor, else an x-otp header (bearer)',
      'POST /auth/webauthn/login/options': 'start a passkey sign-in: { email? } (none: discoverable) → request options',
      'POST /auth/webauthn/login/verify':
        'sign in with a passkey: { credential, twoFactorCode?, twoFactorRecoveryCode? } → tokens, or 401 two_factor_required',
      'GET /auth/.well-known/jwks.json': 'public signing keys',
      'GET /api/me': 'this app’s own protected route (bearer)',
      ...(options.outbox
        ? {
            'GET /dev/outbox':
              'development only: the mails sent, newest last ([{ to, subject, text, html, sentAt }]); a browser (Accept: text/html) gets a page, newest first',
          }
        : {}),
      ...(options.sms
        ? { 'GET /dev/sms': 'development only: the text messages sent, newest last ([{ to, text, sentAt }]); a browser gets a page' }
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
