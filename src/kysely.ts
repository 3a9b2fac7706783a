/**
 * `latchkey/kysely`: the Storage port on PostgreSQL, MySQL/MariaDB or SQLite through the app's own
 * Kysely instance, and the migrations that create its tables. Only this entry loads Kysely; the
 * database drivers are the app's.
 *
 * @module latchkey/kysely
 */
export { kyselyStorage, type KyselyStorageOptions } from './adapters/storage/kysely/index.js';
export {
  migrate,
  planMigrations,
  type MigrateResult,
  type MigrationPlan,
} from './adapters/storage/kysely/migrations/index.js';
export {
  cachedStatements,
  type CachableDatabase,
  type CachableStatement,
  type CachedStatementsOptions,
} from './adapters/storage/kysely/cached-statements.js';
export { sqliteGroupCommit } from './adapters/storage/kysely/group-commit.js';
