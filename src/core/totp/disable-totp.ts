import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { notifyFactorChange } from '../internal/two-factor/notify-factor-change.js';
import { groupOf } from '../lib/group-of.js';
import { inTransaction } from '../internal/transaction.js';

/** What `auth.disableTotp` takes: the signed-in account, and a current second factor as proof. */
export interface DisableTotpInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** A current second factor (HTTP: the `x-otp` header): a TOTP, a code sent to an enabled channel, or a recovery code. */
  otp?: string | null | undefined;
  /** Only for an account that has no second factor left on (nothing to turn off): its password. */
  password?: string | null | undefined;
}

/** The `disableTotp` operation of `Auth`: the one place its documentation lives. */
export const disableTotpOperation = {
  /**
   * Turns the authenticator app off, proven by a current second factor (see `assertFactorChangeProof`:
   * the password is not enough, whoever knows it could otherwise strip the second factor); the owner is
   * mailed. The secret, any pending
   * enrolment and the replay marker are erased. Emits `account.two-factor-disabled` when TOTP was on;
   * turning off what is already off succeeds (after the same proof) and changes nothing visible.
   *
   * Recovery codes are kept. While the account has no other second factor they no longer matter for
   * login (there is no second step to recover), but they still unlock a panic-locked account, and they
   * count again as soon as a factor is enabled; `confirmTotp` issues a fresh set anyway.
   *
   * @throws AuthError `validation_failed` (no `otp`), `invalid_two_factor`, `rate_limited`, `not_found`,
   * `account_locked`
   * @example
   * ```ts
   * const account = await auth.disableTotp({ group, accountId: claims.sub, otp: request.headers['x-otp'] })
   * ```
   */
  disableTotp,
};

/** See {@link disableTotpOperation}. */
export async function disableTotp(ctx: AuthContext, input: DisableTotpInput): Promise<AccountResource> {
  const account = await loadActiveAccount(ctx, groupOf(input), input.accountId);
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });

  const wasEnabled = account.totpSecretSealed !== null;
  const patch = {
    totpSecretSealed: null,
    totpPendingSecretSealed: null,
    totpLastUsedStep: null,
    totpEnabledAt: null,
    ...(wasEnabled ? { updatedAt: ctx.clock.now() } : {}),
  };
  const { updated, resource } = await inTransaction(ctx, async (tx) => {
    const updated = await tx.storage.accounts.update(account.group, account.id, patch);
    if (!updated) throw new AuthError('not_found', 'No such account.');
    const resource = toAccountResource(updated);
    if (wasEnabled) await emit(tx, 'account.two-factor-disabled', account.group, { account: resource, method: 'totp' });
    return { updated, resource };
  });
  if (wasEnabled) {
    notifyFactorChange(ctx, updated, 'The authenticator app was turned off');
    ctx.logger.info('two-factor disabled', { group: account.group, accountId: account.id, method: 'totp' });
  }
  return resource;
}
