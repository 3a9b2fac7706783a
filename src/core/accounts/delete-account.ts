import type { AuthContext, RequestInfo } from '../context.js';
import { AuthError } from '../errors.js';
import { emit } from '../events/emit.js';
import { newId } from '../lib/ids.js';
import { sendMailInBackground } from '../mail/send-mail.js';
import { assertFactorChangeProof } from '../internal/two-factor/factor-change-proof.js';
import { loadActiveAccount } from '../internal/two-factor/load-account.js';
import { toAccountResource } from '../internal/accounts/account-resource.js';
import { DEFAULT_GROUP } from '../context.js';
import { inTransaction } from '../internal/transaction.js';

/**
 * What `auth.deleteAccount` takes: the signed-in account, and the owner's proof (the password while no
 * second factor is on, a current second factor once one is).
 */
export interface DeleteAccountInput extends RequestInfo {
  /** The account\'s group (default `default`). */
  group?: string | undefined;
  accountId: string;
  /** While no second factor is on, the proof: the account's password. */
  password?: string | null | undefined;
  /**
   * Once a second factor is on, the proof (HTTP: the `x-otp` header): a current TOTP, a code sent to an
   * enabled channel, or an unused recovery code (used up).
   */
  otp?: string | null | undefined;
}

/** One step of a deletion task; `started`/`completed` are ISO times, null until they happen. */
export interface DeletionStep {
  caption: string;
  description: string;
  started: string | null;
  completed: string | null;
}

/**
 * What `DELETE /account` answers (202): a descriptor of the deletion job.
 *
 * Deletion is two-phase. The request itself does the urgent part at once: the account's state becomes
 * `deleted` (it can no longer log in or refresh) and every session is ended, so the task "Revoke
 * sessions" is already completed in the descriptor. The personal data is then kept for the
 * `deletedAccountRetention` option (default 30 days, to allow support to answer disputes and undo
 * mistakes) and removed by `auth.purgeDeletedAccounts()`, which the app runs from its scheduler: the
 * task "Purge personal data" has not started, and `schedule` is the earliest time that purge removes the
 * account (with its sessions, tokens and login history). The job is not stored: `id` (`job_…`) is a
 * reference for logs and support, and `queue` names the work list the purge reads (`account-purge`).
 */
export interface DeletionJob {
  action: 'delete';
  job: {
    id: string;
    accepted: boolean;
    queue: string;
    /** ISO time at which the account's personal data becomes due for purging. */
    schedule: string;
    tasks: Array<{ caption: string; header: string; steps: DeletionStep[] }>;
  };
}

/** The `deleteAccount` operation of `Auth`: the one place its documentation lives. */
export const deleteAccountOperation = {
  /**
   * Deletes the signed-in account at its owner's request, proven as a factor change is (see
   * `assertFactorChangeProof`): the password while no second factor is on (a wrong one counts like a
   * failed login), a current second factor in `otp` once one is (the password alone is then refused). The
   * account becomes `deleted`, every session is ended, a notice is mailed, and `account.deleted` is
   * emitted; its data is purged after the retention period (see {@link DeletionJob}). The owner of a
   * group cannot delete itself before ownership moves.
   *
   * @throws AuthError `validation_failed` (neither proof), `invalid_credentials` (wrong password),
   * `invalid_two_factor` (wrong or replayed `otp`), `rate_limited`,
   * `conflict` (the account owns its group), `not_found`, `account_locked` (panic- or admin-locked)
   * @example
   * ```ts
   * const { job } = await auth.deleteAccount({ group, accountId: claims.sub, password })
   * console.log(`personal data will be purged after ${job.schedule}`)
   * ```
   */
  deleteAccount,
};

/** See {@link deleteAccountOperation}. */
export async function deleteAccount(ctx: AuthContext, input: DeleteAccountInput): Promise<DeletionJob> {
  const { group = DEFAULT_GROUP, accountId } = input;
  // A locked account is frozen as it is: a token minted just before a panic must not delete it.
  const account = await loadActiveAccount(ctx, group, accountId);
  // Before the proof, so that a refusal spends no code.
  const owned = await ctx.storage.groups.find(group);
  if (owned?.ownerId === accountId) {
    throw new AuthError('conflict', 'This account owns its group; transfer the ownership before deleting it.');
  }
  await assertFactorChangeProof(ctx, account, { otp: input.otp, password: input.password, ip: input.ip });

  const now = ctx.clock.now();
  // The deletion, the sessions' end and the events are stored together.
  const { deleted, resource, sessionIds } = await inTransaction(ctx, async (tx) => {
    const deleted = await tx.storage.accounts.update(group, accountId, {
      status: 'deleted',
      statusChangedAt: now,
      statusReason: null,
      deletedAt: now,
      updatedAt: now,
    });
    if (!deleted) throw new AuthError('not_found', 'No such account.');
    const reason = 'account_deleted';
    const sessionIds = await tx.storage.sessions.revokeAllForAccount(group, accountId, now, reason);
    if (sessionIds.length > 0) await emit(tx, 'session.revoked', group, { accountId, sessionIds, reason });
    const resource = toAccountResource(deleted);
    await emit(tx, 'account.deleted', group, { account: resource });
    return { deleted, resource, sessionIds };
  });
  void sendMailInBackground(ctx, {
    kind: 'account-deleted',
    to: deleted.email,
    account: resource,
    // The template reads it as the time left until the purge.
    expiresInMinutes: Math.ceil(ctx.options.deletedAccountRetention / 60),
  });
  ctx.logger.info('account deleted', { group, accountId, sessionsRevoked: sessionIds.length });
  return deletionJob(ctx, now, sessionIds.length);
}

function deletionJob(ctx: AuthContext, deletedAt: Date, sessionsRevoked: number): DeletionJob {
  const retention = ctx.options.deletedAccountRetention;
  const at = deletedAt.toISOString();
  return {
    action: 'delete',
    job: {
      id: newId('job', deletedAt),
      accepted: true,
      queue: 'account-purge',
      schedule: new Date(deletedAt.getTime() + retention * 1000).toISOString(),
      tasks: [
        {
          caption: 'Revoke sessions',
          header: 'Sign the account out everywhere',
          steps: [
            {
              caption: 'End every session',
              description: `${sessionsRevoked} session(s) ended; their access and refresh tokens no longer work.`,
              started: at,
              completed: at,
            },
          ],
        },
        {
          caption: 'Purge personal data',
          header: `Delete the account's data after the retention period (${retention} seconds)`,
          steps: [
            {
              caption: 'Delete the account',
              description: 'The account, its sessions, tokens and login history are removed for good.',
              started: null,
              completed: null,
            },
          ],
        },
      ],
    },
  };
}
