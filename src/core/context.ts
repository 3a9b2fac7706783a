import type { EventBus } from './events/event-bus.js';
import type { KeyedHash } from './lib/keyed-hash.js';
import type { SealedBox } from './lib/sealed-box.js';
import type { ParsedOptions } from './options.js';
import type { Clock, Logger, Mailer, PasswordHasher, RateLimiter, SmsSender, Storage } from './ports.js';
import type { SigningKeys } from './internal/tokens/signing-keys.js';

/** The group an app that never names groups lives in. */
export const DEFAULT_GROUP = 'default';

/** Everything an operation needs, assembled once by `createAuth`. Internal. */
export interface AuthContext {
  options: ParsedOptions;
  storage: Storage;
  hasher: PasswordHasher;
  rateLimiter: RateLimiter;
  mailer: Mailer;
  sms: SmsSender;
  /** Seals secrets kept on accounts (TOTP) under `secret`; opens them under it or `previousSecrets`. */
  accountSecrets: SealedBox;
  /** Keyed hash of short codes (one-time codes, recovery codes); `.all` adds the hashes under `previousSecrets`. */
  hashCode: KeyedHash;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  keys: SigningKeys;
  /** A hash of a random password, verified against when an email is unknown so timing matches. */
  dummyHash(): Promise<string>;
  /** Groups known to exist (they are never renamed, so existence can be cached). */
  knownGroups: Set<string>;
}

/** Who is calling: recorded in login history and sessions. */
export interface RequestInfo {
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
}
