import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { softwareAuthenticator } from '../webauthn/software-authenticator.js';
import {
  bearer,
  expectError,
  type HttpSuiteContext,
  OTP_REQUIRED,
  PASSWORD,
  PASSWORD_REQUIRED,
  signedIn,
} from './setup.js';
import { settle } from './mail.js';
import { totpCode } from './totp-code.js';
import { addPasskey, loginOptions, ORIGIN, REFUSED, WEBAUTHN } from './webauthn-helpers.js';
import { webauthnRefusalTests } from './webauthn-refusals.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export function describeWebauthn(ctx: HttpSuiteContext): void {
  describe('passkeys (WebAuthn)', () => {
    it('registers, lists, renames, signs in (discoverable and email-first) and deletes a passkey', async () => {
      const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
      const { tokens, email, account } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      const authenticator = softwareAuthenticator({ origin: ORIGIN });

      const options = await h.request('POST', '/auth/account/webauthn/register/options', { headers: auth });
      expect(options.status, options.text).toBe(200);
      expect(options.headers.get('cache-control')).toBe('no-store');
      expect(options.body).toMatchObject({
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        rp: { id: 'localhost', name: 'latchkey' },
        user: { id: Buffer.from(account.id).toString('base64url'), name: email, displayName: email },
        excludeCredentials: [],
        authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
        attestation: 'none',
      });
      const credential = authenticator.register(options.body);
      const verified = await h.request('POST', '/auth/account/webauthn/register/verify', {
        headers: auth,
        body: { credential, name: 'Laptop', password: PASSWORD },
      });
      expect(verified.status, verified.text).toBe(200);
      expect(verified.body).toEqual({ id: credential.id, name: 'Laptop', createdAt: expect.stringMatching(ISO) });
      const { id } = verified.body as { id: string };

      const again = await h.request('POST', '/auth/account/webauthn/register/options', { headers: auth });
      expect(again.body.excludeCredentials).toEqual([{ id, type: 'public-key', transports: ['internal'] }]);

      const renamed = await h.request('PATCH', `/auth/account/webauthn/credentials/${id}`, {
        headers: auth,
        body: { name: 'Work laptop' },
      });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body).toEqual({ id, name: 'Work laptop', createdAt: verified.body.createdAt, lastUsedAt: null });

      // Discoverable: no email, the authenticator picks the passkey.
      const discoverable = await loginOptions(h);
      expect(discoverable).toMatchObject({ rpId: 'localhost', allowCredentials: [], userVerification: 'required' });
      const first = await h.request('POST', '/auth/webauthn/login/verify', {
        body: { credential: authenticator.authenticate(discoverable) },
      });
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(B64URL) });
      expect(first.body.account.id).toBe(account.id);
      expect(decodeJwt(first.body.accessToken).amr).toEqual(['hwk', 'user', 'mfa']);

      // Email-first: the account's passkeys are listed.
      const emailFirst = await loginOptions(h, { email });
      // Ids only: a decoy (unknown email) would need invented transports, which would give it away.
      expect(emailFirst.allowCredentials).toEqual([{ id, type: 'public-key' }]);
      const second = await h.request('POST', '/auth/webauthn/login/verify', {
        body: { credential: authenticator.authenticate(emailFirst) },
      });
      expect(second.status, second.text).toBe(200);

      const listed = await h.request('GET', '/auth/account/webauthn/credentials', { headers: auth });
      expect(listed.status, listed.text).toBe(200);
      expect(listed.body).toEqual({
        data: [{ id, name: 'Work laptop', createdAt: verified.body.createdAt, lastUsedAt: expect.stringMatching(ISO) }],
        nextCursor: null,
      });

      const logins = await h.request('GET', '/auth/account/logins', { headers: auth });
      const passkeyLogins = (logins.body.data as { method: string; success: boolean }[]).filter((l) => l.method === 'passkey');
      expect(passkeyLogins.map((l) => l.success)).toEqual([true, true]);

      const deleted = await h.request('DELETE', `/auth/account/webauthn/credentials/${id}`, {
        headers: auth,
        body: { password: PASSWORD },
      });
      expect(deleted.status, deleted.text).toBe(204);
      expect(deleted.text).toBe('');
      const empty = await h.request('GET', '/auth/account/webauthn/credentials', { headers: auth });
      expect(empty.body).toEqual({ data: [], nextCursor: null });
      const gone = await h.request('POST', '/auth/webauthn/login/verify', {
        body: { credential: authenticator.authenticate(await loginOptions(h), { credentialId: id }) },
      });
      expectError(gone, 401, 'invalid_credentials', REFUSED);
    });

    it('a stolen access token, however fresh, adds no passkey: the password (no second factor) or x-otp (with one) is needed', async () => {
      const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
      const { tokens, email } = await signedIn(h);
      // The access token of the sign-in a moment ago: a fresh sign-in is no proof by itself.
      const auth = bearer(tokens.accessToken);
      const path = '/auth/account/webauthn/register/verify';
      const options = await h.request('POST', '/auth/account/webauthn/register/options', { headers: auth });
      const credential = softwareAuthenticator({ origin: ORIGIN }).register(options.body);

      const none = await h.request('POST', path, { headers: auth, body: { credential } });
      expectError(none, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      const guessed = await h.request('POST', path, { headers: auth, body: { credential, password: `${PASSWORD}!` } });
      expectError(guessed, 401, 'invalid_credentials', 'The password is incorrect.');
      const list = await h.request('GET', '/auth/account/webauthn/credentials', { headers: auth });
      expect(list.body.data).toEqual([]);
      await settle();
      expect(h.outbox.messages.filter((m) => m.kind === 'security-change')).toEqual([]);
      // Neither spent the challenge: the owner finishes with the same answer, and is mailed about it.
      const owner = await h.request('POST', path, { headers: auth, body: { credential, password: PASSWORD } });
      expect(owner.status, owner.text).toBe(200);
      await h.outbox.waitFor((m) => m.kind === 'security-change' && m.to === email);

      // With an authenticator on, the password is no proof; a current code in x-otp is.
      const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: auth });
      const { secret } = enrol.body as { secret: string };
      const confirmed = await h.request('POST', '/auth/account/two-factor/totp/verify', {
        headers: auth,
        body: { code: totpCode(secret, h.clock.now()), password: PASSWORD },
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      h.clock.advance(30);
      const next = await h.request('POST', '/auth/account/webauthn/register/options', { headers: auth });
      const second = softwareAuthenticator({ origin: ORIGIN }).register(next.body);
      const byPassword = await h.request('POST', path, { headers: auth, body: { credential: second, password: PASSWORD } });
      expectError(byPassword, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const withCode = await h.request('POST', path, {
        headers: { ...auth, 'x-otp': totpCode(secret, h.clock.now()) },
        body: { credential: second },
      });
      expect(withCode.status, withCode.text).toBe(200);
    });

    it('DELETE /account/webauthn/credentials/{id}: a stolen access token removes no passkey without the proof', async () => {
      const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
      const { tokens, email } = await signedIn(h);
      const auth = bearer(tokens.accessToken);
      const id = await addPasskey(h, tokens, softwareAuthenticator({ origin: ORIGIN }));
      const path = `/auth/account/webauthn/credentials/${id}`;
      const passkeys = async (): Promise<string[]> => {
        const res = await h.request('GET', '/auth/account/webauthn/credentials', { headers: auth });
        return (res.body.data as { id: string }[]).map((c) => c.id);
      };

      // No second factor: the password, even right after signing in.
      const none = await h.request('DELETE', path, { headers: auth });
      expectError(none, 400, 'validation_failed', PASSWORD_REQUIRED, [{ path: 'password', message: 'is required' }]);
      const guessed = await h.request('DELETE', path, { headers: auth, body: { password: `${PASSWORD}!` } });
      expectError(guessed, 401, 'invalid_credentials', 'The password is incorrect.');
      expect(await passkeys()).toEqual([id]);

      // With TOTP on: a current code in x-otp; the (phished) password is refused.
      const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: auth });
      const { secret } = enrol.body as { secret: string };
      const confirmed = await h.request('POST', '/auth/account/two-factor/totp/verify', {
        headers: auth,
        body: { code: totpCode(secret, h.clock.now()), password: PASSWORD },
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      h.clock.advance(30);
      const byPassword = await h.request('DELETE', path, { headers: auth, body: { password: PASSWORD } });
      expectError(byPassword, 400, 'validation_failed', OTP_REQUIRED, [{ path: 'x-otp', message: 'is required' }]);
      const code = totpCode(secret, h.clock.now());
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const byWrongCode = await h.request('DELETE', path, { headers: { ...auth, 'x-otp': wrong } });
      expectError(byWrongCode, 401, 'invalid_two_factor', 'The two-factor code is not valid.');
      expect(await passkeys()).toEqual([id]);

      const removed = await h.request('DELETE', path, { headers: { ...auth, 'x-otp': code } });
      expect(removed.status, removed.text).toBe(204);
      expect(await passkeys()).toEqual([]);
      await h.outbox.waitFor((m) => m.kind === 'security-change' && m.to === email && /removed/.test(m.text));
    });

    it('answers an unknown email with options of the same shape as a known one', async () => {
      const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
      const { tokens, email } = await signedIn(h);
      await addPasskey(h, tokens, softwareAuthenticator({ origin: ORIGIN }));
      const known = await loginOptions(h, { email });
      const unknown = await loginOptions(h, { email: 'nobody@example.com' });
      const shape = (o: any) => ({
        keys: Object.keys(o).sort(),
        challenge: o.challenge.length,
        allow: o.allowCredentials.map((c: any) => ({ keys: Object.keys(c).sort(), id: c.id.length })),
      });
      expect(shape(unknown)).toEqual(shape(known));
      expect((await loginOptions(h, { email: 'nobody@example.com' })).allowCredentials).toEqual(unknown.allowCredentials);
    });

    webauthnRefusalTests(ctx);
  });
}
