import { toAccountResource } from '../accounts/account-resource.js';
import type { AuthContext, RequestInfo } from '../../context.js';
import { AuthError } from '../../errors.js';
import { emit } from '../../events/emit.js';
import type { AccountRecord, LoginMethod, SessionRecord } from '../../ports.js';
import { recordAttempt } from './login-history.js';
import { storeSession, tokenResponse, type TokenResponse } from './open-session.js';
import { inTransaction } from '../transaction.js';

export interface FinishLoginInput extends RequestInfo {
  /** The `amr` of the new session (`['pwd']`, `['pwd', 'otp', 'mfa']` …). */
  amr: string[];
  /** How the login history and the `account.logged-in` event name this login. */
  method: LoginMethod;
}

/**
 * The last step of every successful sign-in path, once every check has passed, in one transaction:
 * records the login on the account (`lastLoginAt`, `lastLoginDevice`), opens the session, adds a success
 * to the login history and emits `account.logged-in`; the access token is signed once it committed.
 *
 * `account` must be the record the flow checked the credential against. The transaction's first write
 * is to the account's row, so a panic lock, a deletion, a password change or an unlock either landed
 * before it (then this login sees it, stores nothing and is refused, see {@link overtaken}), or waits for
 * this transaction and then finds the new session to revoke. Every sign-in path goes through here, so
 * none can outlive a panic.
 *
 * @throws AuthError `account_locked` (locked meanwhile), `invalid_credentials` (deleted, or its password
 * or state changed meanwhile)
 */
export async function finishLogin(
  ctx: AuthContext,
  account: AccountRecord,
  input: FinishLoginInput,
): Promise<TokenResponse> {
  let signedIn: { updated: AccountRecord; session: SessionRecord; refreshToken: string };
  try {
    signedIn = await inTransaction(ctx, async (tx) => {
      const updated = await tx.storage.accounts.update(account.group, account.id, {
        lastLoginAt: tx.clock.now(),
        lastLoginDevice: input.userAgent ?? null,
      });
      const code = overtaken(account, updated);
      if (code) throw new Overtaken(code, updated);
      const { session, refreshToken } = await storeSession(tx, updated!, input.amr, input);
      await recordAttempt(tx, {
        group: account.group,
        accountId: account.id,
        email: account.email,
        method: input.method,
        ip: input.ip,
        userAgent: input.userAgent,
        failureReason: null,
      });
      await emit(tx, 'account.logged-in', account.group, {
        account: toAccountResource(updated!),
        sessionId: session.id,
        method: input.method,
        ip: input.ip ?? null,
      });
      return { updated: updated!, session, refreshToken };
    });
  } catch (error) {
    if (!(error instanceof Overtaken)) throw error;
    return refuseOvertaken(ctx, account, error, input);
  }
  return tokenResponse(ctx, signedIn.updated, signedIn.session, signedIn.refreshToken);
}

/**
 * A refused attempt by a caller who got past the password (or named an account): a login-history
 * entry for the account's owner to see, and `account.login-failed`, stored together.
 */
export async function recordRefusedLogin(
  ctx: AuthContext,
  account: AccountRecord,
  input: RequestInfo & { method: LoginMethod; reason: string },
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await recordAttempt(tx, {
      group: account.group,
      accountId: account.id,
      email: account.email,
      method: input.method,
      ip: input.ip,
      userAgent: input.userAgent,
      failureReason: input.reason,
    });
    await emit(tx, 'account.login-failed', account.group, {
      account: toAccountResource(account),
      email: account.email,
      reason: input.reason,
      ip: input.ip ?? null,
    });
  });
}

/** A login overtaken by a change of its account, thrown inside the transaction to store nothing. */
class Overtaken extends Error {
  constructor(
    readonly code: 'account_locked' | 'invalid_credentials',
    readonly current: AccountRecord | null,
  ) {
    super(code);
  }
}

/** Records the refusal of an overtaken login (when the account still exists) and throws its error. */
async function refuseOvertaken(ctx: AuthContext, checked: AccountRecord, overtake: Overtaken, input: FinishLoginInput): Promise<never> {
  const { code, current } = overtake;
  // A purged account has no history left to write to.
  if (current) await recordRefusedLogin(ctx, current, { ip: input.ip, userAgent: input.userAgent, method: input.method, reason: code });
  ctx.logger.info('login overtaken by an account change: no session was opened', { group: checked.group, accountId: checked.id, reason: code });
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
