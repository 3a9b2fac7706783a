import { describe, expect, it } from 'vitest';
import { nextMail, tokenFromMail } from './mail.js';
import {
  bearer,
  expectError,
  type HttpSuiteContext,
  INVALID_CREDENTIALS,
  INVALID_TOKEN,
  loginAccount,
  registerAccount,
  signedIn,
} from './setup.js';

const NOT_VERIFIED = 'Verify your email address before signing in. We sent a new link.';

export function describeEmailVerification(ctx: HttpSuiteContext): void {
  describe('email verification', () => {
    it('registration mails a token that POST /email/verify accepts once', async () => {
      const h = await ctx.start();
      const { email, account } = await registerAccount(h);
      const token = tokenFromMail(await nextMail(h, 'email-verification', email));

      h.clock.advance(5);
      const res = await h.request('POST', '/auth/email/verify', { body: { token } });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const at = h.clock.now().toISOString();
      expect(res.body).toEqual({
        ...account,
        email: { ...account.email, verified: true, verifiedAt: at },
        events: { ...account.events, updatedAt: at },
      });

      const again = await h.request('POST', '/auth/email/verify', { body: { token } });
      expectError(again, 400, 'invalid_token', INVALID_TOKEN);
    });

    it('refuses an unknown token and a malformed body', async () => {
      const h = await ctx.start();
      expectError(await h.request('POST', '/auth/email/verify', { body: { token: 'x'.repeat(43) } }), 400, 'invalid_token', INVALID_TOKEN);
      const empty = await h.request('POST', '/auth/email/verify', { body: { token: '' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('validation_failed');
    });

    it('POST /account/email/verification answers 202 with no body, mails a new token, and the old one dies', async () => {
      const h = await ctx.start();
      const { email, tokens } = await signedIn(h);
      const first = await nextMail(h, 'email-verification', email);
      const before = h.outbox.messages;

      const res = await h.request('POST', '/auth/account/email/verification', { headers: bearer(tokens.accessToken) });
      expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
      const second = await nextMail(h, 'email-verification', email, before);
      expect(tokenFromMail(second)).not.toBe(tokenFromMail(first));

      expectError(await h.request('POST', '/auth/email/verify', { body: { token: tokenFromMail(first) } }), 400, 'invalid_token', INVALID_TOKEN);
      const ok = await h.request('POST', '/auth/email/verify', { body: { token: tokenFromMail(second) } });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.email.verified).toBe(true);
    });

    it('POST /account/email/verification sends at most 5 an hour: then 429 with Retry-After', async () => {
      const h = await ctx.start();
      const { email, tokens } = await signedIn(h);
      const post = () => h.request('POST', '/auth/account/email/verification', { headers: bearer(tokens.accessToken) });
      for (let i = 0; i < 5; i++) expect((await post()).status).toBe(202);
      const res = await post();
      expectError(res, 429, 'rate_limited', 'Too many verification mails were requested. Try again later.');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 3600).toBe(true);
      await h.outbox.waitFor(() => h.outbox.messages.filter((m) => m.kind === 'email-verification').length === 6);
      expect(h.outbox.messages.filter((m) => m.kind === 'email-verification' && m.to === email)).toHaveLength(6);
    });

    it('POST /account/email/verification needs an access token', async () => {
      const h = await ctx.start();
      const res = await h.request('POST', '/auth/account/email/verification');
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });

    it('with requireEmailVerification, login answers 403 email_not_verified until the address is verified', async () => {
      const h = await ctx.start({ auth: { requireEmailVerification: true } });
      const { email, password } = await registerAccount(h);
      const first = tokenFromMail(await nextMail(h, 'email-verification', email));

      const wrong = await h.request('POST', '/auth/login', { body: { email, password: 'wrong password 123' } });
      expectError(wrong, 401, 'invalid_credentials', INVALID_CREDENTIALS);
      const before = h.outbox.messages;
      const refused = await h.request('POST', '/auth/login', { body: { email, password } });
      expectError(refused, 403, 'email_not_verified', NOT_VERIFIED);

      // A refused login mails a fresh link (the person cannot sign in to ask for one); it replaces the first.
      const token = tokenFromMail(await nextMail(h, 'email-verification', email, before));
      expectError(await h.request('POST', '/auth/email/verify', { body: { token: first } }), 400, 'invalid_token', INVALID_TOKEN);
      expect((await h.request('POST', '/auth/email/verify', { body: { token } })).status).toBe(200);
      const tokens = await loginAccount(h, email, password);
      expect(tokens.account.email.verified).toBe(true);
    });

    it('registering an existing email mails the owner a registration-attempt notice, not a token', async () => {
      const h = await ctx.start();
      const { email } = await registerAccount(h);
      await nextMail(h, 'email-verification', email);
      const before = h.outbox.messages;
      const res = await h.request('POST', '/auth/accounts', { body: { email, password: 'someone else 1234' } });
      expect(res.status, res.text).toBe(201);
      const notice = await nextMail(h, 'registration-attempt', email, before);
      expect(notice.text).not.toMatch(/Token:|token=/);
      expect(h.outbox.messages.filter((m) => m.kind === 'email-verification')).toHaveLength(1);
    });
  });
}
