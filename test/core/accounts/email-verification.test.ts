import { describe, expect, it } from 'vitest';
import type { AuthEvent, Mailer, MailMessage } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD, tokenFromMail } from '../helpers.js';

const EMAIL = 'ada@example.com';

const isVerification = (to: string) => (m: MailMessage) => m.kind === 'email-verification' && m.to === to;

/** Registers EMAIL and returns the account with the token of its verification mail. */
async function registered(overrides: Parameters<typeof createTestAuth>[0] = {}) {
  const test = createTestAuth(overrides);
  const account = await test.auth.register({ email: EMAIL, password: PASSWORD });
  const mail = await test.outbox.waitFor(isVerification(EMAIL));
  return { ...test, account, mail, token: tokenFromMail(mail) };
}

/** Lets background work that only waits on memory storage finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('email verification', () => {
  it('mails a new account a token that verifies its address, once', async () => {
    const { auth, clock, account, mail, token } = await registered();
    expect(mail.subject).toContain('Confirm your email address');
    expect(mail.text).toContain(`Token: ${token}`);
    expect(mail.text).toContain('expires in 24 hours');

    const events: AuthEvent<'account.updated'>[] = [];
    auth.events.on('account.updated', (e) => void events.push(e));
    clock.advance(60);
    const verified = await auth.verifyEmail({ token });
    const at = clock.now().toISOString();
    expect(verified).toMatchObject({
      id: account.id,
      email: { address: EMAIL, verified: true, verifiedAt: at },
      events: { updatedAt: at },
    });
    expect(await auth.getAccount({ group: 'default', accountId: account.id })).toEqual(verified);
    expect(events.map((e) => e.data.account)).toEqual([verified]);

    await expectAuthError(auth.verifyEmail({ token }), 'invalid_token');
  });

  it('puts the token in the configured link', async () => {
    const { token, mail } = await registered({ email: { verificationUrl: 'https://app.example/verify#token={token}' } });
    expect(mail.text).toContain(`https://app.example/verify#token=${token}`);
    expect(mail.text).not.toContain('Token:');
  });

  it('puts the account\'s group in the link where it says {group}, for multi-group pages', async () => {
    const test = createTestAuth({ email: { verificationUrl: 'https://app.example/verify#group={group}&token={token}' } });
    await test.auth.createGroup({ id: 'acme' });
    await test.auth.register({ group: 'acme', email: EMAIL, password: PASSWORD });
    const mail = await test.outbox.waitFor(isVerification(EMAIL));
    expect(mail.text).toContain(`https://app.example/verify#group=acme&token=${tokenFromMail(mail)}`);
  });

  it('refuses unknown, expired and other-group tokens with one answer', async () => {
    const { auth, clock, token } = await registered();
    const unknown = await expectAuthError(auth.verifyEmail({ token: 'x'.repeat(43) }), 'invalid_token');
    expect(unknown.message).toBe('The token is invalid, expired or already used.');

    await auth.createGroup({ id: 'acme' });
    const other = await expectAuthError(auth.verifyEmail({ group: 'acme', token }), 'invalid_token');
    expect(other.message).toBe(unknown.message);

    const fresh = await registered({ clock });
    clock.advance(fresh.auth.options.emailVerificationTtl);
    await expectAuthError(fresh.auth.verifyEmail({ token: fresh.token }), 'invalid_token');
  });

  it('a token presented in another group is refused without being spent: it still works in its own', async () => {
    const { auth, token } = await registered();
    await auth.createGroup({ id: 'acme' });
    for (let i = 0; i < 3; i++) await expectAuthError(auth.verifyEmail({ group: 'acme', token }), 'invalid_token');
    await expect(auth.verifyEmail({ token })).resolves.toMatchObject({ email: { address: EMAIL, verified: true } });
  });

  it('works until the last second of its lifetime', async () => {
    const { auth, clock, token } = await registered({ emailVerificationTtl: 600 });
    clock.advance(599);
    await expect(auth.verifyEmail({ token })).resolves.toMatchObject({ email: { verified: true } });
  });

  it('refuses a token mailed to an address the account no longer has', async () => {
    const { auth, storage, account, token } = await registered();
    await storage.accounts.update('default', account.id, { email: 'ada.new@example.com' });
    await expectAuthError(auth.verifyEmail({ token }), 'invalid_token');
    expect((await storage.accounts.findById('default', account.id))?.emailVerifiedAt).toBeNull();
  });

  it('refuses the token of a deleted account', async () => {
    const { auth, storage, account, token } = await registered();
    await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
    await expectAuthError(auth.verifyEmail({ token }), 'invalid_token');
  });

  describe('sendVerificationEmail', () => {
    it('mails a new token and kills the old one', async () => {
      const { auth, outbox, account, mail: first, token: old } = await registered();
      await auth.sendVerificationEmail({ group: 'default', accountId: account.id });
      const second = await outbox.waitFor((m) => isVerification(EMAIL)(m) && m !== first);
      const token = tokenFromMail(second);
      expect(token).not.toBe(old);
      await expectAuthError(auth.verifyEmail({ token: old }), 'invalid_token');
      await expect(auth.verifyEmail({ token })).resolves.toMatchObject({ email: { verified: true } });
    });

    it('resolves without a mail when the address is already verified', async () => {
      const { auth, outbox, account, token } = await registered();
      await auth.verifyEmail({ token });
      const before = outbox.messages.length;
      await expect(auth.sendVerificationEmail({ group: 'default', accountId: account.id })).resolves.toBeUndefined();
      await settle();
      expect(outbox.messages).toHaveLength(before);
    });

    it('answers not_found for an unknown or deleted account', async () => {
      const { auth, storage, account } = await registered();
      await expectAuthError(auth.sendVerificationEmail({ group: 'default', accountId: 'acc_nope' }), 'not_found');
      await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
      await expectAuthError(auth.sendVerificationEmail({ group: 'default', accountId: account.id }), 'not_found');
    });

    it('says mail_delivery_failed when the mailer refuses', async () => {
      const failing: Mailer = { send: async () => Promise.reject(new Error('smtp down')) };
      const { auth } = createTestAuth({ mailer: failing });
      const account = await auth.register({ email: EMAIL, password: PASSWORD }); // does not fail on the mail
      await expectAuthError(auth.sendVerificationEmail({ group: 'default', accountId: account.id }), 'mail_delivery_failed');
    });

    it('mails at most 5 an hour per account: then rate_limited with retryAfter, and no mail', async () => {
      const { auth, outbox, account } = await registered();
      for (let i = 0; i < 5; i++) await auth.sendVerificationEmail({ group: 'default', accountId: account.id });
      await outbox.waitFor(() => outbox.messages.filter(isVerification(EMAIL)).length === 6);
      const error = await expectAuthError(auth.sendVerificationEmail({ group: 'default', accountId: account.id }), 'rate_limited');
      expect(error.retryAfter).toBeGreaterThan(0);
      expect(error.retryAfter).toBeLessThanOrEqual(3600);
      await settle();
      expect(outbox.messages.filter(isVerification(EMAIL))).toHaveLength(6); // the registration's and 5 asked for
      // Another account is not affected.
      const other = await auth.register({ email: 'grace@example.com', password: PASSWORD });
      await auth.sendVerificationEmail({ group: 'default', accountId: other.id });
    });
  });

  describe('registration mails', () => {
    it('answers before the mail is sent, for a new and an existing address alike', async () => {
      const sent: MailMessage[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow: Mailer = { send: async (m) => (await gate, void sent.push(m)) };
      const { auth } = createTestAuth({ mailer: slow });
      await auth.register({ email: EMAIL, password: PASSWORD });
      await auth.register({ email: EMAIL, password: PASSWORD });
      expect(sent).toEqual([]);
      release();
      await settle();
      expect(sent.map((m) => [m.kind, m.to])).toEqual([
        ['email-verification', EMAIL],
        ['registration-attempt', EMAIL],
      ]);
    });

    it('mails the owner of an existing address a notice, with no token', async () => {
      const { auth, outbox } = await registered();
      await auth.register({ email: ` ${EMAIL.toUpperCase()}`, password: 'another password 42' });
      const notice = await outbox.waitFor((m) => m.kind === 'registration-attempt');
      expect(notice.to).toBe(EMAIL);
      expect(notice.text).not.toMatch(/Token:|token=/);
      expect(outbox.messages.filter(isVerification(EMAIL))).toHaveLength(1);
    });

    it('sends no notice for a deleted account', async () => {
      const { auth, storage, outbox, account } = await registered();
      await storage.accounts.update('default', account.id, { status: 'deleted', deletedAt: new Date() });
      await auth.register({ email: EMAIL, password: PASSWORD });
      await settle();
      expect(outbox.messages.map((m) => m.kind)).toEqual(['email-verification']);
    });

    it('sends at most 3 registration-attempt notices an hour per address; the answer does not change', async () => {
      const { auth, outbox, account } = await registered();
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await auth.register({ email: EMAIL, password: `flooding attempt ${i}` }));
      await settle();
      expect(outbox.messages.filter((m) => m.kind === 'registration-attempt')).toHaveLength(3);
      // Every answer has the shape of a new account's, none of them the real one.
      for (const answer of answers) {
        expect(answer).toMatchObject({ email: { address: EMAIL, verified: false }, state: { status: 'active' } });
        expect(answer.id).not.toBe(account.id);
      }
      // Another address has its own allowance.
      await auth.register({ email: 'grace@example.com', password: PASSWORD });
      await auth.register({ email: 'grace@example.com', password: PASSWORD });
      await outbox.waitFor((m) => m.kind === 'registration-attempt' && m.to === 'grace@example.com');
    });
  });

  describe('requireEmailVerification', () => {
    it('refuses login with a correct password until the address is verified', async () => {
      const { auth, storage, clock, outbox, account, token } = await registered({ requireEmailVerification: true });
      await expectAuthError(auth.login({ email: EMAIL, password: 'wrong password 123' }), 'invalid_credentials');
      clock.advance(1);
      const error = await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'email_not_verified');
      expect(error.message).toBe('Verify your email address before signing in. We sent a new link.');
      expect(await storage.sessions.listByAccount('default', account.id)).toEqual([]);
      const history = await storage.loginAttempts.listByAccount('default', account.id, { limit: 10 });
      expect(history.data.map((a) => a.failureReason)).toEqual(['email_not_verified', 'invalid_credentials']);

      // The refused login mailed a fresh link, which replaced the first.
      const fresh = await outbox.waitFor((m) => isVerification(EMAIL)(m) && tokenFromMail(m) !== token);
      await expectAuthError(auth.verifyEmail({ token }), 'invalid_token');
      await auth.verifyEmail({ token: tokenFromMail(fresh) });
      await expect(auth.login({ email: EMAIL, password: PASSWORD })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('mails at most 3 fresh links an hour on refused logins', async () => {
      const { auth, outbox } = await registered({ requireEmailVerification: true });
      for (let i = 0; i < 6; i++) await expectAuthError(auth.login({ email: EMAIL, password: PASSWORD }), 'email_not_verified');
      await settle();
      expect(outbox.messages.filter(isVerification(EMAIL))).toHaveLength(1 + 3);
    });

    it('lets unverified accounts in when not required (the default)', async () => {
      const { auth } = await registered();
      await expect(auth.login({ email: EMAIL, password: PASSWORD })).resolves.toMatchObject({ tokenType: 'Bearer' });
    });
  });
});
