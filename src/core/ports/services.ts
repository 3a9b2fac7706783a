/** The ports besides storage: hashing, counting, mail, time and logging. */


/** Hashes and verifies passwords as self-describing PHC strings. Must not block the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time; false (never a throw) for a malformed hash or one whose parameters are out of bounds. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when `hash` was made with other parameters than the hasher's current ones. */
  needsRehash(hash: string): boolean;
}

export interface RateLimitRule {
  /** Distinguishes counters (`login-account`, `login-ip`). */
  name: string;
  /** Hits allowed within `durationSeconds`. */
  points: number;
  durationSeconds: number;
}

export interface RateLimitDecision {
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
  | 'second-factor-failures';

export interface MailMessage {
  kind: MailKind;
  /** The `email.from` option when the app set one; a mailer uses its own sender otherwise. */
  from?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers email. `send` resolves once the message was accepted for delivery and rejects otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmsMessage {
  /** E.164 number. */
  to: string;
  text: string;
}

/** Delivers text messages. `send` resolves once the provider accepted the message. */
export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type LogFields = Record<string, unknown>;

/** Structured logging. latchkey never passes tokens, codes or passwords to it. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
