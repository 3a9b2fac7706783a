import { type Kysely, sql } from 'kysely';
import type { DialectInfo } from './dialect.js';
import { retryOnDeadlock } from './errors.js';
import type { TableNames } from './tables.js';

/** What every repository of one {@link kyselyStorage} shares. */
export interface StorageContext {
  /** The app's Kysely instance, without its plugins (a CamelCasePlugin would rename the result columns). */
  db: Kysely<any>;
  tables: TableNames;
  dialect: DialectInfo;
}

/**
 * Runs `work` in a transaction. On PostgreSQL it runs at READ COMMITTED whatever default the app set:
 * there a conditional UPDATE that meets a concurrent writer waits, then re-checks its WHERE against
 * the committed row, which is what makes `… AND rotated_at IS NULL` pick one winner; under REPEATABLE
 * READ or SERIALIZABLE the losers would fail with a serialization error instead of finding no row.
 * MySQL's UPDATE and `SELECT … FOR UPDATE` read the latest committed row at every level, and SQLite
 * runs one transaction at a time, so they keep the session's level.
 *
 * When `ctx.db` is already a transaction (the storage of `Storage.transaction`), `work` runs inline in
 * it: Kysely cannot nest transactions, and the outer one commits or rolls back everything together.
 * Every repository opens its transactions here, never with `db.transaction()` itself.
 */
export function transact<T>(
  ctx: StorageContext,
  work: (trx: Kysely<any>) => Promise<T>,
  options: { readCommitted?: 'mysql too' } = {},
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx.db);
  const builder = ctx.db.transaction();
  const readCommitted = ctx.dialect.name === 'postgres' || (ctx.dialect.name === 'mysql' && options.readCommitted === 'mysql too');
  return (readCommitted ? builder.setIsolationLevel('read committed') : builder).execute(work);
}

/**
 * {@link transact}, run again when the database rolled it back as a deadlock's victim (MySQL's gap
 * locks; see `retryOnDeadlock`). Inside `Storage.transaction` the deadlock rolled back the caller's
 * whole transaction, which only the caller can start again, so there the error is thrown at once.
 */
export function transactRetrying<T>(
  ctx: StorageContext,
  work: (trx: Kysely<any>) => Promise<T>,
  options: { readCommitted?: 'mysql too' } = {},
): Promise<T> {
  return retryOnDeadlock(() => transact(ctx, work, options), ctx.db.isTransaction ? 1 : undefined);
}

/**
 * Runs one conditional statement that races must not fail: on PostgreSQL inside a READ COMMITTED
 * transaction (see {@link transact}), elsewhere as it is.
 */
export function conditionally<T>(ctx: StorageContext, statement: (executor: Kysely<any>) => Promise<T>): Promise<T> {
  return ctx.dialect.name === 'postgres' ? transact(ctx, statement) : statement(ctx.db);
}

let savepoints = 0;

/**
 * Runs a statement whose failure the caller may catch and carry on from (the login history, the audit
 * log). Inside `Storage.transaction` it runs under a savepoint, rolled back to when the statement fails:
 * on PostgreSQL a failed statement otherwise aborts the whole transaction, so the sign-in or admin
 * action around it would fail at its next statement. Outside a transaction it runs as it is.
 */
export async function recoverable<T>(ctx: StorageContext, statement: (executor: Kysely<any>) => Promise<T>): Promise<T> {
  if (!ctx.db.isTransaction) return statement(ctx.db);
  const name = sql.id(`latchkey_sp_${++savepoints % 1_000_000}`);
  await sql`savepoint ${name}`.execute(ctx.db);
  try {
    const result = await statement(ctx.db);
    await sql`release savepoint ${name}`.execute(ctx.db);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(ctx.db);
    await sql`release savepoint ${name}`.execute(ctx.db);
    throw error;
  }
}

/**
 * In a transaction, locks the account's row until commit and says whether the account exists. It
 * serialises the writes that read, then change, several rows owned by one account (issuing tokens and
 * codes, replacing and using recovery codes), which row locks alone cannot: an INSERT locks nothing
 * another caller's earlier read saw. SQLite runs one transaction at a time, so there it only reads.
 */
export async function lockAccount(ctx: StorageContext, trx: Kysely<any>, group: string, accountId: string): Promise<boolean> {
  const query = trx.selectFrom(ctx.tables.accounts).select('id').where('group_id', '=', group).where('id', '=', accountId);
  // PostgreSQL: NO KEY UPDATE conflicts with itself but not with the KEY SHARE lock that inserting a
  // session (a foreign key to the account) takes, so sign-ins are not held up.
  const locked =
    ctx.dialect.name === 'postgres' ? query.forNoKeyUpdate() : ctx.dialect.name === 'mysql' ? query.forUpdate() : query;
  return (await locked.executeTakeFirst()) !== undefined;
}

/** `values` in slices of at most `size`, for `IN (…)` lists that must stay under every bind limit. */
export function* batches<T>(values: readonly T[], size = 500): Generator<T[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}
