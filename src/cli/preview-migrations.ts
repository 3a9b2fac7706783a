import { Kysely, type CompiledQuery, type DatabaseConnection, type Driver, type InsertQueryNode, type QueryResult } from 'kysely';
import { migrate } from '../adapters/storage/kysely/migrations/index.js';
import { tableNames, type KyselyStorageOptions } from '../adapters/storage/kysely/tables.js';

/** The SQL one pending migration would run. */
export interface MigrationPreview {
  name: string;
  statements: string[];
}

/** What `migrate` would run, split into latchkey's migrations and Kysely's own bookkeeping. */
export interface MigrationsPreview {
  migrations: MigrationPreview[];
  /** Creating the migration and lock tables when missing, the lock, and one row per migration run. */
  bookkeeping: string[];
}

/**
 * Runs `migrate` against a stand-in for `db` that reads from the real database but only records what
 * it would write, so the preview is the exact SQL of the real run, computed from the database's real
 * state, and nothing changes. Reads are the queries that cannot change anything: built `SELECT`s and
 * raw statements that start with `select` and take no lock (Kysely's migration lock is a `select
 * pg_advisory_lock(…)` or `select get_lock(…)`, which is recorded instead). A read that fails (a table
 * not created yet) reads as no rows, as it would after the recorded `CREATE TABLE`.
 *
 * @throws Error when `migrate` itself fails (a corrupted migration table, an unsupported dialect)
 *
 * @example
 * ```ts
 * const { migrations } = await previewMigrations(db);
 * for (const { name, statements } of migrations) console.log(`-- ${name}\n${statements.join('\n')}`);
 * ```
 */
export async function previewMigrations(db: Kysely<any>, options: KyselyStorageOptions = {}): Promise<MigrationsPreview> {
  const real = db.withoutPlugins();
  const recorded: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      if (isRead(query)) {
        try {
          return await real.executeQuery<R>(query as CompiledQuery<R>);
        } catch {
          return { rows: [] };
        }
      }
      recorded.push(query);
      return { rows: [], numAffectedRows: 0n };
    },
    streamQuery() {
      throw new Error('previewMigrations: streaming is not supported.');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const executor = real.getExecutor();
  const recorder = new Kysely<any>({
    dialect: {
      createAdapter: () => executor.adapter,
      createDriver: () => driver,
      createQueryCompiler: () => ({ compileQuery: (node, queryId) => executor.compileQuery(node, queryId) }),
      createIntrospector: () => real.introspection,
    },
  });
  try {
    await migrate(recorder, options);
  } finally {
    await recorder.destroy();
  }
  return split(recorded, tableNames(options).migrations);
}

function isRead(query: CompiledQuery): boolean {
  if (query.query.kind === 'SelectQueryNode') return true;
  return query.query.kind === 'RawNode' && /^\s*select\b/i.test(query.sql) && !/lock\s*\(/i.test(query.sql);
}

/**
 * Kysely's Migrator runs each migration's statements, then inserts the migration's row; the statements
 * that touch the migration tables or the lock are its bookkeeping.
 */
function split(recorded: CompiledQuery[], migrationsTable: string): MigrationsPreview {
  const preview: MigrationsPreview = { migrations: [], bookkeeping: [] };
  let current: string[] = [];
  for (const query of recorded) {
    const row = migrationRow(query, migrationsTable);
    if (row !== undefined) {
      preview.migrations.push({ name: row, statements: current });
      current = [];
      preview.bookkeeping.push(render(query));
    } else if (query.sql.includes(migrationsTable) || /lock\s*\(/i.test(query.sql)) {
      preview.bookkeeping.push(render(query));
    } else {
      current.push(render(query));
    }
  }
  return preview;
}

/** The migration name when `query` is the Migrator's insert of a migration's row. */
function migrationRow(query: CompiledQuery, migrationsTable: string): string | undefined {
  if (query.query.kind !== 'InsertQueryNode') return undefined;
  const node = query.query as InsertQueryNode;
  if (node.into?.table.identifier.name !== migrationsTable) return undefined;
  const name = query.parameters[0];
  return typeof name === 'string' ? name : undefined;
}

function render(query: CompiledQuery): string {
  const sql = query.sql.replace(/\s+/g, ' ').trim();
  return query.parameters.length === 0 ? `${sql};` : `${sql}; -- parameters: ${JSON.stringify(query.parameters)}`;
}
