import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrate, planMigrations } from '../../../src/kysely.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';

const ALL = [
  '0001-initial',
  '0002-one-time-tokens',
  '0003-two-factor',
  '0004-passkeys',
  '0005-webauthn-challenge-expiry',
  '0006-login-attempt-retention',
  '0007-audit-log',
  '0008-account-search',
  '0009-login-attempt-actor',
  '0010-group-settings',
  '0011-name-search-covering',
  '0012-webhooks',
  '0013-job-leases',
];

/** An index as the catalog describes it: its table, its columns in order, and whether it is unique. */
interface IndexInfo {
  table: string;
  columns: string[];
  unique: boolean;
}

/** Every index (primary keys and unique constraints included) of the tables in the current schema. */
async function listIndexes(database: TestDatabase): Promise<IndexInfo[]> {
  const { db, dialect } = database;
  if (dialect === 'sqlite') return listSqliteIndexes(db);
  const query =
    dialect === 'postgres'
      ? sql<{ table: string; columns: string[]; unique: boolean }>`
          select t.relname as "table", ix.indisunique as "unique",
                 array_agg(a.attname::text order by k.ord) as "columns"
          from pg_index ix
          join pg_class t on t.oid = ix.indrelid
          join pg_namespace n on n.oid = t.relnamespace
          cross join lateral unnest(ix.indkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
          where n.nspname = current_schema()
          group by t.relname, ix.indexrelid, ix.indisunique`
      : sql<{ table: string; columns: string; unique: number }>`
          select table_name as \`table\`, min(non_unique) = 0 as \`unique\`,
                 group_concat(column_name order by seq_in_index separator ',') as \`columns\`
          from information_schema.statistics
          where table_schema = database()
          group by table_name, index_name`;
  const { rows } = await query.execute(db);
  return rows.map((row) => ({
    table: row.table,
    columns: Array.isArray(row.columns) ? row.columns : row.columns.split(','),
    unique: Boolean(Number(row.unique)),
  }));
}

