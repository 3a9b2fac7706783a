import { kyselyStorage } from '../adapters/storage/kysely/index.js';
import { DEFAULT_GROUP } from '../core/context.js';
import { isAuthError } from '../core/errors.js';
import { findRoleTarget, setRole } from '../core/internal/accounts/roles.js';
import { auditRecord } from '../core/internal/admin/audit.js';
import { toAccountResource } from '../core/internal/accounts/account-resource.js';
import { outboxRecord } from '../core/events/emit.js';
import { connectDatabase, describeError, type DatabaseConnection } from './connect.js';
import { redactSecrets } from './redact-url.js';

/** What `latchkey grant-role` and `revoke-role` were given, checked. */
export interface RoleCommandArgs {
  command: 'grant-role' | 'revoke-role';
  url: string;
  /** Where the database is, for the first line of output (the URL without its password). */
  where: string;
  tablePrefix: string | undefined;
  group: string | undefined;
  email: string;
  role: string;
}

/** Where the command writes. */
export interface RoleCommandIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Runs `latchkey grant-role` or `revoke-role` over the Kysely storage (no secret, no Auth: the role
 * logic is the core's, `findRoleTarget` and `setRole`). Never prints a password from the URL.
 *
 * @returns 0 done, 1 no such account or the database failed
 */
export async function roleCommand(args: RoleCommandArgs, io: RoleCommandIo): Promise<number> {
  const { command, url, role, email } = args;
  const group = args.group ?? DEFAULT_GROUP;
  const grant = command === 'grant-role';
  io.stdout(`latchkey ${command}: ${args.where}, group "${group}"`);
  let connection: DatabaseConnection | undefined;
  try {
    connection = await connectDatabase(url);
    const storage = kyselyStorage(connection.db, { tablePrefix: args.tablePrefix });
    const target = await findRoleTarget(storage, group, { email });
    // Stored like `auth.grantRole` stores it, in one transaction: the change, its audit entry (no actor:
    // the command line) and, when the roles changed, `account.role-changed` and `account.updated`.
    const { account, changed } = await storage.transaction(async (tx) => {
      const now = new Date();
      const outcome = await setRole(tx, target, role, grant, now);
      const action = grant ? 'role.grant' : 'role.revoke';
      const details = { role, changed: outcome.changed };
      const entry = { group, actor: {}, action, target: { type: 'account', id: target.id }, details } as const;
      await tx.auditLog.record(auditRecord(entry, now));
      if (outcome.changed) {
        const resource = toAccountResource(outcome.account);
        const change = grant ? 'granted' : 'revoked';
        await tx.outbox.append(outboxRecord('account.role-changed', group, { account: resource, role, change }, now));
        await tx.outbox.append(outboxRecord('account.updated', group, { account: resource }, now));
      }
      return outcome;
    });
    const who = `${account.email} (${account.id})`;
    if (!changed) io.stdout(grant ? `${who} already has the role "${role}": nothing to change.` : `${who} does not have the role "${role}": nothing to change.`);
    else io.stdout(grant ? `Granted the role "${role}" to ${who}.` : `Revoked the role "${role}" from ${who}.`);
    io.stdout(`Roles now: ${account.roles.length === 0 ? 'none' : account.roles.join(', ')}`);
    return 0;
  } catch (error) {
    const message = isAuthError(error, 'not_found')
      ? `no account with the email ${email} in group "${group}".`
      : redactSecrets(describeError(error), url);
    io.stderr(`latchkey ${command}: ${message}`);
    return 1;
  } finally {
    await connection?.close().catch(() => {});
  }
}
