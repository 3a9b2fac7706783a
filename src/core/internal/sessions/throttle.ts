import type { AuthContext } from '../../context.js';
import { clientKeyOf, UNKNOWN_CLIENT } from '../../limits/client-limit.js';
import { enforce } from '../../limits/enforce.js';
import { isKnownClient } from '../../limits/known-client.js';
import type { AccountRecord, RateLimitRule } from '../../ports.js';

/**
 * The counters of failed password checks (logins, unlocks, password proofs). Three budgets, from the
 * `throttle` options:
 *
 * - `loginPerIp`, per client, to any account: one address cannot spray many accounts;
 * - `loginPerClient`, per (account, client): a client guessing one account is stopped after a few
 *   tries, and only that client;
 * - `loginPerAccount`, per account, shared by every client that has not signed in to the account since
 *   its last password change: the ceiling on guesses from any number of addresses (a few hundred a
 *   day). The owner's own clients (see `isKnownClient`) are not held by it, so strangers elsewhere can
 *   never lock the owner out.
 */
export interface LoginThrottle {
  /**
   * Lets an attempt in, or refuses it. The attempt is counted *now*, before any password work, so that
   * many concurrent guesses cannot all pass a check made before the first of them failed; a correct
   * password then takes its counts back ({@link succeed}), so the counters count failures.
   *
   * @throws AuthError `rate_limited` with `retryAfter` when a budget is spent
   */
  admit(): Promise<void>;
  /**
   * After a correct password: clears this client's counter for the account and gives back this
   * attempt's counts. The account-wide count of strangers' failures stays: an owner's sign-in must not
   * hand guessers a fresh budget.
   */
  succeed(): Promise<void>;
  /** After the owner proved the mailbox and set a new password: every failure of the account is forgotten. */
  clear(): Promise<void>;
}

/**
 * The login throttle of one (group, email) and client. `account` is the account the email names, when
 * there is one: only then can the client be one of its own.
 *
 * @example
 * ```ts
 * const throttle = loginThrottle(ctx, group, email, input.ip, account)
 * await throttle.admit()
 * if (!(await ctx.hasher.verify(hash, password))) throw new AuthError('invalid_credentials', '…')
 * await throttle.succeed()
 * ```
 */
export function loginThrottle(
  ctx: AuthContext,
  group: string,
  email: string,
  ip: string | null | undefined,
  account: AccountRecord | null = null,
): LoginThrottle {
  const { loginPerAccount, loginPerClient, loginPerIp } = ctx.options.throttle;
  const client = clientKeyOf(ctx, ip);
  const perIp: [RateLimitRule, string] | null = client ? [{ name: 'login-ip', ...loginPerIp }, client] : null;
  const perClient: [RateLimitRule, string] = [
    { name: 'login-client', ...loginPerClient },
    `${group}:${email}:${client ?? UNKNOWN_CLIENT}`,
  ];
  const perAccount: [RateLimitRule, string] = [{ name: 'login-account', ...loginPerAccount }, `${group}:${email}`];
  let countedForAccount = false;

  return {
    async admit() {
      if (perIp) enforce(await ctx.rateLimiter.hit(...perIp));
      enforce(await ctx.rateLimiter.hit(...perClient));
      const shared = await ctx.rateLimiter.hit(...perAccount);
      if (shared.allowed) {
        countedForAccount = true;
        return;
      }
      await ctx.rateLimiter.refund(...perAccount);
      if (account && (await isKnownClient(ctx, account, ip))) return;
      enforce(shared);
    },
    async succeed() {
      await ctx.rateLimiter.reset(...perClient);
      if (perIp) await ctx.rateLimiter.refund(...perIp);
      if (countedForAccount) await ctx.rateLimiter.refund(...perAccount);
    },
    async clear() {
      await ctx.rateLimiter.reset(...perClient);
      await ctx.rateLimiter.reset(...perAccount);
    },
  };
}

