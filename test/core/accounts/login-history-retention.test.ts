import { describe, expect, it } from 'vitest';
import { makeLoginAttempt } from '../../../src/testing/storage/records.js';
import { createTestAuth, expectAuthError, PASSWORD, registerAndLogin, type TestAuth } from '../helpers.js';

const DAY = 24 * 3600;
const nothing = { purged: 0, challengesRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: expect.any(Number), skipped: false };

/** A successful and a failed login of ada, and a failed one of an email with no account, all now. */
async function seedHistory(t: TestAuth): Promise<string> {
  const { account } = await registerAndLogin(t.auth);
  const wrong = t.auth.login({ email: 'ada@example.com', password: 'wrong password, surely' });
  await expectAuthError(wrong, 'invalid_credentials');
  await expectAuthError(t.auth.login({ email: 'nobody@example.com', password: PASSWORD }), 'invalid_credentials');
  return account.id;
}

async function historyOf(t: TestAuth, accountId: string): Promise<number> {
  return (await t.storage.loginAttempts.listByAccount('default', accountId, { limit: 100 })).data.length;
}

describe('purgeDeletedAccounts: login-history retention', () => {
  it('by default removes unknown-email entries after a day, the rest after 180 days, not a millisecond sooner', async () => {
    const t = createTestAuth();
    const accountId = await seedHistory(t);
    expect(await historyOf(t, accountId)).toBe(2);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 0 });

    t.clock.advance(DAY);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 0 });
    t.clock.advance(0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 1 });
    expect(await historyOf(t, accountId)).toBe(2);

    t.clock.advance(179 * DAY - 0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 0 });
    t.clock.advance(0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 2 });
    expect(await historyOf(t, accountId)).toBe(0);
    // The account itself stays: only its history aged out.
    expect(await t.storage.accounts.findById('default', accountId)).toMatchObject({ status: 'active' });
  });

  it('follows loginHistory.retention and unknownRetention', async () => {
    const t = createTestAuth({ loginHistory: { retention: 2 * DAY, unknownRetention: 0 } });
    const accountId = await seedHistory(t);
    t.clock.advance(0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 1 });
    t.clock.advance(2 * DAY - 0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 0 });
    expect(await historyOf(t, accountId)).toBe(2);
    t.clock.advance(0.001);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ ...nothing, loginAttemptsRemoved: 2 });
  });

  it('removes at most 10,000 entries a call; calling again drains the rest', async () => {
    const t = createTestAuth();
    const old = new Date(t.clock.now().getTime() - 2 * DAY * 1000);
    for (let i = 0; i < 10_003; i++) {
      await t.storage.loginAttempts.record(makeLoginAttempt({ group: 'default', time: old }));
    }
    const removed = [];
    for (let call = 0; call < 3; call++) removed.push((await t.auth.purgeDeletedAccounts()).loginAttemptsRemoved);
    expect(removed).toEqual([10_000, 3, 0]);
  });

  it('does not count the history of the accounts it purges: that goes with the account', async () => {
    const t = createTestAuth({ deletedAccountRetention: 0 });
    const { account } = await registerAndLogin(t.auth);
    // Its login is past the retention too by the time the account is purged.
    t.clock.advance(181 * DAY);
    await t.auth.deleteAccount({ group: 'default', accountId: account.id, password: PASSWORD });
    t.clock.advance(1);
    expect(await t.auth.purgeDeletedAccounts()).toEqual({ purged: 1, challengesRemoved: 0, loginAttemptsRemoved: 0, auditEntriesRemoved: 0, eventsRemoved: expect.any(Number), skipped: false });
    expect(await historyOf(t, account.id)).toBe(0);
  });
});
