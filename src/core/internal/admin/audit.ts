import type { AuthContext } from '../../context.js';
import { newId } from '../../lib/ids.js';
import type { AuditDetails, AuditLogRecord } from '../../ports.js';

/**
 * The actions the audit log knows. Reads are not audited, only changes. Add a name here when an admin
 * operation is added, and call {@link recordAdminAction} from it.
 */
export type AdminAction =
  | 'account.lock'
  | 'account.unlock'
  | 'account.delete'
  | 'account.update'
  | 'account.import'
  | 'role.grant'
  | 'role.revoke'
  | 'support-session.start'
  | 'group.update'
  | 'group.create'
  | 'group.delete'
  | 'webhook.create'
  | 'webhook.update'
  | 'webhook.delete'
  | 'webhook.rotate-secret'
  | 'webhook.retry'
  | 'webhook.test';

/** Who acts, as the admin operations take it: the HTTP routes pass the token's `sub` and the client address. */
export interface AdminActor {
  /** The administrator's account id; absent when the app or the command line acts. */
  actorId?: string | null | undefined;
  /** The administrator's client address. */
  ip?: string | null | undefined;
}

export interface AdminActionEntry {
  group: string;
  actor: AdminActor;
  action: AdminAction;
  target: { type: 'account' | 'group' | 'webhook'; id: string };
  details?: AuditDetails | null;
}

/**
 * Appends one entry to the audit log, after the action succeeded. The one way admin operations record
 * themselves. Like the login history, a storage failure here is logged at `error` and does not undo or
 * fail an action that already happened.
 */
export async function recordAdminAction(ctx: AuthContext, entry: AdminActionEntry): Promise<void> {
  try {
    await ctx.storage.auditLog.record(auditRecord(entry, ctx.clock.now()));
  } catch (error) {
    ctx.logger.error('could not record an admin action in the audit log', {
      group: entry.group,
      action: entry.action,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The stored form of an entry made at `time`; the command line's role changes record it directly. */
export function auditRecord(entry: AdminActionEntry, time: Date): AuditLogRecord {
  return {
    id: newId('aud', time),
    group: entry.group,
    time,
    actorId: entry.actor.actorId ?? null,
    actorIp: entry.actor.ip ?? null,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    details: entry.details ?? null,
  };
}
