import type { AuthContext, RequestInfo } from '../../context.js';
import { newId } from '../../lib/ids.js';
import { clientKeyOf, UNKNOWN_CLIENT } from '../../limits/client-limit.js';
import type { LoginActor, LoginMethod, RateLimitRule } from '../../ports.js';

export interface AttemptInput extends RequestInfo {
  group: string;
  accountId: string | null;
  email: string | null;
  method: LoginMethod;
  /** Null for a success. */
  failureReason: string | null;
  /** The administrator of a support session (`method: 'support'`). */
  actor?: LoginActor | null;
}

/**
 * Attempts refused by a throttle are recorded once per (account or email, method, client) per 15
 * minutes: a script hammering a throttled account must not fill its owner's history with junk that
 * hides the real events (nor the table).
 */
const THROTTLED_RECORDS: RateLimitRule = { name: 'history-throttled', points: 1, durationSeconds: 15 * 60 };

/**
 * Records one login attempt. History is an audit trail, not part of the answer: a storage failure here
 * is logged and does not turn a correct login into an error.
 */
export async function recordAttempt(ctx: AuthContext, input: AttemptInput): Promise<void> {
  if (input.failureReason === 'rate_limited') {
    const who = input.accountId ?? `email:${input.email ?? ''}`;
    const key = `${input.group}:${who}:${input.method}:${clientKeyOf(ctx, input.ip) ?? UNKNOWN_CLIENT}`;
    if (!(await ctx.rateLimiter.hit(THROTTLED_RECORDS, key)).allowed) return;
  }
  const time = ctx.clock.now();
  try {
    await ctx.storage.loginAttempts.record({
      id: newId('lgn', time),
      group: input.group,
      accountId: input.accountId,
      email: input.email,
      time,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      success: input.failureReason === null,
      method: input.method,
      failureReason: input.failureReason,
      ...(input.actor ? { actor: { id: input.actor.id, ip: input.actor.ip } } : {}),
    });
  } catch (error) {
    ctx.logger.error('could not record a login attempt', {
      group: input.group,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
