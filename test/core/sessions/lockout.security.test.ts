import { describe, expect, it } from 'vitest';
import { createTestAuth, expectAuthError, PASSWORD, type TestAuth } from '../helpers.js';
import { codeAt, enableTotp, wrongCode } from '../two-factor/helpers.js';

const EMAIL = 'ada@example.com';
const OWNER_IP = '203.0.113.5';
const stranger = (i: number) => `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`;

async function owner(overrides: Parameters<typeof createTestAuth>[0] = {}): Promise<TestAuth> {
  const t = createTestAuth(overrides);
  await t.auth.register({ email: EMAIL, password: PASSWORD });
  // The owner has signed in from home before.
  await t.auth.login({ email: EMAIL, password: PASSWORD, ip: OWNER_IP });
  return t;
}

const history = async (t: TestAuth) => {
  const account = await t.storage.accounts.findByEmail('default', EMAIL);
  return (await t.storage.loginAttempts.listByAccount('default', account!.id, { limit: 1000 })).data;
};

describe('lock-out by strangers', () => {
  it('guesses from any number of addresses are bounded per account, yet the owner still signs in from home', async () => {
    const t = await owner({ throttle: { loginPerAccount: { points: 30, durationSeconds: 86_400 } } });
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      const attempt = t.auth.login({ email: EMAIL, password: `guess ${i}`, ip: stranger(i) });
      const error = await attempt.then(() => expect.fail('a guess signed in'), (e: { code: string }) => e);
      if (error.code === 'rate_limited') refused += 1;
      else expect(error.code).toBe('invalid_credentials');
    }
    // 30 guesses were checked; every later one was refused before any password work.
    expect(refused).toBe(10);
    // Even the right password from a new address is refused now: the budget bounds guessing, not luck.
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, ip: stranger(99) }), 'rate_limited');
    // The owner, from an address that signed in before, gets in.
    await expect(t.auth.login({ email: EMAIL, password: PASSWORD, ip: OWNER_IP })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('ten failures lock out only the client that made them, for this account', async () => {
    const t = await owner();
    const attacker = '192.0.2.66';
    for (let i = 0; i < 10; i++) {
      await expectAuthError(t.auth.login({ email: EMAIL, password: `guess ${i}`, ip: attacker }), 'invalid_credentials');
    }
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, ip: attacker }), 'rate_limited');
    await expect(t.auth.login({ email: EMAIL, password: PASSWORD, ip: OWNER_IP })).resolves.toBeDefined();
    await expect(t.auth.login({ email: EMAIL, password: PASSWORD, ip: '192.0.2.67' })).resolves.toBeDefined();
  });

  it('an IPv6 attacker rotating addresses inside one /64 is one client', async () => {
    const t = await owner();
    for (let i = 0; i < 10; i++) {
      const ip = `2001:db8:aa:bb::${(i + 1).toString(16)}`;
      await expectAuthError(t.auth.login({ email: EMAIL, password: `guess ${i}`, ip }), 'invalid_credentials');
    }
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, ip: '2001:db8:aa:bb:ffff::1' }), 'rate_limited');
    await expect(t.auth.login({ email: EMAIL, password: PASSWORD, ip: '2001:db8:aa:cc::1' })).resolves.toBeDefined();
  });

  it('a phisher who once signed in is a stranger again after the owner changes the password', async () => {
    const t = await owner({ throttle: { loginPerAccount: { points: 5, durationSeconds: 86_400 } } });
    const phisher = '192.0.2.99';
    const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD, ip: phisher });
    t.clock.advance(1);
    const sessionId = String(JSON.parse(Buffer.from(tokens.accessToken.split('.')[1]!, 'base64url').toString()).sid);
    await t.auth.changePassword({ group: 'default', accountId: tokens.account.id, sessionId, current: PASSWORD, next: 'a brand new passphrase' });
    t.clock.advance(1);
    for (let i = 0; i < 5; i++) await expectAuthError(t.auth.login({ email: EMAIL, password: `guess ${i}`, ip: stranger(i) }), 'invalid_credentials');
    await expectAuthError(t.auth.login({ email: EMAIL, password: 'another guess', ip: phisher }), 'rate_limited');
  });

  it('throttled attempts reach the owner’s history once per window, not once per request', async () => {
    const t = await owner();
    const attacker = '192.0.2.66';
    for (let i = 0; i < 60; i++) await t.auth.login({ email: EMAIL, password: `guess ${i}`, ip: attacker }).catch(() => {});
    const rows = await history(t);
    expect(rows.filter((r) => r.failureReason === 'invalid_credentials')).toHaveLength(10);
    expect(rows.filter((r) => r.failureReason === 'rate_limited')).toHaveLength(1);
  });
});

describe('lock-out of the second step by someone who knows the password', () => {
  it('strangers spend the account’s second-factor budget, the owner at home still completes the second step', async () => {
    const t = await owner();
    const account = (await t.storage.accounts.findByEmail('default', EMAIL))!;
    const { secret } = await enableTotp(t, account.id);
    // The attacker has the password and guesses codes from many addresses until the shared budget is gone.
    for (let i = 0; i < 25; i++) {
      const code = wrongCode(codeAt(t, secret));
      await t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code, ip: stranger(i) }).catch(() => {});
    }
    const fresh = stranger(200);
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret), ip: fresh }), 'rate_limited');
    // The owner, from home, with the right code: in.
    await expect(
      t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: codeAt(t, secret), ip: OWNER_IP }),
    ).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('repeated second-step failures after a correct password mail the owner: someone has the password', async () => {
    const t = await owner();
    const account = (await t.storage.accounts.findByEmail('default', EMAIL))!;
    const { secret } = await enableTotp(t, account.id);
    for (let i = 0; i < 4; i++) {
      const code = wrongCode(codeAt(t, secret));
      await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD, twoFactorCode: code, ip: '192.0.2.66' }), 'invalid_two_factor');
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    const alerts = t.outbox.messages.filter((m) => m.kind === 'second-factor-failures');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.to).toBe(EMAIL);
    expect(alerts[0]!.text).toContain('failed the second step');
  });
});
