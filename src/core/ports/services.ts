/** The ports besides storage: hashing, counting, mail, time and logging. */


/** Hashes and verifies passwords as self-describing PHC strings. Must not block the event loop. */
export interface PasswordHasher {
  /**
   * Hashes a new password with the hasher's current parameters and a fresh salt. The result carries
   * its algorithm and parameters, so `verify` reads hashes made under older parameters too.
   */
  hash(password: string): Promise<string>;
  /** Constant-time; false (never a throw) for a malformed hash or one whose parameters are out of bounds. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the hasher's current ones. */
  needsRehash(hash: string): boolean;
  /**
   * Whether `verify` can check this stored hash: null when it can (a format it reads, costs within its
   * bounds), else why not, in a few words that never quote the hash ("its format is not supported").
   * The import of accounts with a `passwordHash` asks it; a hasher without it has every such row refused.
   */
  checkHash?(hash: string): string | null;
}

/**
 * Computes the signature of each access token latchkey issues (a JWS, RFC 7515). `createAuth` from
 * `latchkey` signs with node:crypto on the calling thread (`nodeJwsSigner` from `latchkey/adapters`); the
 * core alone uses WebCrypto. Both give the same signatures: Ed25519 is deterministic.
 */
export interface JwsSigner {
  /**
   * The signature of `data` (the JWS signing input) under `alg` with a group's private signing key.
   * Throws for an algorithm it does not implement; latchkey's keys are `EdDSA` (Ed25519).
   */
  sign(alg: string, privateKey: CryptoKey, data: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array>;
}

/** Where a new password is being set, as a {@link PasswordPolicy} is told. */
export interface PasswordCheckContext {
  /** The flow that sets it: `register`, `resetPassword`, `changePassword` or `unlockAccount`. */
  operation: 'register' | 'reset' | 'change' | 'unlock';
  group: string;
  /** The account's normalised email, when the flow knows it. */
  email: string | null;
  /** The app's logger, for a policy's own trouble (a breach service that did not answer). Never give it the password. */
  logger: Logger;
}

/** What a {@link PasswordPolicy} says of a password: accepted, or refused with a reason. */
export type PasswordVerdict =
  | { ok: true }
  | {
      ok: false;
      /** A stable word for logs and apps: `breached`, `common`, `unavailable`, or a policy's own. */
      reason: string;
      /** What completes "The password …" for the person: `is too common`. Never quotes the password. */
      message: string;
    };

/**
 * A rule on new passwords beyond the length window (the `password` option): a list of common passwords,
 * a breach corpus. latchkey asks every policy of the `passwordPolicy` option, in order, before it hashes a
 * new password at registration, reset, change and unlock; the first refusal answers `validation_failed`
 * with its message on the password field. Imported hashes are not checked (there is no password to check).
 *
 * @example
 * ```ts
 * const noProductName: PasswordPolicy = {
 *   check: async (password) =>
 *     password.toLowerCase().includes('acme') ? { ok: false, reason: 'context', message: 'must not contain the name of this site' } : { ok: true },
 * }
 * ```
 */
export interface PasswordPolicy {
  /**
   * Judges one password (after NFKC, already within the length window). Called on every new password, so
   * keep it quick; a policy that calls a service bounds its own wait and decides itself what an outage
   * means. A rejection (a throw) fails the request.
   */
  check(password: string, context: PasswordCheckContext): Promise<PasswordVerdict>;
}

/**
 * A limit the core asks a {@link RateLimiter} to enforce: at most `points` hits per key within a
 * window of `durationSeconds`. The core makes rules from the `throttle` options; a limiter keeps the
 * counters of different rules apart, even when their keys are equal.
 */
export interface RateLimitRule {
  /** Distinguishes counters (`login-account`, `login-ip`). */
  name: string;
  /** Hits allowed within `durationSeconds`. */
  points: number;
  durationSeconds: number;
}

/** A limiter's answer for one key: whether the hit is (or would be) allowed, and if not, for how long. */
export interface RateLimitDecision {
  /** False once the key has spent its points in the current window. */
  allowed: boolean;
  /** Seconds until the next hit is allowed (0 when allowed). */
  retryAfter: number;
}

/** Counts events per key. Failed logins are counted here, per account and per IP. */
export interface RateLimiter {
  /** Whether a hit would be allowed now, without counting one. */
  check(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** Counts one hit and says whether it was within the limit. */
  hit(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** Gives back one hit: an attempt counted up front turned out not to count (a correct password). */
  refund(rule: RateLimitRule, key: string): Promise<void>;
  /** Forgets the key's hits (after a successful login, say). */
  reset(rule: RateLimitRule, key: string): Promise<void>;
}

/** The emails latchkey sends; each has a template the app can override. */
export type MailKind =
  | 'email-verification'
  | 'password-reset'
  | 'password-changed'
  | 'account-deleted'
  | 'registration-attempt'
  | 'one-time-code'
  | 'account-locked'
  | 'account-unlocked'
  | 'security-change'
  | 'second-factor-failures'
  | 'support-session'
  | 'account-claim';

/** A rendered mail, ready to send: what latchkey hands a {@link Mailer}. */
export interface MailMessage {
  /** Which of latchkey's mails this is, for mailers that route or tag by kind. */
  kind: MailKind;
  /** The `email.from` option when the app set one; a mailer uses its own sender otherwise. */
  from?: string;
  to: string;
  subject: string;
  /** The plain-text body; `html` says the same (both come from one template). */
  text: string;
  html: string;
}

/** Delivers email. `send` resolves once the message was accepted for delivery and rejects otherwise. */
export interface Mailer {
  /**
   * Sends one message. A rejection is logged (its kind, never the address or token) and answers
   * `mail_delivery_failed` in flows whose answer depends on the mail; the others carry on.
   *
   * @example
   * ```ts
   * const mailer: Mailer = {
   *   send: async ({ to, subject, text, html }) => {
   *     await provider.emails.send({ from: 'auth@example.com', to, subject, text, html })
   *   },
   * }
   * ```
   */
  send(message: MailMessage): Promise<void>;
}

/** A text message latchkey asks an {@link SmsSender} to deliver: a one-time code and what it is for. */
export interface SmsMessage {
  /** E.164 number. */
  to: string;
  /** The whole message, code included: a sender must not log it. */
  text: string;
}

/** Delivers text messages. `send` resolves once the provider accepted the message. */
export interface SmsSender {
  /**
   * Sends one message. A rejection is logged (never the number or the text) and answers
   * `sms_delivery_failed`; the send does not count against the caller's send limits.
   *
   * @example
   * ```ts
   * const sms: SmsSender = {
   *   send: async ({ to, text }) => {
   *     await provider.messages.create({ from: '+15005550006', to, body: text })
   *   },
   * }
   * ```
   */
  send(message: SmsMessage): Promise<void>;
}

/**
 * Where latchkey's time comes from: every stored time, token lifetimes, session timeouts and the
 * default rate limiter's windows. Tests pass a clock they move by hand instead of waiting.
 *
 * @example
 * ```ts
 * let now = new Date('2030-01-01T00:00:00Z')
 * const clock: Clock = { now: () => now }
 * const auth = createAuth({ storage: memoryStorage(), secret, clock })
 * now = new Date(now.getTime() + 16 * 60_000) // access tokens issued before (15-minute default) have expired
 * ```
 */
export interface Clock {
  /** The current time. Called often: keep it cheap and free of I/O. */
  now(): Date;
}

/** Structured context of a log line (`group`, `accountId`, `kind` …): never a secret. */
export type LogFields = Record<string, unknown>;

/** Structured logging. latchkey never passes tokens, codes or passwords to it. */
export interface Logger {
  /** The finest level: latchkey writes only a background job's skipped run at it. */
  debug(message: string, fields?: LogFields): void;
  /** Events worth keeping: an account panic-locked or deleted, a second factor enabled, a signing key created. */
  info(message: string, fields?: LogFields): void;
  /** Something a person should look at, while the request still succeeds: refresh-token reuse, a missing `secret`. */
  warn(message: string, fields?: LogFields): void;
  /** A failure latchkey could not hide from its own work: a mail or text not delivered, a storage write that failed. */
  error(message: string, fields?: LogFields): void;
}
