import type { AuthContext } from '../../../src/core/context.js';
import { createKeyedHash } from '../../../src/core/lib/keyed-hash.js';
import { createSealedBox } from '../../../src/core/lib/sealed-box.js';
import type { AccountRecord, Storage } from '../../../src/core/ports.js';
import { totpCode } from '../../../src/testing/http/totp-code.js';
import { PASSWORD, registerAndLogin, TEST_SECRET, type TestAuth, tokenFromMail } from '../helpers.js';

/**
 * The parts of the context the two-factor primitives read, built over a test instance's storage and
 * clock with the same secret, so primitives and the instance's own flows see the same state.
 */
export function coreContext(t: TestAuth): AuthContext {
  return {
    options: t.auth.options,
    storage: t.storage,
    clock: t.clock,
    accountSecrets: createSealedBox(TEST_SECRET, 'latchkey/account-secrets'),
    hashCode: createKeyedHash(TEST_SECRET, 'latchkey/codes'),
  } as unknown as AuthContext;
}

/** The code of a base32 secret at the instance's clock, `offset` steps away (independent RFC 6238). */
export const codeAt = (t: TestAuth, secret: string, offset = 0): string =>
  totpCode(secret, t.clock.now(), { stepOffset: offset });

export async function readAccount(storage: Storage, accountId: string): Promise<AccountRecord> {
  const account = await storage.accounts.findById('default', accountId);
  if (!account) throw new Error('no such account');
  return account;
}

/** Registers and signs in Ada (no second factor yet). */
export async function signedInAccount(t: TestAuth): Promise<{ accountId: string; group: string; password: string }> {
  const tokens = await registerAndLogin(t.auth);
  return { accountId: tokens.account.id, group: 'default', password: PASSWORD };
}

/**
 * Registers Ada, verifies her address (an unverified mailbox's first proof forgets what was set up before
 * it) and signs her in, from `ip` when given. No second factor yet.
 */
export async function verifiedAndSignedIn(
  t: TestAuth,
  options: { email?: string; ip?: string } = {},
): Promise<{ accountId: string; email: string }> {
  const email = options.email ?? 'ada@example.com';
  await t.auth.register({ email, password: PASSWORD });
  const mail = await t.outbox.waitFor((m) => m.kind === 'email-verification' && m.to === email);
  await t.auth.verifyEmail({ token: tokenFromMail(mail) });
  const tokens = await t.auth.login({ email, password: PASSWORD, ip: options.ip });
  return { accountId: tokens.account.id, email };
}

/**
 * Enrols and confirms an authenticator for the account, then moves the clock one step on, so the next
 * current code is not the (now used) confirming one. The proof is the password (an account without a
 * second factor), or `proof.otp` when the account already has one.
 */
export async function enableTotp(
  t: TestAuth,
  accountId: string,
  proof: { otp?: string; password?: string } = { password: PASSWORD },
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await t.auth.enrolTotp({ group: 'default', accountId });
  const code = codeAt(t, secret);
  const { recoveryCodes } = await t.auth.confirmTotp({ group: 'default', accountId, code, ...proof });
  t.clock.advance(30);
  return { secret, recoveryCodes };
}

/** A six-digit code that is not `code`. */
export const wrongCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
