import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { inspectDialect } from '../dialect.js';
import { tableNames, type KyselyStorageOptions, type TableNames } from '../tables.js';
import { initialMigration } from './0001-initial.js';
import { oneTimeTokensMigration } from './0002-one-time-tokens.js';
import { twoFactorMigration } from './0003-two-factor.js';
import { passkeysMigration } from './0004-passkeys.js';
import { webauthnChallengeExpiryMigration } from './0005-webauthn-challenge-expiry.js';
import { loginAttemptRetentionMigration } from './0006-login-attempt-retention.js';
import { auditLogMigration } from './0007-audit-log.js';
import { accountSearchMigration } from './0008-account-search.js';
import { loginAttemptActorMigration } from './0009-login-attempt-actor.js';
import { groupSettingsMigration } from './0010-group-settings.js';
import { nameSearchCoveringMigration } from './0011-name-search-covering.js';
import { webhooksMigration } from './0012-webhooks.js';
import { jobLeasesMigration } from './0013-job-leases.js';

/** latchkey's migrations, by name; names sort in the order they run. Nothing is read from disk. */
function latchkeyMigrations(tables: TableNames): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(tables),
    '0002-one-time-tokens': oneTimeTokensMigration(tables),
    '0003-two-factor': twoFactorMigration(tables),
    '0004-passkeys': passkeysMigration(tables),
    '0005-webauthn-challenge-expiry': webauthnChallengeExpiryMigration(tables),
    '0006-login-attempt-retention': loginAttemptRetentionMigration(tables),
    '0007-audit-log': auditLogMigration(tables),
    '0008-account-search': accountSearchMigration(tables),
    '0009-login-attempt-actor': loginAttemptActorMigration(tables),
    '0010-group-settings': groupSettingsMigration(tables),
    '0011-name-search-covering': nameSearchCoveringMigration(tables),
    '0012-webhooks': webhooksMigration(tables),
    '0013-job-leases': jobLeasesMigration(tables),
  };
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Names of the migrations this call ran, in order; empty when the schema was up to date. */
  applied: string[];
}

/** What {@link migrate} would do. */
export interface MigrationPlan {
  /** Names of the migrations that would run, in order. */
  pending: string[];
  /** Names of the migrations already run. */
  applied: string[];
}

async function createMigrator(db: Kysely<any>, options: KyselyStorageOptions): Promise<Migrator> {
  const plain = db.withoutPlugins();
  const tables = tableNames(options);
  const provider: MigrationProvider = { getMigrations: async () => latchkeyMigrations(tables) };
  return new Migrator({
    db: plain,
    provider,
    migrationTableName: tables.migrations,
    migrationLockTableName: tables.migrationLock,
    // Kysely looks for the migration table in every schema of a PostgreSQL database; pinning it to the
    // current schema keeps two apps (or test runs) in two schemas of one database apart.
    ...(inspectDialect(db).name === 'postgres' ? { migrationTableSchema: await currentSchema(plain) } : {}),
  });
}

async function currentSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('latchkey/kysely: the PostgreSQL connection has no current schema (check search_path).');
  return schema;
}

/**
 * Creates or updates latchkey's tables: runs every migration not run yet, in order, under Kysely's
 * migration lock (several app instances starting at once run each migration once). The migrations are
 * recorded in `<prefix>migrations`. Safe to call on every start: when the schema is up to date it only
 * reads.
 *
 * @param db - The app's Kysely instance (PostgreSQL, MySQL/MariaDB or SQLite).
 * @param options - `tablePrefix` (default `latchkey_`): the same as given to `kyselyStorage`.
 * @throws Error naming the migration that failed, with the database's error as `cause`. On PostgreSQL
 *   a failed migration leaves nothing behind; MySQL commits DDL statement by statement, so latchkey's
 *   statements are written to be run again (`IF NOT EXISTS`): fix the cause and call `migrate` again.
 *
 * @example
 * ```ts
 * import { migrate } from 'latchkey/kysely';
 *
 * const { applied } = await migrate(db);
 * if (applied.length > 0) console.log(`latchkey: ran ${applied.join(', ')}`);
 * ```
 */
export async function migrate(db: Kysely<any>, options: KyselyStorageOptions = {}): Promise<MigrateResult> {
  const migrator = await createMigrator(db, options);
  let { error, results = [] } = await migrator.migrateToLatest();
  for (let retry = 0; retry < 3 && error !== undefined && isCatalogRace(error, results); retry++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * (retry + 1)));
    ({ error, results = [] } = await migrator.migrateToLatest());
  }
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`latchkey/kysely: ${failed ? `migration ${failed}` : 'migrating'} failed: ${reason}`, { cause: error });
  }
  return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

/**
 * Kysely's PostgreSQL migrator reads the tables of every schema of the database before it takes its
 * lock; a schema another client drops at that moment fails the read ("schema … does not exist",
 * 3F000) although nothing of ours ran. That, and only that, is worth trying again. @internal
 */
export function isCatalogRace(error: unknown, results: readonly { status: string }[]): boolean {
  if (results.some((result) => result.status === 'Error')) return false;
  const code = (error as { code?: unknown } | null)?.code;
  return code === '3F000' || (error instanceof Error && /schema "[^"]*" does not exist/.test(error.message));
}

/**
 * Says which migrations {@link migrate} would run, without running them or creating anything (for a
 * `--dry-run`).
 *
 * @param db - The app's Kysely instance.
 * @param options - `tablePrefix`, as for {@link migrate}.
 *
 * @example
 * ```ts
 * import { planMigrations } from 'latchkey/kysely';
 *
 * const { pending } = await planMigrations(db);
 * console.log(pending.length === 0 ? 'up to date' : `would run ${pending.join(', ')}`);
 * ```
 */
export async function planMigrations(db: Kysely<any>, options: KyselyStorageOptions = {}): Promise<MigrationPlan> {
  const migrations = await (await createMigrator(db, options)).getMigrations();
  return {
    pending: migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
    applied: migrations.filter((m) => m.executedAt !== undefined).map((m) => m.name),
  };
}
