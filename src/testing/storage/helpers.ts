import { expect } from 'vitest';
import type { AuthErrorCode } from '../../core/errors.js';
import type { AccountRecord, GroupRecord, RefreshTokenRecord, SessionRecord, Storage } from '../../core/ports.js';
import { makeAccount, makeGroup, makeRefreshToken, makeSession } from './records.js';

/** What every part of the suite receives: the storage of the running test, set up in `beforeEach`. */
export interface SuiteContext {
  readonly storage: Storage;
}

/**
 * Asserts that `promise` rejects with an `AuthError` of `code`. Checked by shape rather than
 * `instanceof`, so an adapter bundled with another copy of latchkey still passes.
 */
export async function expectAuthError(promise: Promise<unknown>, code: AuthErrorCode): Promise<void> {
  const outcome = await promise.then(
    (value: unknown) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  expect(outcome, `expected a rejection with AuthError('${code}')`).toHaveProperty('error');
  expect((outcome as { error: unknown }).error).toMatchObject({ name: 'AuthError', code });
}

/** Starts `count` calls at once (none awaited before all have started) and settles them all. */
export function race<T>(count: number, call: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(Array.from({ length: count }, (_, index) => call(index)));
}

/** Asserts that exactly one call was fulfilled and every other rejected with `AuthError('conflict')`. */
export function expectOneWinner(results: PromiseSettledResult<unknown>[]): number {
  const winners = results.flatMap((result, index) => (result.status === 'fulfilled' ? [index] : []));
  expect(winners, 'exactly one call succeeds').toHaveLength(1);
  for (const result of results) {
    if (result.status === 'rejected') expect(result.reason).toMatchObject({ name: 'AuthError', code: 'conflict' });
  }
  return winners[0]!;
}

/** Asserts that every call was fulfilled and exactly one returned true; returns its index. */
export function expectOneTrue(results: PromiseSettledResult<boolean>[]): number {
  const values = results.map((result) => {
    expect(result.status, 'no call fails').toBe('fulfilled');
    return result.status === 'fulfilled' ? result.value : undefined;
  });
  const winners = values.flatMap((value, index) => (value === true ? [index] : []));
  expect(winners, 'exactly one call returns true').toHaveLength(1);
  expect(values.filter((value) => value === false)).toHaveLength(results.length - 1);
  return winners[0]!;
}

/** Stores a new group (adapters may enforce foreign keys, so parents are always stored first). */
export async function seedGroup(storage: Storage, overrides: Partial<GroupRecord> = {}): Promise<GroupRecord> {
  const group = makeGroup(overrides);
  await storage.groups.create(group);
  return group;
}

/** Stores a new account in `group`. */
export async function seedAccount(
  storage: Storage,
  group: string,
  overrides: Partial<AccountRecord> = {},
): Promise<AccountRecord> {
  const account = makeAccount({ ...overrides, group });
  await storage.accounts.create(account);
  return account;
}

/** Stores a new session of `account`. */
export async function seedSession(
  storage: Storage,
  account: AccountRecord,
  overrides: Partial<SessionRecord> = {},
): Promise<SessionRecord> {
  const session = makeSession({ ...overrides, group: account.group, accountId: account.id });
  await storage.sessions.create(session, firstTokenOf(session));
  return session;
}

/** A first refresh token for `session`, as `sessions.create` needs one. */
export function firstTokenOf(session: SessionRecord): RefreshTokenRecord {
  return makeRefreshToken({ group: session.group, accountId: session.accountId, sessionId: session.id, createdAt: session.createdAt });
}
