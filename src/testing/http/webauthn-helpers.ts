/** What the passkey tests share: the relying party, a passkey added over HTTP, login options. */

import { expect } from 'vitest';
import type { SoftwareAuthenticator } from '../webauthn/software-authenticator.js';
import { bearer, type Harness, PASSWORD, type Tokens } from './setup.js';

export const ORIGIN = 'http://localhost:3000';
export const WEBAUTHN = { rpID: 'localhost', origins: [ORIGIN] };
export const REFUSED = 'The passkey could not be verified.';

/** Adds a passkey to the signed-in account over HTTP (asserting 200) and returns its id. */
export async function addPasskey(h: Harness, tokens: Tokens, authenticator: SoftwareAuthenticator, name?: string): Promise<string> {
  const options = await h.request('POST', '/auth/account/webauthn/register/options', { headers: bearer(tokens.accessToken) });
  expect(options.status, options.text).toBe(200);
  const credential = authenticator.register(options.body);
  const res = await h.request('POST', '/auth/account/webauthn/register/verify', {
    headers: bearer(tokens.accessToken),
    body: name === undefined ? { credential, password: PASSWORD } : { credential, name, password: PASSWORD },
  });
  expect(res.status, res.text).toBe(200);
  return (res.body as { id: string }).id;
}

/** Login options over HTTP (asserting 200). */
export async function loginOptions(h: Harness, body: { email?: string } = {}): Promise<any> {
  const res = await h.request('POST', '/auth/webauthn/login/options', { body });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return res.body;
}
