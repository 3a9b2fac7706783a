import { describe, expect, it } from 'vitest';
import { nextMail, settle, tokenFromMail } from './mail.js';
import {
  bearer,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  loginAccount,
  PASSWORD,
  registerAccount,
  signedIn,
  uniqueEmail,
  uniqueGroup,
} from './setup.js';

const NEW_PASSWORD = 'a brand new passphrase';

/**
 * Asks for a reset over HTTP (asserting 202) a second after whatever came before (a token stamped with
 * the instant of the account's last change is refused), and returns the token mailed for it.
 */
async function forgot(h: Harness, email: string, prefix = '/auth'): Promise<string> {
  h.clock.advance(1);
  const before = h.outbox.messages;
  const res = await h.request('POST', `${prefix}/password/forgot`, { body: { email } });
  expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
  return tokenFromMail(await nextMail(h, 'password-reset', email, before));
}

export function describePasswords(ctx: HttpSuiteContext): void {
  describe('password reset', () => {
    it('POST /password/forgot answers 202 with no body for known and unknown emails; only the known one gets mail', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      await nextMail(h, 'email-verification', email); // sent after the 201, in the background
      const unknownEmail = uniqueEmail('nobody');
      const before = h.outbox.messages;

      const unknown = await h.request('POST', '/auth/password/forgot', { body: { email: unknownEmail } });
      const known = await h.request('POST', '/auth/password/forgot', { body: { email } });
      for (const res of [unknown, known]) {
        expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      const mail = await nextMail(h, 'password-reset', email, before);
      expect(mail.text).toContain('expires in 1 hour');
      await settle();
      expect(h.outbox.messages.filter((m) => !before.includes(m)).map((m) => [m.kind, m.to])).toEqual([['password-reset', email]]);
    });

    it('POST /password/forgot refuses a malformed email', async () => {
      const h = await ctx.start();
      const res = await h.request('POST', '/auth/password/forgot', { body: { email: 'not-an-email' } });
      expectError(res, 400, 'validation_failed', 'The email address is not valid.', [
        { path: 'email', message: 'must be an email address' },
      ]);
    });

    it('POST /password/reset sets the password, ends every session, and the token works once', async () => {
      const h = await ctx.start();
      const { email, password, tokens: laptop } = await signedIn(h);
      const phone = await loginAccount(h, email, password);
      const token = await forgot(h, email);

      const res = await h.request('POST', '/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { success: true } });
      expect(res.headers.get('cache-control')).toBe('no-store');

      for (const tokens of [laptop, phone]) {
        await expectAccessDead(h, tokens.accessToken);
        await expectRefreshDead(h, tokens.refreshToken);
      }
      const old = await h.request('POST', '/auth/login', { body: { email, password } });
      expectError(old, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      await loginAccount(h, email, NEW_PASSWORD);
      await nextMail(h, 'password-changed', email);

      const again = await h.request('POST', '/auth/password/reset', { body: { token, password: 'yet another passphrase' } });
      expectError(again, 400, 'invalid_token', INVALID_TOKEN);
    });

    it('POST /password/reset refuses a too short password without using the token up', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      const token = await forgot(h, email);
      const message = 'must be at least 8 characters';
      const res = await h.request('POST', '/auth/password/reset', { body: { token, password: 'short' } });
      expectError(res, 400, 'validation_failed', `The password ${message}.`, [{ path: 'password', message }]);
      const ok = await h.request('POST', '/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
      expect(ok.status, ok.text).toBe(200);
    });

    it('a newer reset mail kills the older token', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      const older = await forgot(h, email);
      const newer = await forgot(h, email);
      const res = await h.request('POST', '/auth/password/reset', { body: { token: older, password: NEW_PASSWORD } });
      expectError(res, 400, 'invalid_token', INVALID_TOKEN);
      expect((await h.request('POST', '/auth/password/reset', { body: { token: newer, password: NEW_PASSWORD } })).status).toBe(200);
    });

    it('an expired reset token is refused', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      const token = await forgot(h, email);
      h.clock.advance(3600);
      const res = await h.request('POST', '/auth/password/reset', { body: { token, password: NEW_PASSWORD } });
      expectError(res, 400, 'invalid_token', INVALID_TOKEN);
    });

    it('a reset token of one group is refused in another', async () => {
      const h = await ctx.start({ groups: true });
      const [a, b] = [uniqueGroup('reset-a'), uniqueGroup('reset-b')];
      await h.auth.createGroup({ id: a });
      await h.auth.createGroup({ id: b });
      const email = uniqueEmail();
      await registerAccount(h, { prefix: `/auth/${a}`, email });
      await registerAccount(h, { prefix: `/auth/${b}`, email });
      const token = await forgot(h, email, `/auth/${a}`);
      const res = await h.request('POST', `/auth/${b}/password/reset`, { body: { token, password: NEW_PASSWORD } });
      expectError(res, 400, 'invalid_token', INVALID_TOKEN);
      await loginAccount(h, email, PASSWORD, `/auth/${b}`);
      await loginAccount(h, email, PASSWORD, `/auth/${a}`);
    });
  });

  describe('POST /account/password', () => {
    it('changes the password and returns the account; other sessions end, the current one stays', async () => {
      const h = await ctx.start();
      const { email, password, tokens: current, account } = await signedIn(h);
      const other = await loginAccount(h, email, password);
      h.clock.advance(5);

      const res = await h.request('POST', '/auth/account/password', {
        headers: bearer(current.accessToken),
        body: { current: password, new: NEW_PASSWORD },
      });
      expect(res.status, res.text).toBe(200);
      const at = h.clock.now().toISOString();
      expect(res.body).toMatchObject({ id: account.id, events: { updatedAt: at, lastPasswordChangeAt: at } });
      expect(res.text).not.toContain(NEW_PASSWORD);

      await expectAccessDead(h, other.accessToken);
      await expectRefreshDead(h, other.refreshToken);
      const me = await h.request('GET', '/auth/account', { headers: bearer(current.accessToken) });
      expect(me.status).toBe(200);
      expect((await h.request('POST', '/auth/token/refresh', { body: { refreshToken: current.refreshToken } })).status).toBe(200);

      expectError(await h.request('POST', '/auth/login', { body: { email, password } }), 401, 'invalid_credentials', INVALID_CREDENTIALS);
      await loginAccount(h, email, NEW_PASSWORD);
      await nextMail(h, 'password-changed', email);
    });

    it('a wrong current password answers 401 invalid_credentials and changes nothing', async () => {
      const h = await ctx.start();
      const { email, password, tokens } = await signedIn(h);
      const other = await loginAccount(h, email, password);
      const res = await h.request('POST', '/auth/account/password', {
        headers: bearer(tokens.accessToken),
        body: { current: 'not my password', new: NEW_PASSWORD },
      });
      expectError(res, 401, 'invalid_credentials', 'The current password is incorrect.');
      expect((await h.request('GET', '/auth/account', { headers: bearer(other.accessToken) })).status).toBe(200);
      await loginAccount(h, email, password);
    });

    it('checks the new password against the policy', async () => {
      const h = await ctx.start();
      const { password, tokens } = await signedIn(h);
      const message = 'must be at least 8 characters';
      const res = await h.request('POST', '/auth/account/password', {
        headers: bearer(tokens.accessToken),
        body: { current: password, new: 'short' },
      });
      expectError(res, 400, 'validation_failed', `The password ${message}.`, [{ path: 'password', message }]);
    });
  });
}
