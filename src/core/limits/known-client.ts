import type { AuthContext } from '../context.js';
import type { AccountRecord } from '../ports.js';
import { clientKeyOf } from './client-limit.js';

/** How many of the account's recent sign-in addresses are looked at. */
const RECENT_ADDRESSES = 50;

/**
 * Whether `ip` is one of the account's own: a client (IPv4 address, or IPv6 network by
 * `throttle.ipv6Prefix`) that signed in to it successfully since its last password change. Those are
 * exempt from the account-wide budgets that strangers share, so no number of strangers elsewhere can
 * lock the owner out. Counting only sign-ins since the last password change means that whoever signed
 * in with a password that has since been changed (a phisher, the holder of a pre-registered account)
 * is a stranger again.
 *
 * It reads the login history, so callers ask only when a shared budget is already spent.
 */
export async function isKnownClient(
  ctx: AuthContext,
  account: AccountRecord,
  ip: string | null | undefined,
): Promise<boolean> {
  const key = clientKeyOf(ctx, ip);
  if (key === null) return false;
  const since = account.lastPasswordChangeAt ?? account.createdAt;
  const ips = await ctx.storage.loginAttempts.listSuccessfulIps(account.group, account.id, {
    since,
    limit: RECENT_ADDRESSES,
  });
  return ips.some((other) => clientKeyOf(ctx, other) === key);
}
