/**
 * The passkey tests of what is refused: replayed challenges, other origins and accounts, a sign-in without
 * its second factor, malformed bodies, and every route while passkeys are off.
 */

import { decodeJwt } from 'jose';
import { expect, it } from 'vitest';
import { softwareAuthenticator } from '../webauthn/software-authenticator.js';
import { bearer, BEARER_REQUIRED, expectError, type HttpSuiteContext, INVALID_BODY, PASSWORD, signedIn } from './setup.js';
import { totpCode } from './totp-code.js';
import { addPasskey, loginOptions, ORIGIN, REFUSED, WEBAUTHN } from './webauthn-helpers.js';

const NOT_ENABLED = 'Passkeys are not enabled.';
const INVALID_CHALLENGE = 'The passkey challenge is invalid, expired or already used.';
const NO_SUCH_PASSKEY = 'No such passkey.';

/** Registers the refusal tests, inside the describe block of `describeWebauthn`. */
export function webauthnRefusalTests(ctx: HttpSuiteContext): void {
  it('refuses replayed challenges, other origins and other accounts’ passkeys with exact error bodies', async () => {
    const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
    const ada = await signedIn(h);
    const eve = await signedIn(h);
    const adaKey = softwareAuthenticator({ origin: ORIGIN });
    const eveKey = softwareAuthenticator({ origin: ORIGIN });
    const adaPasskey = await addPasskey(h, ada.tokens, adaKey);
    await addPasskey(h, eve.tokens, eveKey);

    // Registration from another origin: the challenge is spent with it.
    const options = await h.request('POST', '/auth/account/webauthn/register/options', { headers: bearer(ada.tokens.accessToken) });
    const phished = softwareAuthenticator({ origin: 'https://evil.example' }).register(options.body);
    const path = '/auth/account/webauthn/register/verify';
    const refused = await h.request('POST', path, { headers: bearer(ada.tokens.accessToken), body: { credential: phished, password: PASSWORD } });
    expectError(refused, 400, 'validation_failed', REFUSED, [{ path: 'credential', message: 'could not be verified' }]);
    const replayed = await h.request('POST', path, { headers: bearer(ada.tokens.accessToken), body: { credential: phished, password: PASSWORD } });
    expectError(replayed, 400, 'invalid_token', INVALID_CHALLENGE);

    // Ada's registration challenge answered for Eve.
    const adaOptions = await h.request('POST', '/auth/account/webauthn/register/options', { headers: bearer(ada.tokens.accessToken) });
    const stolen = softwareAuthenticator({ origin: ORIGIN }).register(adaOptions.body);
    const asEve = await h.request('POST', path, { headers: bearer(eve.tokens.accessToken), body: { credential: stolen, password: PASSWORD } });
    expectError(asEve, 400, 'invalid_token', INVALID_CHALLENGE);

    // A login assertion works once.
    const assertion = adaKey.authenticate(await loginOptions(h));
    expect((await h.request('POST', '/auth/webauthn/login/verify', { body: { credential: assertion } })).status).toBe(200);
    const again = await h.request('POST', '/auth/webauthn/login/verify', { body: { credential: assertion } });
    expectError(again, 400, 'invalid_token', INVALID_CHALLENGE);

    // An email-first challenge for Ada answered with Eve's passkey.
    const forAda = await loginOptions(h, { email: ada.email });
    const wrongAccount = eveKey.authenticate(forAda, { credentialId: eveKey.credentials()[0]!.id });
    const crossed = await h.request('POST', '/auth/webauthn/login/verify', { body: { credential: wrongAccount } });
    expectError(crossed, 401, 'invalid_credentials', REFUSED);

    // From another origin.
    const relayed = adaKey.authenticate(await loginOptions(h), { origin: 'https://evil.example' });
    const phishedLogin = await h.request('POST', '/auth/webauthn/login/verify', { body: { credential: relayed } });
    expectError(phishedLogin, 401, 'invalid_credentials', REFUSED);

    // Eve cannot rename or delete Ada's passkey.
    const evesAuth = bearer(eve.tokens.accessToken);
    const rename = await h.request('PATCH', `/auth/account/webauthn/credentials/${adaPasskey}`, {
      headers: evesAuth,
      body: { name: 'x' },
    });
    expectError(rename, 404, 'not_found', NO_SUCH_PASSKEY);
    const remove = await h.request('DELETE', `/auth/account/webauthn/credentials/${adaPasskey}`, { headers: evesAuth });
    expectError(remove, 404, 'not_found', NO_SUCH_PASSKEY);
    const adaList = await h.request('GET', '/auth/account/webauthn/credentials', { headers: bearer(ada.tokens.accessToken) });
    expect(adaList.body.data.map((c: { id: string }) => c.id)).toEqual([adaPasskey]);
  });

  it('without user verification (preferred), an account with TOTP gets two_factor_required or gives the code at once', async () => {
    const h = await ctx.start({ auth: { webauthn: { ...WEBAUTHN, userVerification: 'preferred' } } });
    const { tokens } = await signedIn(h);
    const authenticator = softwareAuthenticator({ origin: ORIGIN, userVerified: false });
    await addPasskey(h, tokens, authenticator);
    const enrol = await h.request('POST', '/auth/account/two-factor/totp', { headers: bearer(tokens.accessToken) });
    const { secret } = enrol.body as { secret: string };
    const confirmed = await h.request('POST', '/auth/account/two-factor/totp/verify', {
      headers: bearer(tokens.accessToken),
      body: { code: totpCode(secret, h.clock.now()), password: PASSWORD },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    h.clock.advance(30);

    const res = await h.request('POST', '/auth/webauthn/login/verify', {
      body: { credential: authenticator.authenticate(await loginOptions(h)) },
    });
    expect({ status: res.status, body: res.body as unknown }).toEqual({
      status: 401,
      body: {
        error: { code: 'two_factor_required', message: 'A second factor is required.' },
        methods: ['totp'],
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      },
    });
    const oneStep = await h.request('POST', '/auth/webauthn/login/verify', {
      body: { credential: authenticator.authenticate(await loginOptions(h)), twoFactorCode: totpCode(secret, h.clock.now()) },
    });
    expect(oneStep.status, oneStep.text).toBe(200);
    expect(decodeJwt(oneStep.body.accessToken).amr).toEqual(['hwk', 'otp', 'mfa']);
  });

  it('validates bodies and needs a bearer token on the account routes', async () => {
    const h = await ctx.start({ auth: { webauthn: WEBAUTHN } });
    const { tokens } = await signedIn(h);
    const unauthenticated = await h.request('POST', '/auth/account/webauthn/register/options');
    expectError(unauthenticated, 401, 'unauthenticated', BEARER_REQUIRED);

    const noResponse = await h.request('POST', '/auth/webauthn/login/verify', {
      body: { credential: { id: 'abc', rawId: 'abc', type: 'public-key', clientExtensionResults: {} } },
    });
    expectError(noResponse, 400, 'validation_failed', INVALID_BODY, [{ path: 'credential.response', message: 'is required' }]);
    const extra = await h.request('POST', '/auth/account/webauthn/register/verify', {
      headers: bearer(tokens.accessToken),
      body: { credential: {}, admin: true },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details).toContainEqual({ path: 'admin', message: 'is not a known field' });
    const rename = await h.request('PATCH', '/auth/account/webauthn/credentials/abc', {
      headers: bearer(tokens.accessToken),
      body: {},
    });
    expectError(rename, 400, 'validation_failed', INVALID_BODY, [{ path: 'name', message: 'is required' }]);
  });

  it('answers 404 on every passkey route when passkeys are not enabled', async () => {
    const h = await ctx.start();
    const { tokens } = await signedIn(h);
    const auth = bearer(tokens.accessToken);
    expectError(await h.request('POST', '/auth/webauthn/login/options', { body: {} }), 404, 'not_found', NOT_ENABLED);
    expectError(await h.request('POST', '/auth/account/webauthn/register/options', { headers: auth }), 404, 'not_found', NOT_ENABLED);
    expectError(await h.request('GET', '/auth/account/webauthn/credentials', { headers: auth }), 404, 'not_found', NOT_ENABLED);
    expectError(await h.request('DELETE', '/auth/account/webauthn/credentials/abc', { headers: auth }), 404, 'not_found', NOT_ENABLED);
    // Absent, not guarded: no token and a malformed body change nothing.
    expectError(await h.request('GET', '/auth/account/webauthn/credentials'), 404, 'not_found', NOT_ENABLED);
    expectError(await h.request('POST', '/auth/webauthn/login/verify', { body: { nonsense: true } }), 404, 'not_found', NOT_ENABLED);
  });
}
