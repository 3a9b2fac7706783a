import { z } from 'zod';
import { secretWeakness } from './lib/secret-strength.js';
import type { MailTemplates } from './mail/types.js';
import type { Clock, JwsSigner, Logger, Mailer, PasswordHasher, PasswordPolicy, RateLimiter, SmsSender, Storage, WebhookSender } from './ports.js';

const DAY = 86_400;

/** A structural check for an object port: it must have these methods. */
function port<T>(name: string, methods: string[]) {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `must implement the ${name} port (${methods.join(', ')})` },
  );
}

const isPasswordPolicy = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).check === 'function';

const storage = z.custom<Storage>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['groups', 'accounts', 'sessions', 'refreshTokens', 'loginAttempts', 'signingKeys', 'oneTimeTokens', 'recoveryCodes', 'otpCodes', 'webauthnCredentials', 'webauthnChallenges'].every(
      (repo) => typeof (value as Record<string, unknown>)[repo] === 'object',
    ),
  {
    message:
      'must implement the Storage port (groups, accounts, sessions, refreshTokens, loginAttempts, signingKeys, oneTimeTokens, recoveryCodes, otpCodes, webauthnCredentials, webauthnChallenges)',
  },
);

/** A `secret`: 32+ characters that are not an obvious placeholder. Issues never quote the value. */
const secretString = () =>
  z
    .string()
    .min(32, 'must be at least 32 characters')
    .superRefine((value, issues) => {
      const weakness = value.length >= 32 ? secretWeakness(value) : undefined;
      if (weakness) issues.addIssue({ code: 'custom', message: weakness });
    });

const rule = (points: number, durationSeconds: number) =>
  z
    .strictObject({
      points: z.number().int().min(1).max(1_000_000),
      durationSeconds: z.number().int().min(1).max(30 * DAY),
    })
    .prefault({ points, durationSeconds });

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
  throttle: z
    .strictObject({
      /**
       * Failed logins per account from one client (IPv4 address or IPv6 network) before that client gets
       * `rate_limited` for it (default 10 per 15 minutes). Strangers elsewhere cannot spend it.
       */
      loginPerClient: rule(10, 900),
      /**
       * Failed logins per account, from every client that has not signed in to it since its last
       * password change, together (default 200 per 24 hours): the ceiling on online guessing from any
       * number of addresses. Clients the owner signed in from are not held by it.
       */
      loginPerAccount: rule(200, 86_400),
      /** Failed logins per client, to any account (default 100 per 15 minutes). */
      loginPerIp: rule(100, 900),
      /** Anonymous requests that send mail or texts, per client (default 50 per 15 minutes). */
      mailPerIp: rule(50, 900),
      /** Anonymous requests that check a secret or write a row, per client (default 300 per minute). */
      requestsPerIp: rule(300, 60),
      /** Anonymous requests that store a challenge (passkey sign-in options), per client (default 60 per minute). */
      challengesPerIp: rule(60, 60),
      /** Refreshes per client (default 1200 per minute: many users may share one address). */
      refreshPerIp: rule(1200, 60),
      /** IPv6 clients are counted by this network prefix (default 64: one subscriber's network). */
      ipv6Prefix: z.number().int().min(32).max(128).default(64),
    })
    .prefault({}),
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
  email: z
    .strictObject({
      /** The From header of latchkey's mails; without it the mailer's own sender is used. */
      from: z.string().min(3).optional(),
      /** The name mails show (default: the `issuer` option). */
      appName: z.string().min(1).optional(),
      /**
       * Link in verification mails; `{token}` is replaced by the token, and `{group}` (optional) by the
       * account's group, for multi-group apps. Without it the mail shows the token.
       */
      verificationUrl: z.string().includes('{token}').optional(),
      /** Link in password reset and account claim mails; `{token}` and `{group}` as in `verificationUrl`. */
      resetUrl: z.string().includes('{token}').optional(),
      /** Per-kind template overrides. */
      templates: z
        .custom<MailTemplates>(
          (value) =>
            typeof value === 'object' && value !== null && Object.values(value).every((t) => typeof t === 'function'),
          { message: 'must map mail kinds to template functions' },
        )
        .optional(),
    })
    .prefault({}),
  /** Delivers latchkey's mails (default: printed to the console in development, otherwise none). */
  mailer: port<Mailer>('Mailer', ['send']).optional(),
  /**
   * Passkeys (WebAuthn). Without this option the passkey routes answer 404: a relying party needs its
   * RP ID and origins, and guessing them would be unsafe.
   */
  webauthn: z
    .strictObject({
      /** The RP ID: the site's registrable domain (`example.com`, or `localhost` in development). */
      rpID: z.string().min(1).max(253),
      /** The name browsers show (default: `email.appName`, else `issuer`). */
      rpName: z.string().min(1).max(100).optional(),
      /** Every origin the browser may report (`https://app.example.com`). */
      origins: z.array(z.url()).min(1).max(20),
      /** For passkey sign-in and registration (default `required`: only then does a passkey count as two factors). */
      userVerification: z.enum(['required', 'preferred', 'discouraged']).default('required'),
      /** What to ask of authenticators about their make (default `none`). */
      attestation: z.enum(['none', 'direct', 'enterprise']).default('none'),
      /** Challenge lifetime in seconds (default 300). */
      challengeTtl: z.number().int().min(30).max(900).default(300),
    })
    .optional(),
  /** Delivers text messages (SMS codes; default: printed to the console in development, otherwise none). */
  sms: port<SmsSender>('SmsSender', ['send']).optional(),
  /**
   * Sends the webhook requests (default: `createWebhookSender` from `latchkey/adapters`, refusing
   * loopback, private, link-local and metadata addresses unless `webhooks.allow` lists them, and plain
   * http in production).
   */
  webhookSender: port<WebhookSender>('WebhookSender', ['check', 'send']).optional(),
  /** The outbox's webhook deliveries (docs/webhooks.md). */
  webhooks: z
    .strictObject({
      /** Hosts or CIDR ranges that endpoints may reach although they are loopback or private (default none). */
      allow: z.array(z.string().min(1).max(253)).max(100).default([]),
      /** How often, in milliseconds, a started dispatcher looks for due deliveries (default 1000). */
      pollInterval: z.number().int().min(50).max(60_000).default(1000),
      /** Seconds a dispatcher holds the deliveries it claimed (default 60; one attempt takes at most 15). */
      leaseSeconds: z.number().int().min(20).max(3600).default(60),
      /** Deliveries claimed and sent at once (default 10). */
      batch: z.number().int().min(1).max(100).default(10),
      /**
       * Seconds events are kept for `GET /events` and the delivery log once none of their deliveries is
       * pending (default 30 days); `purgeDeletedAccounts` removes older ones.
       */
      retention: z.number().int().min(3600).max(3650 * DAY).default(30 * DAY),
    })
    .prefault({}),
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
  passwordPolicy: z
    .custom<PasswordPolicy | readonly PasswordPolicy[]>(
      (value) => (Array.isArray(value) ? value.length <= 20 && value.every(isPasswordPolicy) : isPasswordPolicy(value)),
      { message: 'must implement the PasswordPolicy port (check), or be an array of up to 20 that do' },
    )
    .optional(),
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
