import { z } from 'zod';
import type { Clock, JwsSigner, Logger, Mailer, PasswordHasher, RateLimiter, SmsSender, WebhookSender } from './ports.js';
import { DAY, passwordPolicies, port, secretString, storage } from './options/checks.js';
import { emailOptions, throttleOptions, webauthnOptions, webhooksOptions } from './options/sections.js';

export const optionsSchema = z.strictObject({
  /** Where accounts, sessions and keys live. */
  storage,
  /**
   * At least 32 characters of randomness; keys that encrypt private signing keys and other secrets at
   * rest are derived from it. Required unless NODE_ENV is `development` or `test`. Obvious placeholders
   * (a short unit repeated, few distinct characters) are refused: use `openssl rand -base64 32`.
   */
  secret: secretString().optional(),
  /**
   * Secrets used before `secret`, newest first, while data sealed or hashed under them remains: it is
   * still read with them, and re-sealed under `secret` as it is used (see docs/tokens.md). Each is
   * checked like `secret`.
   */
  previousSecrets: z.array(secretString()).max(10).default([]),
  /** `iss` of access tokens. */
  issuer: z.string().min(1).default('latchkey'),
  /** `aud` of access tokens. */
  audience: z.string().min(1).default('latchkey'),
  /** Access token lifetime in seconds (default 900, 15 minutes). */
  accessTokenTtl: z.number().int().min(30).max(DAY).default(900),
  /**
   * Access tokens each instance remembers having verified (default 10,000; 0 turns it off). A client
   * sends the same token until it expires; from its second use on, the signature check is skipped
   * (about a tenth of a millisecond of CPU), while expiry, the key and, unless asked not to, the session
   * are checked on every use as before. Least recently used dropped first.
   */
  verifiedTokenCache: z.number().int().min(0).max(1_000_000).default(10_000),
  /** How long a session (and so its refresh tokens) lives: idle and absolute limits, both in seconds. */
  session: z
    .strictObject({
      /** A session unused (not refreshed) for this long ends (default 14 days). */
      idleTimeout: z.number().int().min(60).max(400 * DAY).default(14 * DAY),
      /** A session ends this long after login whatever its use (default 90 days). */
      absoluteTimeout: z.number().int().min(60).max(400 * DAY).default(90 * DAY),
    })
    .prefault({}),
  /**
   * Seconds during which a just-rotated refresh token, presented again, answers `refresh_token_stale`
   * instead of revoking the session (default 0: any reuse revokes).
   */
  refreshTokenReuseGrace: z.number().int().min(0).max(300).default(0),
  /** The password policy: a length window, counted in Unicode code points after NFKC (no composition rules). */
  password: z
    .strictObject({
      /** Fewest characters (default 8; at least 8). */
      minLength: z.number().int().min(8).max(256).default(8),
      /** Most characters (default 256): bounds the work of hashing one attempt. */
      maxLength: z.number().int().min(8).max(1024).default(256),
    })
    .prefault({}),
  /** The rate limits, each `{ points, durationSeconds }`: counted by the `rateLimiter` port. */
  throttle: throttleOptions(),
  /** Refuse password login (`email_not_verified`) until the email address is verified. Default false. */
  requireEmailVerification: z.boolean().default(false),
  /**
   * The group whose administrators manage the other groups (`GET/POST /groups`, `DELETE /groups/{id}`
   * in multi-group mode, at `/auth/{rootGroup}/groups`); it can never be deleted. Default `default`.
   */
  rootGroup: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a group id (1–63 lower-case letters, digits, "-" or "_")')
    .default('default'),
  /** Lifetime of an email verification token in seconds (default 24 hours). */
  emailVerificationTtl: z.number().int().min(300).max(30 * DAY).default(DAY),
  /** Lifetime of a password reset token in seconds (default 1 hour). */
  passwordResetTtl: z.number().int().min(300).max(DAY).default(3600),
  /**
   * Lifetime in seconds of the claim link mailed to each imported account (`POST /accounts/import`):
   * a password reset token that sets the password and verifies the address (default 7 days).
   */
  importClaimTtl: z.number().int().min(3600).max(30 * DAY).default(7 * DAY),
  /** How long login-history entries are kept, in seconds. */
  loginHistory: z
    .strictObject({
      /** Login-history entries older than this are removed by `purgeDeletedAccounts` (default 180 days). */
      retention: z.number().int().min(DAY).max(3650 * DAY).default(180 * DAY),
      /** Entries for addresses that have no account are removed sooner (default 1 day). */
      unknownRetention: z.number().int().min(0).max(3650 * DAY).default(DAY),
    })
    .prefault({}),
  /** How long the audit log of administrators' actions (`GET /audit`) is kept, in seconds. */
  auditLog: z
    .strictObject({
      /** Entries older than this are removed by `purgeDeletedAccounts` (default 400 days, at least 1 day). */
      retention: z.number().int().min(DAY).max(3650 * DAY).default(400 * DAY),
    })
    .prefault({}),
  /** How long a deleted account's personal data is kept before `purgeDeletedAccounts` removes it (default 30 days). */
  deletedAccountRetention: z.number().int().min(0).max(400 * DAY).default(30 * DAY),
  /** How latchkey's mails look and link back to the app. */
  email: emailOptions(),
  /** Delivers latchkey's mails (default: printed to the console in development, otherwise none). */
  mailer: port<Mailer>('Mailer', ['send']).optional(),
  /**
   * Passkeys (WebAuthn). Without this option the passkey routes answer 404: a relying party needs its
   * RP ID and origins, and guessing them would be unsafe.
   */
  webauthn: webauthnOptions(),
  /** Delivers text messages (SMS codes; default: printed to the console in development, otherwise none). */
  sms: port<SmsSender>('SmsSender', ['send']).optional(),
  /**
   * Sends the webhook requests (default: `createWebhookSender` from `latchkey/adapters`, refusing
   * loopback, private, link-local and metadata addresses unless `webhooks.allow` lists them, and plain
   * http in production).
   */
  webhookSender: port<WebhookSender>('WebhookSender', ['check', 'send']).optional(),
  /** The outbox's webhook deliveries (docs/webhooks.md). */
  webhooks: webhooksOptions(),
  /**
   * Signs access tokens (default: node:crypto on the calling thread with `createAuth` from `latchkey`,
   * WebCrypto in the core). Replace it only to sign elsewhere (a hardware module, say).
   */
  jwsSigner: port<JwsSigner>('JwsSigner', ['sign']).optional(),
  /** Hashes passwords (default: scrypt, on latchkey's own worker threads). */
  passwordHasher: port<PasswordHasher>('PasswordHasher', ['hash', 'verify', 'needsRehash']).optional(),
  /**
   * Rules on new passwords beyond the length window, asked in order at registration, reset, change and
   * unlock (docs/password-policy.md). `createAuth` from `latchkey` defaults to `commonPasswordPolicy()`
   * (the 10,000 most common passwords, offline); `[]` turns it off. `hibpPasswordPolicy()` adds the
   * breach check, which is off unless given.
   */
  passwordPolicy: passwordPolicies().optional(),
  /**
   * Counts the `throttle` limits (default: in this process's memory). With several instances, give them
   * one shared limiter (`redisRateLimiter` from `latchkey/redis`), or each counts on its own. Every limit
   * of latchkey is counted here.
   */
  rateLimiter: port<RateLimiter>('RateLimiter', ['check', 'hit', 'refund', 'reset']).optional(),
  /** Where time comes from (default: the system clock); tests pass a clock they move by hand. */
  clock: port<Clock>('Clock', ['now']).optional(),
  /** Where latchkey logs (default: the console, at `warn` and above). Never given a secret. */
  logger: port<Logger>('Logger', ['debug', 'info', 'warn', 'error']).optional(),
});

