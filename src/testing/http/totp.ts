import { describe, expect, it } from 'vitest';
import {
  bearer,
  enableTotp,
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
import { totpCode } from './totp-code.js';

const NO_ENROLMENT = 'There is no authenticator set-up to confirm: start one first.';
const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

interface Enrolment {
  secret: string;
  uri: string;
  qrCodeSvg: string;
}

async function enrol(h: Harness, tokens: Tokens): Promise<Enrolment> {
  const res = await h.request('POST', '/auth/account/two-factor/totp', { headers: bearer(tokens.accessToken) });
  expect(res.status, res.text).toBe(200);
  return res.body as Enrolment;
}

const me = async (h: Harness, tokens: Tokens) =>
  (await h.request('GET', '/auth/account', { headers: bearer(tokens.accessToken) })).body as Record<string, any>;

export function describeTotp(ctx: HttpSuiteContext): void {
  describe('two-factor: TOTP and recovery codes', () => {
    it('POST /account/two-factor/totp answers the secret, its otpauth URI and an SVG QR code, not cacheable', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const before = await me(h, tokens);
      const res = await h.request('POST', '/auth/account/two-factor/totp', { headers: bearer(tokens.accessToken) });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toEqual({
        secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        uri: expect.any(String),
        qrCodeSvg: expect.any(String),
      });
      const { secret, uri, qrCodeSvg } = res.body as Enrolment;
      const label = `latchkey:${encodeURIComponent(email)}`;
      expect(uri).toBe(`otpauth://totp/${label}?secret=${secret}&issuer=latchkey&algorithm=SHA1&digits=6&period=30`);
      expect(qrCodeSvg.startsWith('<svg')).toBe(true);
      // Pending: the account shows nothing yet, and never the secret.
      const after = await me(h, tokens);
      expect(after).toEqual(before);
      expect(JSON.stringify(after)).not.toContain(secret);
    });

    it('POST /account/two-factor/totp/verify: a wrong code is 401, the right one answers 10 recovery codes', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const { secret } = await enrol(h, tokens);
      const code = totpCode(secret, h.clock.now());
      const path = '/auth/account/two-factor/totp/verify';

      const refused = await h.request('POST', path, {
        headers: bearer(tokens.accessToken),
        body: { code: wrong(code), password: PASSWORD },
      });
      expectError(refused, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);

      const res = await h.request('POST', path, { headers: bearer(tokens.accessToken), body: { code, password: PASSWORD } });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { recoveryCodes } = res.body as { recoveryCodes: string[] };
      expect(Object.keys(res.body as object)).toEqual(['recoveryCodes']);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const c of recoveryCodes) expect(c).toMatch(RECOVERY_CODE);

      const account = await me(h, tokens);
      expect(account.twoFactor).toEqual({ enabled: true, methods: ['totp'], recoveryCodesRemaining: 10 });
      expect(JSON.stringify(account)).not.toContain(secret);

      // Confirmed: nothing is pending any more.
      const again = await h.request('POST', path, { headers: bearer(tokens.accessToken), body: { code, password: PASSWORD } });
      expectError(again, 400, 'validation_failed', NO_ENROLMENT, [{ path: 'code', message: 'no enrolment in progress' }]);
    });

    it('POST /account/two-factor/totp/verify validates its body and needs an enrolment', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const path = '/auth/account/two-factor/totp/verify';
      const none = await h.request('POST', path, { headers: bearer(tokens.accessToken), body: { code: '123456' } });
      expectError(none, 400, 'validation_failed', NO_ENROLMENT, [{ path: 'code', message: 'no enrolment in progress' }]);
      const missing = await h.request('POST', path, { headers: bearer(tokens.accessToken), body: {} });
      expectError(missing, 400, 'validation_failed', INVALID_BODY, [{ path: 'code', message: 'is required' }]);
    });

    it('POST /account/two-factor/totp/verify right after signing in: a stolen token with { code } alone plants no authenticator', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const path = '/auth/account/two-factor/totp/verify';
      // The access token of the sign-in a moment ago, stolen: a fresh sign-in is no proof by itself.
      const headers = bearer(tokens.accessToken);
      const { secret } = await enrol(h, tokens); // the attacker's authenticator
      const code = totpCode(secret, h.clock.now());

      const none = await h.request('POST', path, { headers, body: { code } });
      expectError(none, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      const guessed = await h.request('POST', path, { headers, body: { code, password: `${PASSWORD}!` } });
      expectError(guessed, 401, 'invalid_credentials', 'The password is incorrect.');
      // An x-otp header is no substitute while the account has no second factor.
      const otpOnly = await h.request('POST', path, { headers: { ...headers, 'x-otp': code }, body: { code } });
      expectError(otpOnly, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      expect((await me(h, tokens)).twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 0 });
      await settle();
      expect(h.outbox.messages.filter((m) => m.kind === 'security-change')).toEqual([]);

      // The owner, with the password, confirms the same pending authenticator; the change is mailed.
      const owner = await h.request('POST', path, { headers, body: { code, password: PASSWORD } });
      expect(owner.status, owner.text).toBe(200);
      expect((await me(h, tokens)).twoFactor).toEqual({ enabled: true, methods: ['totp'], recoveryCodesRemaining: 10 });
      await h.outbox.waitFor((m) => m.kind === 'security-change' && m.to === email);
    });

    it('POST /account/two-factor/totp/verify with a second factor needs x-otp, even right after signing in with both', async () => {
      const h = await ctx.start();
      const { tokens, email } = await signedIn(h);
      const { secret: owners, recoveryCodes } = await enableTotp(h, tokens);
      const path = '/auth/account/two-factor/totp/verify';
      // A session just opened with both factors, relayed by a phishing proxy: it holds the token and the password.
      const login = await h.request('POST', '/auth/login', {
        body: { email, password: PASSWORD, twoFactorCode: totpCode(owners, h.clock.now()) },
      });
      expect(login.status, login.text).toBe(200);
      h.clock.advance(30);
      const headers = bearer((login.body as Tokens).accessToken);
      const { secret: attackers } = await enrol(h, tokens);
      const code = totpCode(attackers, h.clock.now());

      const none = await h.request('POST', path, { headers, body: { code } });
      expectError(none, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const password = await h.request('POST', path, { headers, body: { code, password: PASSWORD } });
      expectError(password, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const ownerCode = totpCode(owners, h.clock.now());
      const guessed = await h.request('POST', path, { headers: { ...headers, 'x-otp': wrong(ownerCode) }, body: { code } });
      expectError(guessed, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      // The pending code cannot prove itself.
      const itself = await h.request('POST', path, { headers: { ...headers, 'x-otp': code }, body: { code } });
      expectError(itself, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      expect((await me(h, tokens)).twoFactor).toEqual({ enabled: true, methods: ['totp'], recoveryCodesRemaining: 10 });
      // The owner's recovery codes still work: nothing was replaced.
      const regenerate = await h.request('PUT', '/auth/account/recovery-codes', {
        headers: { ...headers, 'x-otp': recoveryCodes[0]! },
      });
      expect(regenerate.status, regenerate.text).toBe(200);

      // The owner replaces the authenticator with a code of the current one.
      const { secret: next } = await enrol(h, tokens);
      const replaced = await h.request('POST', path, {
        headers: { ...headers, 'x-otp': ownerCode },
        body: { code: totpCode(next, h.clock.now()) },
      });
      expect(replaced.status, replaced.text).toBe(200);
      // The old authenticator no longer proves anything.
      h.clock.advance(30);
      const { secret: latest } = await enrol(h, tokens);
      const stale = await h.request('POST', path, {
        headers: { ...headers, 'x-otp': totpCode(owners, h.clock.now()) },
        body: { code: totpCode(latest, h.clock.now()) },
      });
      expectError(stale, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
    });

    it('PUT /account/recovery-codes without a second factor needs the password, even right after signing in', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const path = '/auth/account/recovery-codes';
      const auth = bearer(tokens.accessToken);
      expectError(await h.request('PUT', path, { headers: auth }), 400, 'validation_failed', PASSWORD_REQUIRED, [
        { path: 'password', message: 'is required' },
      ]);
      const wrongPassword = await h.request('PUT', path, { headers: auth, body: { password: `${PASSWORD}!` } });
      expectError(wrongPassword, 401, 'invalid_credentials', 'The password is incorrect.');
      const res = await h.request('PUT', path, { headers: auth, body: { password: PASSWORD } });
      expect(res.status, res.text).toBe(200);
      expect((res.body as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
    });

    it('PUT /account/recovery-codes with a second factor needs x-otp: a phished password mints no codes; old codes die', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const { secret, recoveryCodes: old } = await enableTotp(h, tokens);
      const path = '/auth/account/recovery-codes';

      const auth = bearer(tokens.accessToken);
      const otpRequired = [{ path: 'x-otp', message: 'is required' }];
      expectError(await h.request('PUT', path, { headers: auth }), 400, 'validation_failed', OTP_REQUIRED, otpRequired);
      // The password, right or wrong, is no proof once a factor is on: it is what a phisher holds.
      for (const password of [PASSWORD, `${PASSWORD}!`]) {
        const byPassword = await h.request('PUT', path, { headers: auth, body: { password } });
        expectError(byPassword, 400, 'validation_failed', OTP_REQUIRED, otpRequired);
      }
      const code = totpCode(secret, h.clock.now());
      const wrongCode = await h.request('PUT', path, { headers: { ...auth, 'x-otp': wrong(code) } });
      expectError(wrongCode, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      expect((await me(h, tokens)).twoFactor.recoveryCodesRemaining).toBe(10);

      const res = await h.request('PUT', path, { headers: { ...auth, 'x-otp': code } });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { recoveryCodes } = res.body as { recoveryCodes: string[] };
      expect(recoveryCodes).toHaveLength(10);
      expect(recoveryCodes.filter((c) => old.includes(c))).toEqual([]);

      const oldCode = await h.request('PUT', path, { headers: { ...auth, 'x-otp': old[0]! } });
      expectError(oldCode, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      const newCode = await h.request('PUT', path, { headers: { ...auth, 'x-otp': recoveryCodes[0]! } });
      expect(newCode.status, newCode.text).toBe(200);
      const renewed = (newCode.body as { recoveryCodes: string[] }).recoveryCodes;
      const beforeRenewal = await h.request('PUT', path, { headers: { ...auth, 'x-otp': recoveryCodes[1]! } });
      expectError(beforeRenewal, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      expect(renewed).toHaveLength(10);
      expect((await me(h, tokens)).twoFactor.recoveryCodesRemaining).toBe(10);
    });

    it('DELETE /account/two-factor/totp needs a current code (x-otp) and turns TOTP off', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const { secret } = await enableTotp(h, tokens);
      const path = '/auth/account/two-factor/totp';

      const missing = await h.request('DELETE', path, { headers: bearer(tokens.accessToken) });
      expectError(missing, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const code = totpCode(secret, h.clock.now());
      const refused = await h.request('DELETE', path, { headers: { ...bearer(tokens.accessToken), 'x-otp': wrong(code) } });
      expectError(refused, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);

      const res = await h.request('DELETE', path, { headers: { ...bearer(tokens.accessToken), 'x-otp': code } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual(await me(h, tokens));
      const { twoFactor } = res.body as Record<string, any>;
      expect(twoFactor).toEqual({ enabled: false, methods: [], recoveryCodesRemaining: 10 });
    });

    it('a code works once: the code that confirmed or disabled cannot be replayed', async () => {
      const h = await ctx.start();
      const { tokens } = await signedIn(h);
      const { secret } = await enableTotp(h, tokens);
      const headers = (otp: string) => ({ ...bearer(tokens.accessToken), 'x-otp': otp });
      const code = totpCode(secret, h.clock.now());
      const first = await h.request('PUT', '/auth/account/recovery-codes', { headers: headers(code) });
      expect(first.status, first.text).toBe(200);
      const replay = await h.request('DELETE', '/auth/account/two-factor/totp', { headers: headers(code) });
      expectError(replay, 401, 'invalid_two_factor', INVALID_TWO_FACTOR);
      h.clock.advance(30);
      const next = totpCode(secret, h.clock.now());
      const later = await h.request('DELETE', '/auth/account/two-factor/totp', { headers: headers(next) });
      expect(later.status, later.text).toBe(200);
      expect((later.body as Record<string, any>).twoFactor.methods).toEqual([]);
    });

    it('every two-factor route needs a bearer token', async () => {
      const h = await ctx.start();
      const routes: Array<[string, string]> = [
        ['POST', '/auth/account/two-factor/totp'],
        ['POST', '/auth/account/two-factor/totp/verify'],
        ['DELETE', '/auth/account/two-factor/totp'],
        ['PUT', '/auth/account/recovery-codes'],
      ];
      for (const [method, path] of routes) {
        const res = await h.request(method, path, { headers: { 'x-otp': '123456' } });
        expectError(res, 401, 'unauthenticated', BEARER_REQUIRED);
      }
    });
  });
}
