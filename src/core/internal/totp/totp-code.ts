import { generate, verify } from 'otplib';
import type { AuthContext } from '../../context.js';
import type { AccountRecord } from '../../ports.js';

/**
 * How latchkey runs TOTP (RFC 6238): what every authenticator app assumes when an `otpauth://` URI
 * names nothing else. SHA-1 is not a weakness here: HOTP uses HMAC-SHA-1, which needs no collision
 * resistance. `epochTolerance` of one period accepts the previous, current and next step (±30 s of
 * clock drift between phone and server), never two steps away.
 */
export const TOTP_SETTINGS = Object.freeze({
  algorithm: 'sha1',
  digits: 6,
  period: 30,
  epochTolerance: 30,
} as const);

const SIX_DIGITS = /^\d{6}$/;

/** A code as typed: whitespace dropped (apps show `123 456`), then exactly six digits, or null. */
export function normalizeTotpCode(code: string): string | null {
  if (code.length > 64) return null;
  const compact = code.replace(/\s+/g, '');
  return SIX_DIGITS.test(compact) ? compact : null;
}

/**
 * The time step (`floor(unix seconds / 30)`) whose code `code` is, under the sealed base32 secret, at the
 * context's clock, within ±1 step and strictly after `afterStep`; null when it matches none. Pure check:
 * nothing is claimed, nothing is re-sealed (a pending secret's sealed value is what
 * `accounts.confirmTotp` compares against, so it must stay as stored). Internal; flows use
 * {@link verifyTotpCode}.
 */
export async function matchTotpStep(
  ctx: AuthContext,
  sealedSecret: string,
  code: string,
  afterStep: number | null,
): Promise<number | null> {
  return (await matchTotp(ctx, sealedSecret, code, afterStep))?.step ?? null;
}

interface TotpMatch {
  step: number;
  /** The base32 secret, opened. */
  secret: string;
  /** Only one of `previousSecrets` opened it: seal it again under `secret`. */
  stale: boolean;
}

async function matchTotp(
  ctx: AuthContext,
  sealedSecret: string,
  code: string,
  afterStep: number | null,
  owner?: AccountRecord,
): Promise<TotpMatch | null> {
  const token = normalizeTotpCode(code);
  if (token === null) return null;
  const epoch = Math.floor(ctx.clock.now().getTime() / 1000);
  const { period, epochTolerance } = TOTP_SETTINGS;
  // otplib throws when afterTimeStep lies beyond the window (a clock set back): no step can match then.
  if (afterStep !== null && afterStep >= Math.floor((epoch + epochTolerance) / period)) return null;
  const opened = await ctx.accountSecrets.unseal(sealedSecret);
  if (!opened) {
    // Sealed under a secret this instance was not given: no code can be right, and a 500 would only
    // hide that. The owner signs in with a recovery code and enrols again.
    ctx.logger.error('TOTP secret cannot be opened by `secret` or any of `previousSecrets`: its codes are refused', {
      ...(owner ? { group: owner.group, accountId: owner.id } : {}),
    });
    return null;
  }
  const result = await verify({
    secret: opened.plaintext,
    token,
    epoch,
    ...TOTP_SETTINGS,
    ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
  });
  // The result type also covers HOTP, which has no time step.
  if (!result.valid || !('timeStep' in result)) return null;
  return { step: result.timeStep, secret: opened.plaintext, stale: opened.stale };
}

/**
 * Checks a TOTP code against the account's confirmed authenticator and uses it up. Accepts the
 * previous, current or next 30-second step at the injected clock, refuses any step at or before the
 * last one accepted, then claims the matched step atomically in storage: the same code twice, an older
 * code after a newer one, or one code in two concurrent requests → exactly one `true`.
 *
 * A secret sealed under one of `previousSecrets` is sealed again under `secret` and written back once a
 * code of it is accepted, so the old secret can later be dropped. A secret no configured secret opens
 * makes every code wrong (logged as an error), never a 500.
 *
 * A primitive: it returns false (never throws) for anything that is not a valid, unused code, including
 * an account without TOTP and input that is not six digits (whitespace is ignored). It does not
 * throttle: callers count failures with `secondFactorThrottle`.
 *
 * @example
 * ```ts
 * if (!(await verifyTotpCode(ctx, account, input.code))) {
 *   throw new AuthError('invalid_two_factor', 'The two-factor code is not valid.')
 * }
 * ```
 */
export async function verifyTotpCode(ctx: AuthContext, account: AccountRecord, code: string): Promise<boolean> {
  if (!account.totpSecretSealed) return false;
  const match = await matchTotp(ctx, account.totpSecretSealed, code, account.totpLastUsedStep, account);
  if (match === null) return false;
  const claimed = await ctx.storage.accounts.claimTotpStep(account.group, account.id, match.step);
  if (claimed && match.stale) await resealTotpSecret(ctx, account, account.totpSecretSealed, match.secret);
  return claimed;
}

/**
 * Writes the secret back sealed under the current `secret`. Storage has no compare-and-set for this
 * field, so the account is read again just before: when a concurrent disable or re-enrolment changed
 * the stored value, that value wins and nothing is written. A failure only logs: the code was right,
 * and the next accepted code tries again.
 */
async function resealTotpSecret(ctx: AuthContext, account: AccountRecord, was: string, secret: string): Promise<void> {
  const who = { group: account.group, accountId: account.id };
  try {
    const sealed = await ctx.accountSecrets.seal(secret);
    const current = await ctx.storage.accounts.findById(account.group, account.id);
    if (current?.totpSecretSealed !== was) return;
    await ctx.storage.accounts.update(account.group, account.id, { totpSecretSealed: sealed });
    ctx.logger.info('TOTP secret re-sealed under the current secret', who);
  } catch (error) {
    ctx.logger.warn('TOTP secret could not be re-sealed under the current secret', {
      ...who,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** Options of {@link totpAt}; defaults are {@link TOTP_SETTINGS}. */
export interface TotpAtOptions {
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  digits?: 6 | 7 | 8;
  period?: number;
}

/**
 * The TOTP code of raw secret bytes at `time` (Unix seconds), computed by otplib exactly as latchkey
 * verifies codes. For tests and tooling (RFC 6238 Appendix B vectors use 8 digits and three hashes).
 *
 * @example
 * ```ts
 * await totpAt(new TextEncoder().encode('12345678901234567890'), 59, { digits: 8 }) // '94287082'
 * ```
 */
export function totpAt(secret: Uint8Array, time: number, options: TotpAtOptions = {}): Promise<string> {
  const { algorithm = TOTP_SETTINGS.algorithm, digits = TOTP_SETTINGS.digits, period = TOTP_SETTINGS.period } = options;
  return generate({ secret, epoch: time, algorithm, digits, period });
}

/**
 * The HOTP code (RFC 4226) of raw secret bytes at `counter`, through the same otplib configuration. TOTP
 * is HOTP of the time step, so the RFC 4226 Appendix D vectors check the core of both.
 *
 * @example
 * ```ts
 * await hotpAt(new TextEncoder().encode('12345678901234567890'), 0) // '755224'
 * ```
 */
export function hotpAt(
  secret: Uint8Array,
  counter: number,
  options: Pick<TotpAtOptions, 'algorithm' | 'digits'> = {},
): Promise<string> {
  const { algorithm = TOTP_SETTINGS.algorithm, digits = TOTP_SETTINGS.digits } = options;
  return generate({ strategy: 'hotp', secret, counter, algorithm, digits });
}
