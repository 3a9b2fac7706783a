import type { AuthContext } from '../context.js';
import { AuthError } from '../errors.js';
import { groupOf } from '../lib/group-of.js';
import { sendMail } from '../mail/send-mail.js';
import type { AccountRecord } from '../ports.js';
import { type AccountResource, toAccountResource } from '../internal/accounts/account-resource.js';
import {
  type CheckedRow,
  emailOf,
  type ImportAccountRow,
  type ImportRowError,
  MAX_IMPORT_ROWS,
  readRow,
  rowError,
  storeImportedAccount,
} from '../internal/accounts/import-rows.js';
import { type AdminActor, recordAdminAction } from '../internal/admin/audit.js';
import { requireGroup } from '../internal/groups/require-group.js';

export type { ImportAccountRow, ImportRowError } from '../internal/accounts/import-rows.js';

/** What `auth.importAccounts` takes. */
export interface ImportAccountsInput extends AdminActor {
  /** The group the accounts join (default `default`). */
  group?: string | undefined;
  /** 1 to 1000 rows; each is checked, and succeeds or fails, on its own. */
  rows: readonly ImportAccountRow[];
}

/** One row that was not imported: its index in `rows`, its email as given (null without one), and why. */
export interface ImportFailure {
  index: number;
  email: string | null;
  error: ImportRowError;
}

/** What `auth.importAccounts` answers (the body of `POST /accounts/import`). */
export interface ImportAccountsResult {
  /** The number of rows. */
  attempted: number;
  /** The number of accounts created. */
  ok: number;
  /** The rows not imported, in row order. */
  failed: ImportFailure[];
  /** The accounts created, in row order. */
  success: AccountResource[];
}

/** Rows stored at once: enough to overlap database round trips, few enough to be gentle with a pool. */
const CONCURRENCY = 8;

/** The `importAccounts` operation of `Auth`: the one place its documentation lives. */
export const importAccountsOperation = {
  /**
   * An administrator imports accounts into the group (`POST /accounts/import`): 1 to 1000 rows of
   * `{ email, name?, roles?, passwordHash? }`. Each row succeeds or fails on its own, in this order of
   * checks: its shape and email (`validation_failed`), an address an earlier row of the call already
   * holds (`conflict`, whether or not that row was imported), a role the administrator does not hold
   * (`forbidden`, as for `adminUpdateAccount`; with no `actorId` the app acts and any role goes), a
   * `passwordHash` the password hasher cannot verify: an unknown format, or costs out of bounds
   * (`validation_failed`), then an address the group already has (`conflict`, atomic against concurrent
   * imports and registrations). A failed row leaves nothing behind.
   *
   * An imported account is active and unverified, holds the row's roles, and has no password unless
   * the row gave a hash (kept as it is; the first login verifies it and replaces it with the hasher's own).
   * Each is mailed an `account-claim` mail with a single-use token (hashed at rest, valid
   * `importClaimTtl`, 7 days by default, linked with `email.resetUrl`) that `resetPassword` takes: it
   * sets the password and verifies the address. The mails go out one after another in the background,
   * after the answer. Emits `account.created` per account, and records one audit entry per call
   * (`account.import`, target the group, with the counts).
   *
   * @throws AuthError `validation_failed` (not 1 to 1000 rows), `forbidden` (the actor is not an active
   *   account of the group), `not_found` (no such group)
   * @example
   * ```ts
   * const result = await auth.importAccounts({
   *   group,
   *   actorId: claims.sub,
   *   rows: [{ email: 'ada@example.com', name: { first: 'Ada' } }, { email: 'grace@example.com', roles: ['support'] }],
   * })
   * result // { attempted: 2, ok: 2, failed: [], success: [<account>, <account>] }
   * ```
   */
  importAccounts,
};

