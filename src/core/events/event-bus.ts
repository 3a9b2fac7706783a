import type { AccountResource } from '../internal/accounts/account-resource.js';
import type { Logger } from '../ports.js';

/** The in-process events that exist so far, with their `data`. */
export interface EventDataMap {
  /** An account was registered (not emitted for a sign-up with an email that already has one). */
  'account.created': { account: AccountResource };
  /** A sign-in opened a session (`method`: `password`, `passkey`, `unlock` …). */
  'account.logged-in': { account: AccountResource; sessionId: string; method: string; ip: string | null };
  /**
   * A sign-in was refused (`reason`: the error code, e.g. `invalid_credentials`, `account_locked`,
   * `email_not_verified`, `invalid_two_factor`); `account` is null when the email matched no live
   * account. Password guesses refused by the throttle are not announced (the history keeps them).
   */
  'account.login-failed': { account: AccountResource | null; email: string; reason: string; ip: string | null };
  /** The account changed: its email address was verified, or its profile was updated. */
  'account.updated': { account: AccountResource };
  /** The owner changed the password, knowing the current one; their other sessions were ended. */
  'account.password-changed': { account: AccountResource };
  /** The password was set with a reset token; every session was ended. */
  'account.password-reset': { account: AccountResource };
  /** The owner deleted the account (state `deleted`, sessions ended; purged after the retention). */
  'account.deleted': { account: AccountResource };
  /** A second factor was turned on (`method`: `totp` …); for TOTP, a fresh set of recovery codes was issued. */
  'account.two-factor-enabled': { account: AccountResource; method: string };
  /** A second factor was turned off, proven by a current code or a recovery code. */
  'account.two-factor-disabled': { account: AccountResource; method: string };
  /** The owner replaced the recovery codes; every earlier code stopped working. */
  'account.recovery-codes-regenerated': { account: AccountResource };
  /** The owner panic-locked the account, or an administrator locked it: every login path refuses it and every session was ended. */
  'account.locked': { account: AccountResource };
  /** The account is active again: its owner unlocked a panic lock (recovery code or reset), or an administrator unlocked it. */
  'account.unlocked': { account: AccountResource };
  /** A role was granted or revoked (`auth.grantRole`, `auth.revokeRole`, `auth.adminUpdateAccount`); not emitted when nothing changed. */
  'account.role-changed': { account: AccountResource; role: string; change: 'granted' | 'revoked' };
  /**
   * An administrator opened a support session on the account (`POST /accounts/{id}/support-session`):
   * `actorId` is the administrator, `sessionId` the new session, `expiresAt` (ISO) when its token dies.
   */
  'support-session.started': {
    account: AccountResource;
    actorId: string;
    sessionId: string;
    expiresAt: string;
    ip: string | null;
  };
  /** The owner added a passkey (`credentialId`: its WebAuthn credential id, base64url). */
  'webauthn.credential-added': { account: AccountResource; credentialId: string };
  /** The owner removed one of their passkeys; it can no longer sign in. */
  'webauthn.credential-removed': { account: AccountResource; credentialId: string };
  /** Sessions ended before their time (`reason`: `revoked_by_user`, `password_changed`, `account_deleted` …). */
  'session.revoked': { accountId: string; sessionIds: string[]; reason: string };
  /** A rotated refresh token was presented again, so its session was revoked: a sign of a stolen token. */
  'session.refresh-reused': { accountId: string; sessionId: string; ip: string | null };
}

/** The name of an event latchkey emits (`account.created`, `session.revoked` …): a key of {@link EventDataMap}. */
export type EventName = keyof EventDataMap;

/** Payload of every event: the shape webhooks deliver too. */
export interface AuthEvent<E extends EventName = EventName> {
  id: string;
  event: E;
  group: string;
  occurredAt: string;
  /**
   * The event's place in its group's outbox: increasing, gaps allowed, so receivers can order and
   * de-duplicate. Absent only when the outbox could not be written (logged at `error`).
   */
  sequence?: number;
  data: EventDataMap[E];
}

/**
 * A function {@link EventBus.on} calls with each event of one name. It may be async: nobody awaits it,
 * and a rejection is logged like a throw.
 *
 * @example
 * ```ts
 * const onLocked: EventListener<'account.locked'> = async (event) => {
 *   await notifySecurityTeam(event.group, event.data.account.id)
 * }
 * auth.events.on('account.locked', onLocked)
 * ```
 */
export type EventListener<E extends EventName> = (event: AuthEvent<E>) => void | Promise<void>;

/**
 * Typed in-process events. Listeners run after the change they describe is stored; a listener that
 * throws or rejects is logged and never fails the operation that emitted the event.
 *
 * @example
 * ```ts
 * auth.events.on('account.logged-in', (e) => audit(e.data.account.id, e.data.ip))
 * ```
 */
export class EventBus {
  readonly #listeners = new Map<EventName, Set<EventListener<never>>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as EventListener<never>);
    return () => set.delete(listener as EventListener<never>);
  }

  /**
   * Removes a listener `on` added, as calling the function `on` returned does. A listener that is not
   * subscribed is ignored.
   *
   * @example
   * ```ts
   * auth.events.on('session.revoked', onRevoked)
   * auth.events.off('session.revoked', onRevoked)
   * ```
   */
  off<E extends EventName>(event: E, listener: EventListener<E>): void {
    this.#listeners.get(event)?.delete(listener as EventListener<never>);
  }

  /** @internal */
  emit<E extends EventName>(event: AuthEvent<E>): void {
    for (const listener of this.#listeners.get(event.event) ?? []) {
      try {
        const result = (listener as EventListener<E>)(event);
        if (result instanceof Promise) result.catch((error) => this.#report(event.event, error));
      } catch (error) {
        this.#report(event.event, error);
      }
    }
  }

  #report(event: EventName, error: unknown): void {
    this.#logger.error('event listener failed', { event, error: error instanceof Error ? error.message : String(error) });
  }
}
