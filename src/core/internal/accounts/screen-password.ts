import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import type { PasswordCheckContext, PasswordPolicy } from '../../ports.js';

/** The `passwordPolicy` option as a list (none given: none asked). */
function policiesOf(ctx: AuthContext): readonly PasswordPolicy[] {
  const given = ctx.options.passwordPolicy;
  return given === undefined ? [] : [given].flat();
}

/**
 * Asks the `passwordPolicy` option's policies about a new password, in order: the one place they are
 * applied (registration, reset, change and unlock call it). It runs after the length rules
 * (`checkPasswordPolicy`) and before the password is hashed. The first refusal wins and later policies
 * are not asked, so an offline list placed first spares a breach service the request. The refusal is
 * logged with its reason, never with the password.
 *
 * @throws AuthError `validation_failed` with the policy's message on `path` (default `password`)
 * @example
 * ```ts
 * await screenPassword(ctx, password, { operation: 'register', group, email })
 * ```
 */
export async function screenPassword(
  ctx: AuthContext,
  password: string,
  context: Omit<PasswordCheckContext, 'logger'>,
  path = 'password',
): Promise<void> {
  for (const policy of policiesOf(ctx)) {
    const verdict = await policy.check(password, { ...context, logger: ctx.logger });
    if (verdict.ok) continue;
    ctx.logger.info('new password refused by a password policy', {
      group: context.group,
      operation: context.operation,
      reason: verdict.reason,
    });
    throw new AuthError('validation_failed', `The password ${verdict.message}.`, {
      details: [{ path, message: verdict.message }],
    });
  }
}
