/** What the two-factor login tests share: an account with TOTP on, its password challenge, a token response. */

import { decodeJwt } from 'jose';
import { expect } from 'vitest';
import { enableTotp, type Harness, loginAccount, PASSWORD, registerAccount, type Tokens } from './setup.js';
import { nextMail, tokenFromMail } from './mail.js';

const TWO_FACTOR_REQUIRED = 'A second factor is required.';
export const NEW_PASSWORD = 'a brand new passphrase';
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Registers, verifies the address (on an unproven account a reset forgets the factors instead of asking
 * for them), signs in and turns TOTP on over HTTP; the clock then moves one step on (the confirming code
 * is used).
 */
export async function withTotp(
  h: Harness,
): Promise<{ email: string; tokens: Tokens; secret: string; recoveryCodes: string[] }> {
  const { email } = await registerAccount(h);
  const token = tokenFromMail(await nextMail(h, 'email-verification', email));
  const verified = await h.request('POST', '/auth/email/verify', { body: { token } });
  expect(verified.status, verified.text).toBe(200);
  const tokens = await loginAccount(h, email, PASSWORD);
  return { email, tokens, ...(await enableTotp(h, tokens)) };
}

/** `POST /login` with the password alone, asserting the whole `two_factor_required` answer. */
export async function challengeOf(h: Harness, email: string, methods: string[], password = PASSWORD): Promise<string> {
  const res = await h.request('POST', '/auth/login', { body: { email, password } });
  expect({ status: res.status, body: res.body as unknown }).toEqual({
    status: 401,
    body: {
      error: { code: 'two_factor_required', message: TWO_FACTOR_REQUIRED },
      methods,
      challenge: expect.stringMatching(CHALLENGE),
    },
  });
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (res.body as { challenge: string }).challenge;
}

/** Asserts a 200 token response whose access token records `amr`, and returns it. */
export function expectTokens(res: { status: number; text: string; body: unknown }, amr: string[]): Tokens {
  expect(res.status, res.text).toBe(200);
  const tokens = res.body as Tokens;
  expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(CHALLENGE) });
  expect(decodeJwt(tokens.accessToken).amr).toEqual(amr);
  return tokens;
}
