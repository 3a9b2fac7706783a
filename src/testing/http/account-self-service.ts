import { describe, expect, it } from 'vitest';
import {
  bearer,
  expectAccessDead,
  expectError,
  expectRefreshDead,
  type Harness,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  loginAccount,
  OTP_REQUIRED,
  PASSWORD,
  PASSWORD_REQUIRED,
  signedIn,
  type Tokens,
} from './setup.js';
import { describeAccountLogins } from './account-self-service-logins.js';

const PATCH_TYPE = { 'content-type': 'application/json-patch+json' };
const INVALID_PROFILE = 'The profile update is not valid.';
const EDITABLE_ONLY = 'only /name, /name/first, /name/last and /allowSupportLogin can be changed';

const me = async (h: Harness, tokens: Tokens) =>
  (await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).body as Record<string, any>;

export function describeAccountSelfService(ctx: HttpSuiteContext): void {
  describe('PATCH /account', () => {
    it('applies a JSON merge body and answers the updated account', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const before = await me(h, tokens);
      h.clock.advance(60);
      const res = await h.request('PATCH', '/auth/account', {
        headers: bearer(tokens.accessToken),
        body: { name: { first: '  Ada ', last: 'Lovelace' }, allowSupportLogin: true },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const updatedAt = h.clock.now().toISOString();
      expect(res.body).toEqual({
        ...before,
        name: { first: 'Ada', last: 'Lovelace' },
        allowSupportLogin: true,
        events: { ...before.events, updatedAt },
      });
      expect(await me(h, tokens)).toEqual(res.body);
    });

    it('applies an RFC 6902 JSON Patch sent as application/json-patch+json', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const res = await h.request('PATCH', '/auth/account', {
        headers: { ...bearer(tokens.accessToken), ...PATCH_TYPE },
        body: [
          { op: 'test', path: '/name/first', value: null },
          { op: 'add', path: '/name', value: { first: 'Ada', last: 'Byron' } },
          { op: 'replace', path: '/name/last', value: 'Lovelace' },
          { op: 'copy', from: '/name/first', path: '/name/last' },
          { op: 'replace', path: '/allowSupportLogin', value: true },
        ],
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ name: { first: 'Ada', last: 'Ada' }, allowSupportLogin: true });
    });

    it('refuses a patch that touches another field, changing nothing', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const before = await me(h, tokens);
      for (const path of ['/email', '/roles', '/id', '/email/address']) {
        const res = await h.request('PATCH', '/auth/account', {
          headers: { ...bearer(tokens.accessToken), ...PATCH_TYPE },
          body: [
            { op: 'replace', path: '/name/first', value: 'Eve' },
            { op: 'replace', path, value: 'eve@example.com' },
          ],
        });
        expectError(res, 400, 'validation_failed', INVALID_PROFILE, [{ path: '1.path', message: EDITABLE_ONLY }]);
      }
      const failedTest = await h.request('PATCH', '/auth/account', {
        headers: { ...bearer(tokens.accessToken), ...PATCH_TYPE },
        body: [
          { op: 'replace', path: '/name/first', value: 'Eve' },
          { op: 'test', path: '/allowSupportLogin', value: true },
        ],
      });
      expectError(failedTest, 400, 'validation_failed', INVALID_PROFILE, [
        { path: '1', message: 'test failed: the value is different' },
      ]);
      expect(await me(h, tokens)).toEqual(before);
    });

    it('refuses a patch array sent as application/json, and an object sent as a JSON Patch', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const mismatch = 'A JSON Patch array needs Content-Type: application/json-patch+json.';
      const details = [{ path: '', message: 'body and content type do not match' }];
      const array = await h.request('PATCH', '/auth/account', {
        headers: bearer(tokens.accessToken),
        body: [{ op: 'replace', path: '/name/first', value: 'Ada' }],
      });
      expectError(array, 400, 'validation_failed', mismatch, details);
      const object = await h.request('PATCH', '/auth/account', {
        headers: { ...bearer(tokens.accessToken), ...PATCH_TYPE },
        body: { name: { first: 'Ada' } },
      });
      expectError(object, 400, 'validation_failed', mismatch, details);
      const unknown = await h.request('PATCH', '/auth/account', {
        headers: bearer(tokens.accessToken),
        body: { email: 'eve@example.com' },
      });
      expect({ status: unknown.status, code: unknown.body.error.code }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
    });

    it('needs a bearer token', async () => {
      const h = await ctx.start();
      const res = await h.request('PATCH', '/auth/account', { body: { allowSupportLogin: true } });
      expectError(res, 401, 'unauthenticated', 'A bearer access token is required.');
    });
  });

  describeAccountLogins(ctx);

  describe('DELETE /account', () => {
    it('needs the password while no second factor is on, even right after signing in', async () => {
      const h = await ctx.start();
      // The access token of the sign-in a moment ago, stolen: a fresh sign-in is no proof by itself.
      const { tokens } = await signedIn(h);
      const empty = await h.request('DELETE', '/auth/account', { headers: bearer(tokens.accessToken) });
      expectError(empty, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      const wrong = await h.request('DELETE', '/auth/account', {
        headers: bearer(tokens.accessToken),
        body: { password: 'not the password' },
      });
      expectError(wrong, 401, 'invalid_credentials', 'The password is incorrect.');
      // No second factor is on, so an x-otp is the wrong kind of proof, whatever it says.
      const otp = await h.request('DELETE', '/auth/account', {
        headers: { ...bearer(tokens.accessToken), 'x-otp': '123456' },
      });
      expectError(otp, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      expect((await me(h, tokens)).state.status).toBe('active');
    });

    it('needs x-otp once a second factor is on: a phished password deletes nothing', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      const send = await h.request('POST', '/auth/account/otp/send', { headers: auth, body: { channel: 'email' } });
      expect(send.status, send.text).toBe(202);
      const mailed = async (): Promise<string> => {
        const mail = await h.outbox.waitFor((m) => m.kind === 'one-time-code' && m.to === email);
        h.outbox.clear();
        return /Code: (\d{6})/.exec(mail.text)![1]!;
      };
      const enable = await h.request('POST', '/auth/account/otp/verify', {
        headers: auth,
        body: { channel: 'email', code: await mailed(), password: PASSWORD },
      });
      expect(enable.status, enable.text).toBe(200);

      for (const body of [undefined, { password: PASSWORD }]) {
        const refused = await h.request('DELETE', '/auth/account', { headers: auth, body });
        expectError(refused, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      }
      const guessed = await h.request('DELETE', '/auth/account', { headers: { ...auth, 'x-otp': '000000' } });
      expectError(guessed, 401, 'invalid_two_factor', 'The two-factor code is not valid.');
      expect((await me(h, tokens)).state.status).toBe('active');

      // The owner, with a code mailed to the enabled channel.
      const again = await h.request('POST', '/auth/account/otp/send', { headers: auth, body: { channel: 'email' } });
      expect(again.status, again.text).toBe(202);
      const deleted = await h.request('DELETE', '/auth/account', { headers: { ...auth, 'x-otp': await mailed() } });
      expect(deleted.status, deleted.text).toBe(202);
      await expectAccessDead(h, tokens.accessToken);
    });

    it('answers 202 with the job descriptor; the account is deleted and signed out everywhere', async () => {
      const h = await ctx.start();
      const { email, password, tokens } = await signedIn(h);
      const other = await loginAccount(h, email, password);
      const now = h.clock.now();
      const res = await h.request('DELETE', '/auth/account', {
        headers: bearer(tokens.accessToken),
        body: { password },
      });
      expect(res.status, res.text).toBe(202);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const step = { caption: expect.any(String), description: expect.any(String) };
      expect(res.body).toEqual({
        action: 'delete',
        job: {
          id: expect.stringMatching(/^job_[0-9A-Z]{26}$/),
          accepted: true,
          queue: 'account-purge',
          schedule: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
          tasks: [
            {
              caption: 'Revoke sessions',
              header: expect.any(String),
              steps: [{ ...step, started: now.toISOString(), completed: now.toISOString() }],
            },
            {
              caption: 'Purge personal data',
              header: expect.any(String),
              steps: [{ ...step, started: null, completed: null }],
            },
          ],
        },
      });
      for (const session of [tokens, other]) {
        await expectAccessDead(h, session.accessToken);
        await expectRefreshDead(h, session.refreshToken);
      }
      const login = await h.request('POST', '/auth/login', { body: { email, password } });
      expectError(login, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      await h.outbox.waitFor((m) => m.kind === 'account-deleted' && m.to === email);
    });
  });
}
