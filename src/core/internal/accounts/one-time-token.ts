import type { AuthContext } from '../../context.js';
import { AuthError } from '../../errors.js';
import { randomToken } from '../../lib/random.js';
import { hashToken } from '../../lib/token-hash.js';
import type { AccountRecord, OneTimeTokenPurpose, OneTimeTokenRecord } from '../../ports.js';

/**
 * Issues a single-use token for an account (256 random bits; only its SHA-256 is stored). Earlier
 * tokens of the same purpose stop working in the same step.
 */
export async function issueOneTimeToken(
  ctx: AuthContext,
  purpose: OneTimeTokenPurpose,
  account: AccountRecord,
  ttlSeconds: number,
): Promise<string> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  await ctx.storage.oneTimeTokens.issue({
    hash: hashToken(token),
    purpose,
    group: account.group,
    accountId: account.id,
    email: account.email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    consumedAt: null,
  });
  return token;
}

/**
 * Uses a token once. Unknown, used, replaced, expired and wrong-purpose tokens all get the same answer;
 * so does a token of another group, which is refused *before* anything is spent: presenting a token at
 * another group's route (by mistake, or to burn it) leaves it usable where it belongs. A token's group
 * never changes, so reading it first and consuming second cannot let the wrong group through.
 *
 * @throws AuthError `invalid_token`
 */
export async function consumeOneTimeToken(
  ctx: AuthContext,
  purpose: OneTimeTokenPurpose,
  group: string,
  token: string,
): Promise<OneTimeTokenRecord> {
  const hash = hashToken(token);
  const found = await ctx.storage.oneTimeTokens.find(hash);
  const record = found?.group === group ? await ctx.storage.oneTimeTokens.consume(hash, purpose, ctx.clock.now()) : null;
  if (!record || record.group !== group) {
    throw new AuthError('invalid_token', 'The token is invalid, expired or already used.');
  }
  return record;
}
