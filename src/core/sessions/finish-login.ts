import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../context.js';
import { emit } from '../events/emit.js';
import type { AccountRecord, LoginMethod } from '../ports.js';
import { recordAttempt } from './login-history.js';
import { openSession, type TokenResponse } from './open-session.js';

export interface FinishLoginInput extends RequestInfo {
  /** The `amr` of the new session (`['pwd']`, `['pwd', 'otp', 'mfa']` …). */
  amr: string[];
  /** How the login history and the `account.logged-in` event name this login. */
  method: LoginMethod;
}

/**
 * The last step of every successful sign-in path, once every check has passed: records the login on
 * the account (`lastLoginAt`, `lastLoginDevice`), opens the session, adds a success to the login
 * history and emits `account.logged-in`.
 */
export async function finishLogin(
  ctx: AuthContext,
  account: AccountRecord,
  input: FinishLoginInput,
): Promise<TokenResponse> {
  const updated = await ctx.storage.accounts.update(account.group, account.id, {
    lastLoginAt: ctx.clock.now(),
    lastLoginDevice: input.userAgent ?? null,
  });
  const { tokens, session } = await openSession(ctx, updated ?? account, input.amr, input);
  await recordAttempt(ctx, {
    group: account.group,
    accountId: account.id,
    email: account.email,
    method: input.method,
    ip: input.ip,
    userAgent: input.userAgent,
    failureReason: null,
  });
  emit(ctx, 'account.logged-in', account.group, {
    account: tokens.account,
    sessionId: session.id,
    method: input.method,
    ip: input.ip ?? null,
  });
  return tokens;
}

/**
 * A refused attempt by a caller who got past the password (or named an account): a login-history
 * entry for the account's owner to see, and `account.login-failed`.
 */
export async function recordRefusedLogin(
  ctx: AuthContext,
  account: AccountRecord,
  input: RequestInfo & { method: LoginMethod; reason: string },
): Promise<void> {
  await recordAttempt(ctx, {
    group: account.group,
    accountId: account.id,
    email: account.email,
    method: input.method,
    ip: input.ip,
    userAgent: input.userAgent,
    failureReason: input.reason,
  });
  emit(ctx, 'account.login-failed', account.group, {
    account: toAccountResource(account),
    email: account.email,
    reason: input.reason,
    ip: input.ip ?? null,
  });
}
