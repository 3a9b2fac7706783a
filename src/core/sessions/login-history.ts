import type { AuthContext, RequestInfo } from '../context.js';
import { newId } from '../lib/ids.js';
import type { LoginMethod } from '../ports.js';

export interface AttemptInput extends RequestInfo {
  group: string;
  accountId: string | null;
  email: string | null;
  method: LoginMethod;
  /** Null for a success. */
  failureReason: string | null;
}

/**
 * Records one login attempt. History is an audit trail, not part of the answer: a storage failure here
 * is logged and does not turn a correct login into an error.
 */
export async function recordAttempt(ctx: AuthContext, input: AttemptInput): Promise<void> {
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
    });
  } catch (error) {
    ctx.logger.error('could not record a login attempt', {
      group: input.group,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