async function listSqliteIndexes(db: Kysely<any>): Promise<IndexInfo[]> {
  const { rows: tables } = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
  const indexes: IndexInfo[] = [];
  for (const { name: table } of tables) {
    const { rows } = await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${table})`.execute(db);
    for (const index of rows) {
      const { rows: columns } = await sql<{ name: string }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      indexes.push({ table, columns: columns.map((c) => c.name), unique: index.unique === 1 });
    }
  }
  return indexes;
}

/**
 * The names of the tables in the test database. Kysely's PostgreSQL introspection lists every schema,
 * including those of test files running at the same time, so only the current schema's are kept.
 */
async function listTables(database: TestDatabase): Promise<string[]> {
  const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
  if (database.dialect !== 'postgres') return tables.map((t) => t.name);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  return tables.filter((t) => t.schema === rows[0]?.schema).map((t) => t.name);
}

/** The lookups the core makes, each of which must be served by an index of exactly these columns. */
function expectedIndexes(prefix: string, dialect: TestDatabase['dialect']): IndexInfo[] {
  const index = (table: string, columns: string[], unique: boolean): IndexInfo => ({ table: `${prefix}${table}`, columns, unique });
  // Name prefixes in email order are read from the index alone (migration 0011), except on MySQL.
  const covering = dialect === 'mysql' ? [] : ['email', 'id'];
  return [
    index('groups', ['id'], true),
    index('accounts', ['group_id', 'id'], true),
    index('accounts', ['group_id', 'email'], true),
    index('accounts', ['status', 'deleted_at', 'id'], false),
    index('accounts', ['group_id', 'first_name_search', ...covering], false),
    index('accounts', ['group_id', 'last_name_search', ...covering], false),
    index('accounts', ['group_id', 'created_at', 'id'], false),
    index('accounts', ['group_id', 'email_domain', 'created_at', 'id'], false),
    index('accounts', ['group_id', 'status', 'created_at', 'id'], false),
    index('sessions', ['group_id', 'id'], true),
    index('sessions', ['group_id', 'account_id', 'created_at', 'id'], false),
    index('refresh_tokens', ['hash'], true),
    index('refresh_tokens', ['group_id', 'session_id'], false),
    index('login_attempts', ['group_id', 'id'], true),
    index('login_attempts', ['group_id', 'account_id', 'attempted_at', 'id'], false),
    index('login_attempts', ['attempted_at'], false),
    index('login_attempts', ['account_id', 'attempted_at'], false),
    index('audit_log', ['group_id', 'id'], true),
    index('audit_log', ['group_id', 'occurred_at', 'id'], false),
    index('audit_log', ['occurred_at'], false),
    index('signing_keys', ['id'], true),
    index('signing_keys', ['group_id', 'generation'], true),
    index('one_time_tokens', ['hash'], true),
    index('one_time_tokens', ['group_id', 'account_id', 'purpose'], false),
    index('recovery_codes', ['group_id', 'account_id', 'hash'], true),
    index('otp_codes', ['group_id', 'account_id', 'channel', 'purpose'], true),
    index('webauthn_credentials', ['group_id', 'id_hash'], true),
    index('webauthn_credentials', ['group_id', 'account_id', 'created_at'], false),
    index('webauthn_challenges', ['hash'], true),
    index('webauthn_challenges', ['group_id', 'account_id'], false),
    index('webauthn_challenges', ['expires_at'], false),
    index('outbox_sequences', ['group_id'], true),
    index('outbox_events', ['group_id', 'id'], true),
    index('outbox_events', ['group_id', 'sequence'], true),
    index('outbox_events', ['group_id', 'event', 'sequence'], false),
    index('outbox_events', ['occurred_at'], false),
    index('webhook_endpoints', ['group_id', 'id'], true),
    index('webhook_deliveries', ['group_id', 'id'], true),
    index('webhook_deliveries', ['status', 'next_attempt_at'], false),
    index('webhook_deliveries', ['group_id', 'endpoint_id', 'created_at', 'id'], false),
    index('webhook_deliveries', ['group_id', 'event_id'], false),
    index('webhook_attempts', ['group_id', 'id'], true),
    index('webhook_attempts', ['group_id', 'delivery_id', 'attempted_at'], false),
    index('job_leases', ['name'], true),
  ];
}

const stores: { name: string; service: ServiceName | null; open: () => Promise<TestDatabase> }[] = [
  { name: 'sqlite', service: null, open: () => sqliteTestDatabase() },
  { name: 'postgres', service: 'postgres', open: () => pgTestDatabase() },
  { name: 'mysql', service: 'mysql', open: () => mysqlTestDatabase() },
];

for (const store of stores) {
  await describeWithService(store.service, `kysely migrations: ${store.name}`, () => {
    let database: TestDatabase;

    beforeEach(async () => {
      database = await store.open();
    });

    afterEach(async () => {
      await database?.destroy();
    });

    it('plans every migration on an empty database, without creating anything', async () => {
      expect(await planMigrations(database.db)).toStrictEqual({ pending: ALL, applied: [] });
      expect(await listTables(database)).toStrictEqual([]);
    });

    it('runs once: a second migrate does nothing and the plan is empty', async () => {
      expect(await migrate(database.db)).toStrictEqual({ applied: ALL });
      expect(await migrate(database.db)).toStrictEqual({ applied: [] });
      expect(await planMigrations(database.db)).toStrictEqual({ pending: [], applied: ALL });
    });

    it('runs each migration once when several instances migrate at the same time', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => migrate(database.db)));
      expect(results.flatMap((r) => r.applied)).toStrictEqual(ALL);
    });

    it('creates an index for every lookup the core makes', async () => {
      await migrate(database.db);
      const indexes = await listIndexes(database);
      for (const expected of expectedIndexes('latchkey_', database.dialect)) {
        const found = indexes.filter((i) => i.table === expected.table && i.columns.join() === expected.columns.join());
        expect(found, `${expected.table} (${expected.columns.join(', ')})`).not.toHaveLength(0);
        if (expected.unique) expect(found.some((i) => i.unique), `${expected.table} (${expected.columns.join(', ')}) unique`).toBe(true);
      }
    });

    it('keeps two prefixes apart in one database, migration bookkeeping included', async () => {
      await migrate(database.db);
      expect(await planMigrations(database.db, { tablePrefix: 'other_' })).toStrictEqual({ pending: ALL, applied: [] });
      expect(await migrate(database.db, { tablePrefix: 'other_' })).toStrictEqual({ applied: ALL });
      const tables = await listTables(database);
      for (const prefix of ['latchkey_', 'other_']) {
        for (const name of [
          'groups',
          'accounts',
          'sessions',
          'refresh_tokens',
          'login_attempts',
          'audit_log',
          'signing_keys',
          'one_time_tokens',
          'recovery_codes',
          'otp_codes',
          'webauthn_credentials',
          'webauthn_challenges',
          'outbox_events',
          'outbox_sequences',
          'webhook_endpoints',
          'webhook_deliveries',
          'webhook_attempts',
          'job_leases',
          'migrations',
          'migrations_lock',
        ]) {
          expect(tables).toContain(`${prefix}${name}`);
        }
      }
      const indexes = await listIndexes(database);
      const others = indexes.filter((i) => i.table.startsWith('other_') && !i.table.startsWith('other_migrations'));
      expect(others).toHaveLength(expectedIndexes('other_', database.dialect).length);
    });

    it('refuses a prefix that could not be used unquoted', async () => {
      await expect(migrate(database.db, { tablePrefix: 'bad-prefix;' })).rejects.toThrow(/tablePrefix/);
    });
  });
}
