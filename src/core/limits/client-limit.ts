import type { AuthContext } from '../context.js';
import { clientKey } from '../lib/client-key.js';
import type { RateLimitRule } from '../ports.js';
import { enforce } from './enforce.js';

/**
 * What an anonymous request costs, and so which per-client budget it spends (the `throttle` options):
 *
 * - `mail`: it can make latchkey send a mail or a text (`POST /password/forgot`, a login code);
 * - `request`: it checks a secret or writes a row (`POST /login`, `/email/verify`, `/password/reset`,
 *   `/login/two-factor`, `/logout`, `/token/revoke`, `/webauthn/login/verify`, `/account/unlock`);
 * - `challenge`: it stores a challenge and checks nothing (`POST /webauthn/login/options`), so it gets
 *   the smallest budget;
 * - `refresh`: `POST /token/refresh`, which every signed-in client calls every few minutes.
 */
/** Stands for every caller that did not say where it is (a direct core call without `ip`). */
export const UNKNOWN_CLIENT = 'unknown-client';

export type ClientCost = 'mail' | 'request' | 'challenge' | 'refresh';

const RULE_NAMES: Record<ClientCost, string> = {
  mail: 'client-mail',
  request: 'client-request',
  challenge: 'client-challenge',
  refresh: 'client-refresh',
};

/**
 * The key `ip` is throttled under (see {@link clientKey}: IPv4-mapped addresses as IPv4, IPv6 by the
 * `throttle.ipv6Prefix` network), or null when the caller did not say who it is.
 */
export function clientKeyOf(ctx: AuthContext, ip: string | null | undefined): string | null {
  return ip ? clientKey(ip, ctx.options.throttle.ipv6Prefix) : null;
}

/** The per-client rule of a kind of anonymous request, from the `throttle` options. */
export function clientRule(ctx: AuthContext, cost: ClientCost): RateLimitRule {
  const { mailPerIp, requestsPerIp, challengesPerIp, refreshPerIp } = ctx.options.throttle;
  const limits = { mail: mailPerIp, request: requestsPerIp, challenge: challengesPerIp, refresh: refreshPerIp }[cost];
  return { name: RULE_NAMES[cost], ...limits };
}

/**
 * Counts one anonymous request against its client's budget, before any per-address or per-account
 * key is touched and before any work, so one client cannot make latchkey do unbounded work, send
 * unbounded mail or write unbounded rows. Callers without an address (a direct core call that passes
 * no `ip`) are not counted here: an app that calls the core itself owns its own edge.
 *
 * @throws AuthError `rate_limited` with `retryAfter`
 * @example
 * ```ts
 * await admitClient(ctx, 'mail', input.ip)
 * ```
 */
export async function admitClient(ctx: AuthContext, cost: ClientCost, ip: string | null | undefined): Promise<void> {
  const key = clientKeyOf(ctx, ip);
  if (key === null) return;
  enforce(await ctx.rateLimiter.hit(clientRule(ctx, cost), key), 'Too many requests. Try again later.');
}
