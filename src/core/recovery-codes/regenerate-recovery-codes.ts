import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { emit } from '../events/emit.js';
import { loadActiveAccount } from '../two-factor/load-account.js';
import { assertStepUp } from '../two-factor/step-up.js';
import { issueRecoveryCodes } from './generate-recovery-codes.js';

export interface RegenerateRecoveryCodesInput extends RequestInfo {
  group: string;
  accountId: string;
  /**
   * A proof (HTTP: the `x-otp` header): a current authenticator code or an unused recovery code.
   */
  otp?: string | null | undefined;
  /** Or the account's password. */
  password?: string | null | undefined;
}

/**
 * Replaces the account's recovery codes with 10 new ones (every earlier code stops working at once).
 * Recovery codes are a way to sign in (they pass two-factor login and unlock a panic-locked account), so
 * this needs a fresh proof of the owner, as api.md defines it: the `x-otp` header (a current TOTP, or a
 * recovery code, which is spent and then dies with the rest) or the password. Works whether or not a
 * second factor is on. Emits `account.recovery-codes-regenerated`.
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
