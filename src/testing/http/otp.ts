import { describe, expect, it } from 'vitest';
import {
  bearer,
  BEARER_REQUIRED,
  expectError,
  type Harness,
  type HttpSuiteContext,
  INVALID_BODY,
  INVALID_TWO_FACTOR,
  OTP_REQUIRED,
  PASSWORD,
  PASSWORD_REQUIRED,
  signedIn,
  type Tokens,
} from './setup.js';
import { settle } from './mail.js';

const PHONE = '+447400123456';
const OBFUSCATED = '+44********56';
const INVALID_CODE = 'The code is not valid.';
const INVALID_PHONE = 'The phone number is not valid.';
const TOO_MANY_SENDS = 'Too many codes were requested. Try again later.';
const TOO_MANY_WRONG = 'Too many wrong codes. Request a new code later.';
const NO_PHONE = 'The account has no phone number: add one first.';

const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** The code of the newest text message to `to`. */
async function textedCode(h: Harness, to = PHONE): Promise<string> {
  await h.sms.waitFor((m) => m.to === to);
  const text = h.sms.messages.filter((m) => m.to === to).at(-1)!.text;
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  if (!code) throw new Error('no code in the text message');
  return code;
}

/** The code of the newest `one-time-code` mail to `to`. */
async function mailedCode(h: Harness, to: string): Promise<string> {
  await h.outbox.waitFor((m) => m.kind === 'one-time-code' && m.to === to);
  const mail = h.outbox.messages.filter((m) => m.kind === 'one-time-code' && m.to === to).at(-1)!;
  const code = /Code: (\d{6})/.exec(mail.text)?.[1];
  if (!code) throw new Error('no code in the mail');
  return code;
}

const me = async (h: Harness, tokens: Tokens) =>
  (await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).body as Record<string, any>;

const NATIONAL = { phone: '07400 123456', country: 'GB' };

async function addPhone(h: Harness, tokens: Tokens, body: Record<string, unknown> = NATIONAL) {
  const res = await h.request('POST', '/auth/account/phone', { headers: bearer(tokens.accessToken), body });
  expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
}

/** Enables a channel with its code, proven by the password (no second factor yet) or by `otp` (x-otp). */
const verify = (h: Harness, tokens: Tokens, channel: string, code: string, proof: { otp?: string } = {}) =>
  h.request('POST', '/auth/account/otp/verify', {
    headers: { ...bearer(tokens.accessToken), ...(proof.otp ? { 'x-otp': proof.otp } : {}) },
    body: { channel, code, ...(proof.otp ? {} : { password: PASSWORD }) },
  });

const send = (h: Harness, tokens: Tokens, channel: string) =>
  h.request('POST', '/auth/account/otp/send', { headers: bearer(tokens.accessToken), body: { channel } });

