import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { hashToken } from '../../lib/token-hash.js';
import type { OneTimeTokenPurpose, OneTimeTokenRecord } from '../../ports.js';

/**
 * Reads a one-time token without using it, for flows that must check more (a second factor, a password
 * policy) before they spend it: a failed check then leaves the token usable. Unknown, used, replaced,
 * expired, wrong-purpose (not one of `purpose`, when a list) and other-group tokens all get the same answer. This is not the decision:
 * the flow must still `consumeOneTimeToken` (atomic) once its checks pass, and only that call wins.
 *
 * @throws AuthError `invalid_token`
 * @example
 * ```ts
 * const record = await findLiveOneTimeToken(ctx, 'password_reset', group, input.token)
 * // ...checks that must not use the token up...
 * await consumeOneTimeToken(ctx, 'password_reset', group, input.token)
 * ```
 */
export async function findLiveOneTimeToken(
  ctx: AuthContext,
  purpose: OneTimeTokenPurpose | readonly OneTimeTokenPurpose[],
  group: string,
  token: string,
): Promise<OneTimeTokenRecord> {
  const purposes: readonly OneTimeTokenPurpose[] = typeof purpose === 'string' ? [purpose] : purpose;
  const record = await ctx.storage.oneTimeTokens.find(hashToken(token));
  const live =
    record !== null &&
    purposes.includes(record.purpose) &&
    record.group === group &&
    record.consumedAt === null &&
    record.expiresAt.getTime() > ctx.clock.now().getTime();
  if (!live) throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
  return record;
}