/** See {@link importAccountsOperation}. */
export async function importAccounts(ctx: AuthContext, input: ImportAccountsInput): Promise<ImportAccountsResult> {
  const group = (await requireGroup(ctx, groupOf(input))).id;
  const rows: readonly unknown[] = Array.isArray(input.rows) ? input.rows : [];
  if (rows.length < 1 || rows.length > MAX_IMPORT_ROWS) {
    throw new AuthError('validation_failed', `An import takes 1 to ${MAX_IMPORT_ROWS} rows.`, {
      details: [{ path: '', message: `must hold 1 to ${MAX_IMPORT_ROWS} rows` }],
    });
  }
  const held = await actorRoles(ctx, group, input.actorId);

  const outcomes: Array<ImportRowError | AccountRecord> = new Array(rows.length);
  const pending: Array<{ index: number; row: CheckedRow }> = [];
  const firstRow = new Map<string, number>();
  rows.forEach((raw, index) => {
    const row = readRow(raw);
    if ('code' in row) return void (outcomes[index] = row);
    const earlier = firstRow.get(row.email);
    if (earlier !== undefined) return void (outcomes[index] = rowError('conflict', `Row ${earlier} has the same email address.`));
    firstRow.set(row.email, index);
    const lacking = held && row.roles.find((role) => !held.includes(role));
    if (lacking) return void (outcomes[index] = rowError('forbidden', `You cannot grant the role "${lacking}": you do not hold it.`));
    const unusable = row.passwordHash === null ? null : checkHash(ctx, row.passwordHash);
    if (unusable) return void (outcomes[index] = rowError('validation_failed', `The password hash cannot be used: ${unusable}.`));
    pending.push({ index, row });
  });

  const claims: Array<{ account: AccountRecord; token: string }> = [];
  let next = 0;
  const work = async () => {
    for (let item = pending[next++]; item !== undefined; item = pending[next++]) {
      const stored = await storeImportedAccount(ctx, group, item.row);
      if ('code' in stored) outcomes[item.index] = stored;
      else {
        outcomes[item.index] = stored.account;
        claims.push(stored);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pending.length) }, work));

  const result: ImportAccountsResult = { attempted: rows.length, ok: 0, failed: [], success: [] };
  for (const [index, outcome] of outcomes.entries()) {
    if ('code' in outcome) {
      result.failed.push({ index, email: emailOf(rows[index]), error: outcome });
      continue;
    }
    result.success.push(toAccountResource(outcome));
  }
  result.ok = result.success.length;

  void mailClaims(ctx, group, claims);
  const details = { attempted: result.attempted, ok: result.ok, failed: result.failed.length };
  await recordAdminAction(ctx, { group, actor: input, action: 'account.import', target: { type: 'group', id: group }, details });
  ctx.logger.info('accounts imported by an administrator', { group, actorId: input.actorId ?? null, ...details });
  return result;
}

/** Why the hasher cannot verify `hash`, or null when it can (a hasher without `checkHash` verifies none). */
function checkHash(ctx: AuthContext, hash: string): string | null {
  return ctx.hasher.checkHash ? ctx.hasher.checkHash(hash) : 'this app cannot verify imported hashes';
}

/** The roles the actor may grant, or null when the app acts (no `actorId`). */
async function actorRoles(ctx: AuthContext, group: string, actorId: string | null | undefined): Promise<string[] | null> {
  if (actorId === undefined || actorId === null) return null;
  const actor = await ctx.storage.accounts.findById(group, actorId);
  if (!actor || actor.status !== 'active') throw new AuthError('forbidden', 'Only an active account of this group can do this.');
  return actor.roles;
}

/**
 * Mails every claim link, one after another: an import of 1000 rows must neither wait for 1000 mails
 * nor hand the mailer 1000 at once. A failed mail is logged by `sendMail` and the rest go on.
 */
async function mailClaims(ctx: AuthContext, group: string, claims: Array<{ account: AccountRecord; token: string }>): Promise<void> {
  const ttl = ctx.options.importClaimTtl;
  let failures = 0;
  for (const { account, token } of claims) {
    await sendMail(ctx, {
      kind: 'account-claim',
      to: account.email,
      account: toAccountResource(account),
      token,
      linkTemplate: ctx.options.email.resetUrl,
      expiresInMinutes: Math.round(ttl / 60),
    }).catch(() => failures++);
  }
  if (failures > 0) ctx.logger.error('claim mails of an import were not delivered', { group, failures, sent: claims.length - failures });
}