/**
 * What `createAuth` accepts: `storage` is the one option every app gives (and `secret` outside
 * development); everything else has a default. Unknown keys and out-of-range values are refused at
 * start-up with the option's name.
 *
 * @example
 * ```ts
 * const options: AuthOptions = {
 *   storage: kyselyStorage(db),
 *   secret: process.env.LATCHKEY_SECRET,
 *   accessTokenTtl: 600,
 *   email: { from: 'Acme <auth@acme.example>', resetUrl: 'https://acme.example/reset?token={token}' },
 * }
 * ```
 *
 * @interface
 */
export type AuthOptions = z.input<typeof optionsSchema>;
/**
 * The options after validation, every default filled in: what an instance runs with. `auth.options`
 * shows them without the secrets ({@link AuthInstanceOptions}).
 *
 * @interface
 */
export type ParsedOptions = z.output<typeof optionsSchema>;

/**
 * Validates options, naming the first bad one.
 *
 * @throws TypeError `latchkey: invalid option \`session.idleTimeout\`: …`
 */
export function parseOptions(options: unknown): ParsedOptions {
  const result = optionsSchema.safeParse(options);
  if (result.success) {
    if (result.data.password.maxLength < result.data.password.minLength) {
      throw new TypeError('latchkey: invalid option `password.maxLength`: must be at least `password.minLength`');
    }
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].join('.');
  const what = issue.code === 'unrecognized_keys' ? 'unknown option' : issue.message;
  throw new TypeError(`latchkey: invalid option \`${path || '(options)'}\`: ${what}`);
}
