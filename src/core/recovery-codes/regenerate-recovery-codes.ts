import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { emit } from '../events/emit.js';
import { loadActiveAccount } from '../two-factor/load-account.js';
import { assertStepUp } from '../two-factor/step-up.js';
import { issueRecoveryCodes } from './generate-recovery-codes.js';

export interface RegenerateRecoveryCodesInput extends RequestInfo {
  group: string;
  accountId: string;
  /** A current authenticator code or an unused recovery code (HTTP: the `x-otp` header). */
  otp?: string | null | undefined;
  /** The account's password, accepted instead of `otp`. */
  password?: string | null | undefined;
}

/**
 * Replaces the account's recovery codes with 10 new ones (every earlier code stops working at once),
 * proven by a current TOTP code, a recovery code (which is spent, then dies with the rest) or the
 * password. Works whether or not a second factor is on: recovery codes also unlock a panic-locked
 * account. Emits `account.recovery-codes-regenerated`.
 *
 * @throws AuthError `validation_failed` (no proof), `invalid_two_factor`, `invalid_credentials`,
 * `rate_limited`, `not_found`, `account_locked`
 * @example
 * ```ts
 * const { recoveryCodes } = await auth.regenerateRecoveryCodes({ group, accountId: claims.sub, password })
 * ```
 */
export async function regenerateRecoveryCodes(
  ctx: AuthContext,
  input: RegenerateRecoveryCodesInput,
): Promise<{ recoveryCodes: string[] }> {
  const account = await loadActiveAccount(ctx, input.group, input.accountId);
  await assertStepUp(ctx, account, { otp: input.otp, password: input.password, allowPassword: true, ip: input.ip });

  const recoveryCodes = await issueRecoveryCodes(ctx, account.group, account.id);
  const updated = await ctx.storage.accounts.findById(account.group, account.id);
  if (updated) emit(ctx, 'account.recovery-codes-regenerated', account.group, { account: toAccountResource(updated) });
  return { recoveryCodes };
}
