import { describe, expect, it } from 'vitest';
import { issueOneTimeToken } from '../../../src/core/internal/accounts/one-time-token.js';
import type { AuthEvent } from '../../../src/index.js';
import { createTestAuth, decodeJwt, expectAuthError, PASSWORD, type TestAuth, tokenFromMail } from '../helpers.js';
import { codeAt, coreContext, enableTotp, wrongCode } from '../two-factor/helpers.js';

/**
 * The way back from a panic lock for an account without recovery codes: its mailbox (a password reset
 * unlocks it). An account with recovery codes still unlocks only with one, and an administrator's lock
 * is never lifted by a mailbox.
 */

const G = 'default';
const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

/** Lets background mail finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Ada with a verified address, signed in once (no second factor, no recovery codes). */
async function verifiedAda(t: TestAuth = createTestAuth()) {
  await t.auth.register({ email: EMAIL, password: PASSWORD });
  const mail = await t.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === EMAIL);
  await t.auth.verifyEmail({ token: tokenFromMail(mail) });
  const tokens = await t.auth.login({ email: EMAIL, password: PASSWORD });
  return { ...t, accountId: tokens.account.id, tokens };
}

const panic = async (t: TestAuth & { accountId: string }) => {
  t.clock.advance(1);
  await t.auth.panicLock({ group: G, accountId: t.accountId });
};

const read = async (t: TestAuth & { accountId: string }) => (await t.storage.accounts.findById(G, t.accountId))!;

/** Asks for a reset a second on; the token of the mail it causes, or null when none came. */
async function forgot(t: TestAuth): Promise<string | null> {
  t.clock.advance(1);
  const before = new Set(t.outbox.messages);
  await t.auth.requestPasswordReset({ email: EMAIL });
  await settle();
  const mail = t.outbox.messages.find((m) => m.kind === 'password-reset' && m.to === EMAIL && !before.has(m));
  return mail ? tokenFromMail(mail) : null;
}

describe('panic lock without recovery codes', () => {
  it('forgot → reset unlocks it: active again, the new password in force, the owner told', async () => {
    const t = await verifiedAda();
    await panic(t);
    const unlocked: AuthEvent<'account.unlocked'>[] = [];
    t.auth.events.on('account.unlocked', (e) => void unlocked.push(e));

    const token = await forgot(t);
    expect(token).not.toBeNull();
    t.clock.advance(5);
    await t.auth.resetPassword({ token: token!, password: NEW_PASSWORD });

    const at = t.clock.now();
    expect(await read(t)).toMatchObject({ status: 'active', statusReason: null, statusChangedAt: at, lastPasswordChangeAt: at });
    expect(unlocked.map((e) => e.data.account.state)).toEqual([{ status: 'active', changedAt: at.toISOString(), reason: null }]);
    await t.outbox.waitFor((m) => m.kind === 'account-unlocked' && m.to === EMAIL);
    await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'invalid_credentials');
    const tokens = await t.auth.login({ email: EMAIL, password: NEW_PASSWORD });
    expect(decodeJwt(tokens.accessToken).payload.amr).toEqual(['pwd']);
    // The sessions the panic ended stay ended.
    await expectAuthError(t.auth.refresh({ refreshToken: t.tokens.refreshToken }), 'unauthenticated');
    // The token worked once.
    await expectAuthError(t.auth.resetPassword({ token: token!, password: 'yet another passphrase' }), 'invalid_token');
  });

  it('with a second factor on, the reset still needs it, and a refusal keeps the account locked', async () => {
    const t = await verifiedAda();
    const { secret } = await enableTotp(t, t.accountId);
    // Every recovery code used up: the mailbox plus the authenticator is the way back.
    await t.storage.recoveryCodes.replace(G, t.accountId, [], t.clock.now());
    await panic(t);

    const token = (await forgot(t))!;
    expect(token).not.toBeNull();
    const missing = await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD }), 'two_factor_required');
    expect(missing.extra).toEqual({ methods: ['totp'] });
    const code = codeAt(t, secret);
    await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD, twoFactorCode: wrongCode(code) }), 'invalid_two_factor');
    expect(await read(t)).toMatchObject({ status: 'locked', statusReason: 'panic' });

    await t.auth.resetPassword({ token, password: NEW_PASSWORD, twoFactorCode: code });
    expect(await read(t)).toMatchObject({ status: 'active', statusReason: null });
    // The factor is still on: the new password leads to it, not past it.
    await expectAuthError(t.auth.login({ email: EMAIL, password: NEW_PASSWORD }), 'two_factor_required');
  });

  it('a reset link mailed before the panic stays dead: the way back starts after the lock', async () => {
    const t = await verifiedAda();
    const before = (await forgot(t))!;
    await panic(t);
    await expectAuthError(t.auth.resetPassword({ token: before, password: NEW_PASSWORD }), 'invalid_token');
    expect(await read(t)).toMatchObject({ status: 'locked', statusReason: 'panic' });
  });

  it('the account-locked mail points the owner to the reset', async () => {
    const t = await verifiedAda();
    await panic(t);
    const mail = await t.outbox.waitFor((m) => m.kind === 'account-locked');
    expect(mail.text).toContain('"Forgot password"');
    expect(mail.text).not.toContain('recovery code');
  });
});

describe('panic lock with recovery codes', () => {
  it('mails no reset, and a reset cannot unlock it: only a recovery code does', async () => {
    const t = await verifiedAda();
    const { recoveryCodes } = await t.auth.regenerateRecoveryCodes({ group: G, accountId: t.accountId, password: PASSWORD });
    await panic(t);
    expect(await forgot(t)).toBeNull();

    const mail = await t.outbox.waitFor((m) => m.kind === 'account-locked');
    expect(mail.text).toContain('recovery codes');
    expect(mail.text).not.toContain('"Forgot password"');

    // Not even a reset token that somehow exists (issued after the lock) gets through.
    t.clock.advance(1);
    const token = await issueResetToken(t);
    await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD }), 'account_locked');
    expect(await read(t)).toMatchObject({ status: 'locked', statusReason: 'panic', recoveryCodesRemaining: 10 });

    await t.auth.unlockAccount({ email: EMAIL, recoveryCode: recoveryCodes[0]!, newPassword: NEW_PASSWORD });
    expect(await read(t)).toMatchObject({ status: 'active' });
  });
});

describe('administrator lock', () => {
  it('is never lifted through the mailbox, with or without recovery codes', async () => {
    const t = await verifiedAda();
    t.clock.advance(1);
    await t.storage.accounts.update(G, t.accountId, { status: 'locked', statusReason: 'admin', statusChangedAt: t.clock.now() });
    expect(await forgot(t)).toBeNull();
    t.clock.advance(1);
    const token = await issueResetToken(t);
    await expectAuthError(t.auth.resetPassword({ token, password: NEW_PASSWORD }), 'account_locked');
    // A panic on top of it keeps the administrator's reason.
    await panic(t);
    expect(await forgot(t)).toBeNull();
    expect(await read(t)).toMatchObject({ status: 'locked', statusReason: 'admin' });
  });
});

/**
 * A reset token issued straight into storage, the way a bug or a race could leave one for a locked
 * account: the reset itself must still refuse what the request step would not have mailed.
 */
async function issueResetToken(t: TestAuth & { accountId: string }): Promise<string> {
  return issueOneTimeToken(coreContext(t), 'password_reset', await read(t), 3600);
}
