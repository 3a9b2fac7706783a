import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { AuthError } from '../../errors.js';
import { emit } from '../../events/emit.js';
import type { AccountRecord, LoginMethod, SessionRecord } from '../../ports.js';
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
 *
 * `account` must be the record the flow checked the credential against. Once the session exists the
 * account is read again: when a panic lock, a deletion, a password change or an unlock landed while the
 * login was in flight, the new session is revoked before anyone sees it and the login is refused (see
 * {@link revokeIfOvertaken}). Every sign-in path goes through here, so none can outlive a panic.
 *
 * @throws AuthError `account_locked` (locked meanwhile), `invalid_credentials` (deleted, or its password
 * or state changed meanwhile)
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
  await revokeIfOvertaken(ctx, account, session, input);
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

/**
 * Reads the account again after its new session was stored, and revokes that session when the account
 * is no longer the one whose credential was checked: not active any more, or its `statusChangedAt` or
 * `lastPasswordChangeAt` moved past what `checked` shows. This closes the race with a panic lock, which
 * locks first and then revokes every session: either the lock is visible here (this session is revoked
 * here), or it lands after this read, and so after the session was stored (the panic revokes it).
 *
 * @throws AuthError `account_locked`, `invalid_credentials`
 */
async function revokeIfOvertaken(
  ctx: AuthContext,
  checked: AccountRecord,
  session: SessionRecord,
  input: FinishLoginInput,
): Promise<void> {
  const current = await ctx.storage.accounts.findById(checked.group, checked.id);
  const code = overtaken(checked, current);
  if (!code) return;
  const gone = !current || current.status === 'deleted';
  const reason = code === 'account_locked' ? 'account_locked' : gone ? 'account_deleted' : 'credentials_changed';
  await ctx.storage.sessions.revoke(session.group, session.id, ctx.clock.now(), reason);
  const request = { ip: input.ip, userAgent: input.userAgent, method: input.method };
  // A purged account has no history left to write to.
  if (current) await recordRefusedLogin(ctx, current, { ...request, reason: code });
  ctx.logger.info('login overtaken by an account change: its session was revoked', {
    group: checked.group,
    accountId: checked.id,
    reason,
  });
  if (code === 'account_locked') throw new AuthError('account_locked', 'This account is locked.');
  throw new AuthError('invalid_credentials', 'The email or password is incorrect.');
}

/** Why a login checked against `checked` no longer stands, or null when it does. */
function overtaken(checked: AccountRecord, current: AccountRecord | null): 'account_locked' | 'invalid_credentials' | null {
  if (!current || current.status === 'deleted') return 'invalid_credentials';
  if (current.status === 'locked') return 'account_locked';
  const moved = (after: Date | null, before: Date | null) => (after?.getTime() ?? 0) > (before?.getTime() ?? 0);
  if (moved(current.statusChangedAt, checked.statusChangedAt)) return 'invalid_credentials';
  if (moved(current.lastPasswordChangeAt, checked.lastPasswordChangeAt)) return 'invalid_credentials';
  return null;
}
