import type { AuthEvent, EventBus } from './events/event-bus.js';
import type { KeyedHash } from './lib/keyed-hash.js';
import type { SealedBox } from './lib/sealed-box.js';
import type { ParsedOptions } from './options.js';
import type { Clock, JwsSigner, Logger, Mailer, PasswordHasher, RateLimiter, SmsSender, Storage } from './ports.js';
import type { SigningKeys } from './internal/tokens/signing-keys.js';
import type { GroupCache } from './internal/groups/group-cache.js';
import type { VerifiedTokens } from './internal/tokens/verified-tokens.js';

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
  /** Computes access tokens' signatures (the `jwsSigner` option, else WebCrypto). */
  signer: JwsSigner;
  /** Access tokens this instance verified: a token presented again skips its signature check. */
  verifiedTokens: VerifiedTokens;
  /** A hash of a random password, verified against when an email is unknown so timing matches. */
  dummyHash(): Promise<string>;
  /** Groups this instance has seen exist (for `checkSecret`); a removed group leaves it. */
  knownGroups: Set<string>;
  /** Group records read lately (5 seconds): the hot path's source of a group's policy. */
  groupCache: GroupCache;
  /**
   * This instance's id (`ins_…`, new at every `createAuth`): names it as the holder of a background
   * job's lease (`storage.jobLeases`).
   */
  instanceId: string;
  /** Delivers the outbox's webhooks once started (`auth.startWebhookDispatcher`); `emit` wakes it. */
  webhooks: OutboxDispatcher;
  /**
   * Set inside `inTransaction` only: the events emitted in the transaction, already in its outbox, for
   * the in-process listeners once it commits.
   */
  pendingEvents?: AuthEvent[];
}

/** What the context knows of the webhook dispatcher (`WebhookDispatcher` in internal/webhooks). */
export interface OutboxDispatcher {
  /** Starts polling the outbox (idempotent). */
  start(): void;
  /** Stops polling and waits for the attempts in flight. */
  stop(): Promise<void>;
  /** A delivery may be due now: look before the next poll (no effect when stopped). */
  wake(): void;
}

/**
 * Who is calling, as the HTTP layer passes it to every operation that takes a request: recorded in the
 * login history and on sessions, and the key of the per-client throttles. A call without `ip` skips
 * the per-client limits: an app that calls operations itself guards its own edge.
 */
export interface RequestInfo {
  /**
   * The client's address. IPv6 clients are counted by their network (the `throttle.ipv6Prefix`
   * option), IPv4-mapped ones as IPv4.
   */
  ip?: string | null | undefined;
  /** The `User-Agent` header: shown to the owner in the login history and the session list. */
  userAgent?: string | null | undefined;
}
