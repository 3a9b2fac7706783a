import type { AuthContext } from '../context.js';
import { groupOf } from '../lib/group-of.js';
import type { AuditDetails, Page } from '../ports.js';

/** One entry of the audit log as `GET /audit` answers it. */
export interface AuditEntryResource {
  id: string;
  /** ISO time of the action. */
  time: string;
  /** The administrator (null id: the app or the command line) and their client address. */
  actor: { id: string | null; ip: string | null };
  /** `account.lock`, `account.unlock`, `account.delete`, `role.grant`, `role.revoke` … */
  action: string;
  /** What was acted on: `{ type: 'account', id }`. */
  target: { type: string; id: string };
  /** A few facts about the action (`{ role, changed }` for role changes …), or null. */
  details: AuditDetails | null;
}

/** What `auth.listAuditLog` takes. */
export interface ListAuditLogInput {
  /** The group whose log is read (default `default`): never another group's entries. */
  group?: string | undefined;
  /** Page size (default 20). */
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string | null;
}

/** The `listAuditLog` operation of `Auth`: the one place its documentation lives. */
export const listAuditLogOperation = {
  /**
   * The group's audit log, newest first (`GET /audit`): every administrator action that changed, or
   * tried to change, something (locks, unlocks, hard deletes, role grants and revokes) with its actor,
   * client address, target, time and details. Reads are not recorded. Paginated: pass a page's
   * `nextCursor` to get the next one. The caller's right to read it is checked by the HTTP route
   * (`auth: 'admin'`).
   *
   * @throws AuthError `validation_failed` for a malformed cursor or a `limit` that is not a positive integer
   * @example
   * ```ts
   * const { data, nextCursor } = await auth.listAuditLog({ group, limit: 50 })
   * data[0] // { action: 'account.lock', actor: { id: 'acc_…', ip: '203.0.113.7' }, target: { type: 'account', id: 'acc_…' }, … }
   * ```
   */
  listAuditLog,
};

/** See {@link listAuditLogOperation}. */
export async function listAuditLog(ctx: AuthContext, input: ListAuditLogInput = {}): Promise<Page<AuditEntryResource>> {
  const { limit = 20, cursor = null } = input;
  const page = await ctx.storage.auditLog.list(groupOf(input), { limit, cursor });
  return {
    data: page.data.map((entry) => ({
      id: entry.id,
      time: entry.time.toISOString(),
      actor: { id: entry.actorId, ip: entry.actorIp },
      action: entry.action,
      target: { type: entry.targetType, id: entry.targetId },
      details: entry.details,
    })),
    nextCursor: page.nextCursor,
  };
}
