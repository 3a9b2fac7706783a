/**
 * The PostgreSQL databases of the bench, and 1,000,000 accounts made directly with SQL: each a copy of a
 * real account (signed up through the API, so every column, the password hash included, has the shape
 * latchkey writes), with its own id, email and times, and with the rows a signed-in account has: one
 * session, its refresh token and one login-history entry. Password hashes are all the real account's,
 * so any seeded account signs in with the bench password.
 */
import pg from 'pg';
import { ratePerSecond } from './rate.js';

/** The server the bench creates its databases on (trust auth, a superuser). */
export const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Drops (closing their connections) and creates each database: every run starts empty. */
export async function recreateDatabases(names: string[]): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (const name of names) {
      await client.query(`drop database if exists ${name} with (force)`);
      await client.query(`create database ${name}`);
    }
  });
}

export async function dropDatabases(names: string[]): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (const name of names) await client.query(`drop database if exists ${name} with (force)`);
  });
}

export const seededEmail = (n: number): string => `seed-${n}@bench.test`;

/** SQL for the seeded rows' ids: the shape of latchkey's (`acc_` and 26 characters), below every real one. */
const seedId = (prefix: string) => `'${prefix}_' || lpad(n::text, 26, '0')`;
/** One minute further back per account: creation times spread over the last two years. */
const back = (column: string) => `t.${column} - n::bigint * 60000`;

export interface Seeded {
  /** Rows added per table. */
  rows: Record<string, number>;
  seconds: number;
}

/**
 * Adds `count` accounts to the group of the account `templateEmail`, copied from it, each with a copy of
 * one of its sessions, one of that session's live refresh tokens and one of its login-history entries;
 * then VACUUM ANALYZE (fresh statistics and visibility map, as autovacuum would leave a table this
 * size) and a CHECKPOINT, so that neither lands inside a measurement.
 *
 * Foreign-key triggers are off while copying (`session_replication_role = replica`): the copies are
 * consistent by construction, and a million trigger calls per table would double the time.
 */
export async function seedAccounts(url: string, templateEmail: string, count: number, log: (message: string) => void = () => {}): Promise<Seeded> {
  const started = performance.now();
  return withClient(url, async (client) => {
    const { rows: found } = await client.query<{ group_id: string; id: string }>(
      'select group_id, id from latchkey_accounts where email = $1',
      [templateEmail],
    );
    const template = found[0];
    if (!template) throw new Error(`seed: no account ${templateEmail}`);
    const ofTemplate = 'group_id = $1 and account_id = $2';
    const columnsOf = async (table: string) =>
      (
        await client.query<{ column_name: string }>(
          `select column_name from information_schema.columns
           where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
          [table],
        )
      ).rows.map((r) => r.column_name);
    /**
     * One INSERT … SELECT: the first row `where` finds ($1 the group, $2 the account), crossed with
     * generate_series, every column copied but those in `set`.
     */
    const copy = async (table: string, where: string, set: Record<string, string>) => {
      const columns = await columnsOf(table);
      const values = columns.map((c) => set[c] ?? `t.${c}`);
      const { rowCount } = await client.query(
        `insert into ${table} (${columns.join(', ')})
         select ${values.join(', ')}
         from (select * from ${table} where ${where} limit 1) t cross join generate_series(1, $3::int) n`,
        [template.group_id, template.id, count],
      );
      if (rowCount !== count) throw new Error(`seed: ${table} got ${rowCount} rows, not ${count} (no template row?)`);
      log(`seeded ${table} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      return rowCount;
    };

    await client.query(`set session_replication_role = replica`);
    await client.query(`set maintenance_work_mem = '256MB'`);
    const rows: Record<string, number> = {};
    rows.latchkey_accounts = await copy('latchkey_accounts', 'group_id = $1 and id = $2', {
      id: seedId('acc'),
      email: `'seed-' || n || '@bench.test'`,
      created_at: back('created_at'),
      updated_at: back('updated_at'),
      email_added_at: back('email_added_at'),
      status_changed_at: back('status_changed_at'),
    });
    rows.latchkey_sessions = await copy('latchkey_sessions', `${ofTemplate} and revoked_at is null`, {
      id: seedId('ses'),
      account_id: seedId('acc'),
      created_at: back('created_at'),
    });
    rows.latchkey_refresh_tokens = await copy('latchkey_refresh_tokens', `${ofTemplate} and rotated_at is null`, {
      // SHA-256, base64url, as latchkey stores a refresh token: random-looking keys all over the index.
      hash: `rtrim(translate(encode(sha256(('seed-token-' || n)::bytea), 'base64'), '+/', '-_'), '=')`,
      session_id: seedId('ses'),
      account_id: seedId('acc'),
      created_at: back('created_at'),
    });
    rows.latchkey_login_attempts = await copy('latchkey_login_attempts', `${ofTemplate} and success`, {
      id: seedId('lgn'),
      account_id: seedId('acc'),
      email: `'seed-' || n || '@bench.test'`,
      attempted_at: back('attempted_at'),
    });
    await client.query(`set session_replication_role = origin`);
    await client.query(`vacuum (analyze) ${Object.keys(rows).join(', ')}`);
    log(`vacuum analyze done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    await client.query('checkpoint');
    return { rows, seconds: (performance.now() - started) / 1000 };
  });
}

/**
 * Write transactions per second on PostgreSQL from a pool of `inFlight` connections: one INSERT of a
 * refresh-token-sized row each, committed on its own (fsync'd, as the server is configured). A refresh
 * must write at least once, so this bounds refreshes per second the way sqliteWriteFloor does on SQLite.
 */
export async function postgresWriteFloor(url: string, seconds: number, inFlight = 8): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: inFlight });
  try {
    await pool.query('create table if not exists bench_write_floor (hash text primary key, session_id text not null, created_at bigint not null)');
    const write = () =>
      pool.query('insert into bench_write_floor (hash, session_id, created_at) values ($1, $2, $3)', [
        crypto.randomUUID() + crypto.randomUUID(),
        'ses_0123456789abcdef',
        Date.now(),
      ]);
    for (let i = 0; i < 50; i++) await write();
    return await ratePerSecond(seconds, inFlight, () => write());
  } finally {
    await pool.end();
  }
}
