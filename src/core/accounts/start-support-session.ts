import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { groupOf } from '../lib/group-of.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import type { AccountRecord } from '../ports.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import { loadAdminTarget } from '../internal/accounts/admin-target.js';
import { ADMIN_ROLE } from '../internal/accounts/roles.js';
import { recordAttempt } from '../internal/sessions/login-history.js';
import { openSupportSession, SUPPORT_SESSION_TTL } from '../internal/sessions/support-session.js';
import { recordAdminAction } from '../internal/admin/audit.js';
import { inTransaction } from '../internal/transaction.js';

/** What `auth.startSupportSession` takes: the account, the administrator, and the administrator's client. */
export interface StartSupportSessionInput extends RequestInfo {
  /** The group administered (default `default`): an account of any other group is `not_found`. */
  group?: string | undefined;
  /** The account to act as. */
  accountId: string;
  /** The administrator's account id (the access token's `sub`): the token's `act.sub`. */
  actorId: string;
}

/**
 * What a support session answers: a token response for the account with no refresh token
 * (`refreshToken: null`: the session cannot be extended) and the RFC 8693 actor.
 */
export interface SupportSessionResponse {
  accessToken: string;
  /** Always null: a support session ends with its access token, after 15 minutes. */
  refreshToken: null;
  tokenType: 'Bearer';
  /** Access token lifetime in seconds: 900. */
  expiresIn: number;
  account: AccountResource;
  /** The administrator acting as the account, as the token's `act` claim names them. */
  act: { sub: string };
}

/** The `startSupportSession` operation of `Auth`: the one place its documentation lives. */
export const startSupportSessionOperation = {
  /**
   * An administrator opens a support session on an account of the group
   * (`POST /accounts/{id}/support-session`): a new session, marked `amr: ['support']`, whose single
   * access token lives 15 minutes, carries `act: { sub: <actorId> }` (RFC 8693) and has no refresh
   * token. Only for an active account that allows it (`allowSupportLogin`), never for an
   * administrator's account. The login history gets a `method: 'support'` entry with
   * `actor: { id, ip }` (the entry's own `ip` stays null, so the administrator's address never counts
   * as the owner's), the owner is mailed (`support-session`), and `support-session.started` is emitted
   * (not `account.logged-in`: the owner did not sign in).
   *
   * The HTTP layer makes sure the caller is an administrator and not itself a support token; a support
   * token cannot administer, nor change the password, factors, roles or email (see docs/http-api.md).
   *
   * @throws AuthError `not_found` (no such account in the group, or deleted), `forbidden` (support login
   *   not allowed, or an administrator's account), `account_locked`
   * @example
   * ```ts
   * const support = await auth.startSupportSession({ group, accountId, actorId: claims.sub, ip })
   * support.act // { sub: claims.sub }
   * support.refreshToken // null
   * ```
   */
  startSupportSession,
};

/** See {@link startSupportSessionOperation}. */
export async function startSupportSession(ctx: AuthContext, input: StartSupportSessionInput): Promise<SupportSessionResponse> {
  const group = groupOf(input);
  const account = await loadAdminTarget(ctx, group, input.accountId);
  refuseUnless(account);
  const { session, accessToken } = await openSupportSession(ctx, account, input.actorId, input);
  const ip = input.ip ?? null;
  let resource: AccountResource;
  try {
    // The owner may turn support off (or be locked) while the session was being stored: look again,
    // and write the history entry, the event and the audit entry together.
    resource = await inTransaction(ctx, async (tx) => {
      const current = await tx.storage.accounts.findById(group, account.id);
      refuseUnless(current);
      const resource = toAccountResource(current!);
      const actor = { id: input.actorId, ip };
      await recordAttempt(tx, {
        group,
        accountId: account.id,
        email: account.email,
        method: 'support',
        ip: null,
        userAgent: input.userAgent,
        failureReason: null,
        actor,
      });
      const expiresAt = session.expiresAt.toISOString();
      const started = { account: resource, actorId: input.actorId, sessionId: session.id, expiresAt, ip };
      await emit(tx, 'support-session.started', group, started);
      const target = { type: 'account' as const, id: account.id };
      await recordAdminAction(tx, { group, actor: input, action: 'support-session.start', target, details: { sessionId: session.id } });
      return resource;
    });
  } catch (error) {
    await ctx.storage.sessions.revoke(group, session.id, ctx.clock.now(), 'support_refused');
    throw error;
  }
  void sendMailInBackground(ctx, {
    kind: 'support-session',
    to: account.email,
    account: resource,
    expiresInMinutes: SUPPORT_SESSION_TTL / 60,
  });
  ctx.logger.info('support session started', { group, accountId: account.id, actorId: input.actorId, sessionId: session.id });
  return { accessToken, refreshToken: null, tokenType: 'Bearer', expiresIn: SUPPORT_SESSION_TTL, account: resource, act: { sub: input.actorId } };
}

/** @throws AuthError `not_found`, `account_locked`, `forbidden` */
function refuseUnless(account: AccountRecord | null): void {
  if (!account || account.status === 'deleted') throw new AuthError('not_found', 'No such account.');
  if (account.status !== 'active') throw new AuthError('account_locked', 'This account is locked.');
  if (account.roles.includes(ADMIN_ROLE)) {
    throw new AuthError('forbidden', "A support session cannot be opened on an administrator's account.");
  }
  if (!account.allowSupportLogin) throw new AuthError('forbidden', 'This account does not allow support logins.');
}