export function describeOtp(ctx: HttpSuiteContext): void {
  describe('two-factor: email and SMS codes', () => {
    it('POST /account/phone answers 202 and texts a code; the account shows the phone obfuscated, unverified', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      await addPhone(h, tokens);
      const code = await textedCode(h);
      expect(h.sms.messages).toEqual([
        { to: PHONE, text: `Your latchkey code is ${code}. It expires in 10 minutes.`, sentAt: expect.any(Date) },
      ]);
      const account = await me(h, tokens);
      expect(account.phone).toEqual({ number: OBFUSCATED, verified: false, verifiedAt: null });
      expect(account.twoFactor).toMatchObject({ enabled: false, methods: [] });
      expect(JSON.stringify(account)).not.toContain('7400123456');
    });

    it('POST /account/otp/verify refuses a wrong code (401), enables SMS with the right one (200)', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      await addPhone(h, tokens, { phone: PHONE });
      const code = await textedCode(h);
      expectError(await verify(h, tokens, 'sms', wrong(code)), 401, 'invalid_two_factor', INVALID_CODE);

      h.clock.advance(10);
      const res = await verify(h, tokens, 'sms', code);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      // The account's first factor comes with its first recovery codes, shown once beside the account.
      const { recoveryCodes, ...body } = res.body as Record<string, any>;
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      expect(body.phone).toEqual({ number: OBFUSCATED, verified: true, verifiedAt: h.clock.now().toISOString() });
      expect(body.twoFactor).toEqual({ enabled: true, methods: ['sms'], recoveryCodesRemaining: 10 });
      expect(await me(h, tokens)).toEqual(body);
      expectError(await verify(h, tokens, 'sms', code), 401, 'invalid_two_factor', INVALID_CODE);
    });

    it('the email channel works the same through the mail outbox', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const res = await send(h, tokens, 'email');
      expect({ status: res.status, text: res.text }).toEqual({ status: 202, text: '' });
      const code = await mailedCode(h, email);
      expectError(await verify(h, tokens, 'email', wrong(code)), 401, 'invalid_two_factor', INVALID_CODE);
      const ok = await verify(h, tokens, 'email', code);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({ email: { address: email, verified: true }, twoFactor: { methods: ['email'] } });
    });

    it('POST /account/otp/verify right after signing in needs the password: a stolen token enables no phone', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      // The access token of the sign-in a moment ago, stolen: a fresh sign-in is no proof by itself.
      const headers = bearer(tokens.accessToken);
      await addPhone(h, tokens, { phone: PHONE }); // the attacker's phone: adding it enables nothing
      const post = (body: unknown, extra: Record<string, string> = {}) =>
        h.request('POST', '/auth/account/otp/verify', { headers: { ...headers, ...extra }, body });

      const code = await textedCode(h);
      expectError(await post({ channel: 'sms', code }), 400, 'validation_failed', PASSWORD_REQUIRED, [
        { path: 'password', message: 'is required' },
      ]);
      // An x-otp header is no substitute while the account has no second factor, not even the code itself.
      const otpOnly = await post({ channel: 'sms', code }, { 'x-otp': code });
      expectError(otpOnly, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      const guessed = await post({ channel: 'sms', code, password: `${PASSWORD}!` });
      expectError(guessed, 401, 'invalid_credentials', 'The password is incorrect.');
      expect((await me(h, tokens)).twoFactor).toMatchObject({ enabled: false, methods: [] });
      expect((await me(h, tokens)).phone.verified).toBe(false);
      await settle();
      expect(h.outbox.messages.filter((m) => m.kind === 'security-change')).toEqual([]);

      // The owner, with the password and a new code (the guessed password spent the last one), enables
      // it; the change is mailed.
      expect((await send(h, tokens, 'sms')).status).toBe(202);
      const ok = await post({ channel: 'sms', code: await textedCode(h), password: PASSWORD });
      expect(ok.status, ok.text).toBe(200);
      expect((ok.body as Record<string, any>).twoFactor.methods).toEqual(['sms']);
      await h.outbox.waitFor((m) => m.kind === 'security-change' && m.to === email);
    });

    it('POST /account/otp/verify with a second factor needs x-otp of an earlier factor, never the new channel', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const headers = bearer(tokens.accessToken);
      expect((await send(h, tokens, 'email')).status).toBe(202);
      expect((await verify(h, tokens, 'email', await mailedCode(h, email))).status).toBe(200); // the owner's factor
      await addPhone(h, tokens, { phone: PHONE });
      const post = (body: unknown, extra: Record<string, string> = {}) =>
        h.request('POST', '/auth/account/otp/verify', { headers: { ...headers, ...extra }, body });

      // The attacker holds this fresh session's access token and the (phished) password, and adds their
      // phone: without a proof of the email factor, neither the code alone nor the password enables it.
      let code = await textedCode(h);
      expectError(await post({ channel: 'sms', code }), 400, 'validation_failed', OTP_REQUIRED, [
        { path: 'x-otp', message: 'is required' },
      ]);
      const password = await post({ channel: 'sms', code, password: PASSWORD });
      expectError(password, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const guessed = await post({ channel: 'sms', code }, { 'x-otp': wrong(code) });
      expectError(guessed, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      expect((await me(h, tokens)).twoFactor.methods).toEqual(['email']);

      // The SMS code itself as x-otp: SMS was not enabled before the request, so it proves nothing.
      expect((await send(h, tokens, 'sms')).status).toBe(202);
      code = await textedCode(h);
      const itself = await post({ channel: 'sms', code }, { 'x-otp': code });
      expectError(itself, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      expect((await me(h, tokens)).twoFactor.methods).toEqual(['email']);

      // Nor can the attacker's unenabled SMS code then strip the owner's email factor.
      expect((await send(h, tokens, 'sms')).status).toBe(202);
      const strip = await h.request('DELETE', '/auth/account/otp/email', {
        headers: { ...headers, 'x-otp': await textedCode(h) },
      });
      expectError(strip, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);

      // The owner proves the email factor with a code mailed to it, and adds SMS.
      expect((await send(h, tokens, 'email')).status).toBe(202);
      const proof = await mailedCode(h, email);
      expect((await send(h, tokens, 'sms')).status).toBe(202);
      const ok = await verify(h, tokens, 'sms', await textedCode(h), { otp: proof });
      expect(ok.status, ok.text).toBe(200);
      expect((ok.body as Record<string, any>).twoFactor.methods).toEqual(['email', 'sms']);
    });

    it('x-otp is throttled before any code is looked at: after 5 wrong ones, even a right mailed code answers 429', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      expect((await send(h, tokens, 'email')).status).toBe(202);
      expect((await verify(h, tokens, 'email', await mailedCode(h, email))).status).toBe(200);
      const headers = bearer(tokens.accessToken);

      // Five guesses, spread over three routes: one budget per account.
      const guesses: Array<[string, string]> = [
        ['PUT', '/auth/account/recovery-codes'],
        ['DELETE', '/auth/account/otp/email'],
        ['DELETE', '/auth/account'],
        ['PUT', '/auth/account/recovery-codes'],
        ['DELETE', '/auth/account/otp/email'],
      ];
      for (const [method, path] of guesses) {
        const res = await h.request(method, path, { headers: { ...headers, 'x-otp': '000000' } });
        expectError(res, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      }
      expect((await send(h, tokens, 'email')).status).toBe(202);
      const code = await mailedCode(h, email);
      const limited = await h.request('PUT', '/auth/account/recovery-codes', { headers: { ...headers, 'x-otp': code } });
      expectError(limited, 429, 'rate_limited', 'Too many failed attempts. Try again later.');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900).toBe(true);
      expect((await me(h, tokens)).twoFactor).toEqual({ enabled: true, methods: ['email'], recoveryCodesRemaining: 10 });
      expect((await me(h, tokens)).state.status).toBe('active');
    });

    it('refuses a bad phone, a bad country, an unknown channel and SMS without a phone with 400', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const headers = bearer(tokens.accessToken);
      const post = (body: unknown) => h.request('POST', '/auth/account/phone', { headers, body });
      expectError(await post({ phone: '+44 1234' }), 400, 'validation_failed', INVALID_PHONE, [
        { path: 'phone', message: 'is not a valid phone number' },
      ]);
      expectError(await post({ phone: '07400 123456' }), 400, 'validation_failed', INVALID_PHONE, [
        { path: 'phone', message: 'needs the international form (+44…) or a country' },
      ]);
      const badCountry = await post({ phone: '07400 123456', country: 'XX' });
      expectError(badCountry, 400, 'validation_failed', 'The country is not valid.', [
        { path: 'country', message: 'must be an ISO 3166-1 alpha-2 country code (GB, US …)' },
      ]);
      expectError(await post({ phone: PHONE, extra: 1 }), 400, 'validation_failed', INVALID_BODY, [
        { path: 'extra', message: 'is not a known field' },
      ]);
      expectError(await send(h, tokens, 'fax'), 400, 'validation_failed', INVALID_BODY, [
        { path: 'channel', message: 'Invalid option: expected one of "email"|"sms"' },
      ]);
      expectError(await send(h, tokens, 'sms'), 400, 'validation_failed', NO_PHONE, [
        { path: 'channel', message: 'needs a phone number on the account' },
      ]);
      expect(h.sms.messages).toEqual([]);
      expect((await me(h, tokens)).phone).toEqual({ number: null, verified: false, verifiedAt: null });
    });

    it('needs a bearer token', async () => {
      const h = await ctx.start();
      const res = await h.request('POST', '/auth/account/phone', { body: { phone: PHONE } });
      expectError(res, 401, 'unauthenticated', BEARER_REQUIRED);
    });

    it('throttles sends: the sixth code within 15 minutes answers 429 with Retry-After', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      await addPhone(h, tokens);
      for (let i = 0; i < 4; i++) expect((await send(h, tokens, 'sms')).status).toBe(202);
      const res = await send(h, tokens, 'sms');
      expectError(res, 429, 'rate_limited', TOO_MANY_SENDS);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 900).toBe(true);
      expect(h.sms.messages).toHaveLength(5);
    });

    it('five wrong codes use the code up: even the right one then answers 429 until it expires', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      await addPhone(h, tokens);
      const code = await textedCode(h);
      for (let i = 0; i < 5; i++) expect((await verify(h, tokens, 'sms', wrong(code))).status).toBe(401);
      const res = await verify(h, tokens, 'sms', code);
      expectError(res, 429, 'rate_limited', TOO_MANY_WRONG);
      expect(res.headers.get('retry-after')).toBe('600');
    });

    it('DELETE /account/otp/{channel} needs x-otp (400), takes a code sent to the channel, keeps the phone', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      await addPhone(h, tokens);
      expect((await verify(h, tokens, 'sms', await textedCode(h))).status).toBe(200);

      const without = await h.request('DELETE', '/auth/account/otp/sms', { headers: bearer(tokens.accessToken) });
      expectError(without, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const withCode = { ...bearer(tokens.accessToken), 'x-otp': '123456' };
      const unknown = await h.request('DELETE', '/auth/account/otp/fax', { headers: withCode });
      expectError(unknown, 404, 'not_found', 'No such route.');

      h.sms.clear();
      expect((await send(h, tokens, 'sms')).status).toBe(202);
      const res = await h.request('DELETE', '/auth/account/otp/sms', {
        headers: { ...bearer(tokens.accessToken), 'x-otp': await textedCode(h) },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ phone: { number: OBFUSCATED, verified: true }, twoFactor: { methods: [] } });
    });
  });
}
