import { describe, expect, it } from 'vitest';
import { createTestAuth, expectAuthError, PASSWORD } from '../helpers.js';

const EMAIL = 'ada@example.com';

async function withHistory() {
  const t = createTestAuth();
  const account = await t.auth.register({ email: EMAIL, password: PASSWORD });
  const times: string[] = [];
  const attempt = async (password: string, userAgent: string) => {
    t.clock.advance(10);
    times.push(t.clock.now().toISOString());
    await t.auth.login({ email: EMAIL, password, ip: '192.0.2.1', userAgent }).catch(() => undefined);
  };
  await attempt(PASSWORD, 'Laptop/1');
  await attempt('not the password', 'Unknown/1');
  await attempt(PASSWORD, 'Phone/1');
  const list = (options: { limit?: number; cursor?: string | null } = {}) =>
    t.auth.listLogins({ group: 'default', accountId: account.id, ...options });
  return { ...t, account, times, list };
}

describe('listLogins', () => {
  it('lists attempts newest first, failures included with their reason', async () => {
    const { list, times } = await withHistory();
    const page = await list();
    expect(page).toEqual({
      data: [
        {
          id: expect.stringMatching(/^lgn_/),
          time: times[2],
          ip: '192.0.2.1',
          userAgent: 'Phone/1',
          success: true,
          method: 'password',
          failureReason: null,
        },
        expect.objectContaining({
          time: times[1],
          userAgent: 'Unknown/1',
          success: false,
          failureReason: 'invalid_credentials',
        }),
        expect.objectContaining({ time: times[0], userAgent: 'Laptop/1', success: true, failureReason: null }),
      ],
      nextCursor: null,
    });
  });

  it('paginates with nextCursor, without gaps or repeats', async () => {
    const { list } = await withHistory();
    const all = (await list()).data.map((l) => l.id);
    const first = await list({ limit: 2 });
    expect(first.data.map((l) => l.id)).toEqual(all.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list({ limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ data: [expect.objectContaining({ id: all[2] })], nextCursor: null });
  });

  it('shows only the account’s own attempts', async () => {
    const { auth, list } = await withHistory();
    const bob = await auth.register({ email: 'bob@example.com', password: PASSWORD });
    await auth.login({ email: 'bob@example.com', password: PASSWORD });
    expect((await list()).data).toHaveLength(3);
    expect((await auth.listLogins({ group: 'default', accountId: bob.id })).data).toHaveLength(1);
  });

  it('refuses a malformed cursor and a bad limit', async () => {
    const { list } = await withHistory();
    await expectAuthError(list({ cursor: 'not-a-cursor' }), 'validation_failed');
    await expectAuthError(list({ limit: 0 }), 'validation_failed');
  });
});
