import type { EventName } from './event-bus.js';

/**
 * Every event latchkey emits, at run time: the keys of `EventDataMap`, which webhook endpoints may
 * subscribe to by name. A name added to `EventDataMap` and not here fails to compile.
 *
 * @example
 * ```ts
 * EVENT_NAMES.includes('account.created') // true
 * ```
 */
export const EVENT_NAMES = [
  'account.created',
  'account.logged-in',
  'account.login-failed',
  'account.updated',
  'account.password-changed',
  'account.password-reset',
  'account.deleted',
  'account.two-factor-enabled',
  'account.two-factor-disabled',
  'account.recovery-codes-regenerated',
  'account.locked',
  'account.unlocked',
  'account.role-changed',
  'support-session.started',
  'webauthn.credential-added',
  'webauthn.credential-removed',
  'session.revoked',
  'session.refresh-reused',
] as const satisfies readonly EventName[];

// Exhaustiveness: a key of EventDataMap missing above makes this `false`, and the line fails to compile.
const everyEventListed: [Exclude<EventName, (typeof EVENT_NAMES)[number]>] extends [never] ? true : false = true;
void everyEventListed;

/** Whether `name` is an event latchkey emits. */
export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
