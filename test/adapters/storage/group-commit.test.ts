import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cachedStatements, sqliteGroupCommit } from '../../../src/kysely.js';
import { faultySqlite } from '../../support/faulty-sqlite.js';

/**
 * `sqliteGroupCommit`: the transactions of one turn of the event loop share one COMMIT, and none of them
 * resolves before that COMMIT; a second connection to the file is what sees whether a row is stored.
 */
describe('sqliteGroupCommit', () => {
  let dir: string;
  let file: string;
  let statements: string[];
  let db: Kysely<any>;
  let outside: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
    file = join(dir, 'db.sqlite');
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
    sqlite.exec('CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
    statements = [];
    const cached = cachedStatements(sqlite);
    const counted = { close: () => cached.close(), prepare: (sql: string) => (statements.push(sql), cached.prepare(sql)) };
    db = new Kysely<any>({ dialect: sqliteGroupCommit(new SqliteDialect({ database: counted })) });
    outside = new Database(file, { readonly: true });
  });

  afterEach(async () => {
    outside.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string) => db.transaction().execute((trx) => trx.insertInto('t').values({ name }).execute());
  const storedNames = () => (outside.prepare('SELECT name FROM t ORDER BY name').all() as { name: string }[]).map((row) => row.name);
  const commits = () => statements.filter((sql) => sql === 'commit').length;
  /** A transaction inserting `name`, once its work is done and it waits for its group's COMMIT. */
  const insertDone = async (name: string): Promise<{ pending: Promise<void> }> => {
    let done = false;
    const pending = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name }).execute();
      done = true;
    });
    while (!done) await Promise.resolve();
    return { pending };
  };

  it('makes the transactions of one turn durable with one COMMIT', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => insert(`n${i}`)));
    expect(storedNames()).toHaveLength(10);
    expect(commits()).toBe(1);
    await insert('later');
    expect(commits()).toBe(2);
  });

  it('resolves a transaction only once its COMMIT made it visible to another connection', async () => {
    const { pending } = await insertDone('a');
    let settled = false;
    void pending.then(() => (settled = true));
    // Its work is done and its savepoint released, but nothing is committed: it has not resolved.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(settled).toBe(false);
    expect(storedNames()).toEqual([]);
    await pending;
    expect(storedNames()).toEqual(['a']);
  });

  it('rolls back only the transaction that failed, and commits the others of its group', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'b' }).execute();
      throw new Error('the work failed');
    });
    const results = await Promise.allSettled([insert('a'), failing, insert('c')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(storedNames()).toEqual(['a', 'c']);
    expect(commits()).toBe(1);
  });

  it('rolls back a transaction whose statement failed, and keeps the group usable', async () => {
    await insert('a');
    const duplicate = insert('a');
    const results = await Promise.allSettled([insert('b'), duplicate, insert('c')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(storedNames()).toEqual(['a', 'b', 'c']);
  });

  it('fails every transaction of a group whose COMMIT fails, and stores none of them', async () => {
    // A deferred foreign key is checked at COMMIT only: the group's COMMIT fails for one member's row.
    const orphan = db.transaction().execute((trx) => trx.insertInto('child').values({ parent_id: 42 }).execute());
    const results = await Promise.allSettled([insert('a'), orphan, insert('b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(storedNames()).toEqual([]);
    expect(outside.prepare('SELECT count(*) AS n FROM child').get()).toEqual({ n: 0 });
    // The next group starts clean.
    await insert('c');
    expect(storedNames()).toEqual(['c']);
  });

  it('runs statements outside transactions in turn, each seeing the transactions before it', async () => {
    const [, , row] = await Promise.all([
      insert('a'),
      db.insertInto('t').values({ name: 'b' }).execute(),
      db.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    expect(Number(row.n)).toBe(2);
    expect(storedNames()).toEqual(['a', 'b']);
  });

  it('answers a write outside a transaction only once it is durable, with the group before it', async () => {
    const { pending } = await insertDone('a');
    await db.insertInto('t').values({ name: 'b' }).execute();
    expect(storedNames()).toEqual(['a', 'b']);
    await pending;
  });

  it('runs the transactions of one connection scope each on its own: a rollback after a commit undoes only its work', async () => {
    await db.connection().execute(async (connection) => {
      await connection.transaction().execute((trx) => trx.insertInto('t').values({ name: 'x1' }).execute());
      const failing = connection.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ name: 'x2' }).execute();
        throw new Error('the work failed');
      });
      await expect(failing).rejects.toThrow('the work failed');
      // Another caller takes its turn in between.
      await Promise.all([insert('other'), connection.transaction().execute((trx) => trx.insertInto('t').values({ name: 'x3' }).execute())]);
    });
    expect(storedNames()).toEqual(['other', 'x1', 'x3']);
  });

  it('commits a group while a test fakes the timers', async () => {
    vi.useFakeTimers();
    try {
      await Promise.all([insert('a'), insert('b')]);
    } finally {
      vi.useRealTimers();
    }
    expect(storedNames()).toEqual(['a', 'b']);
  });

  it('commits a waiting group when the instance is destroyed', async () => {
    const { pending } = await insertDone('a');
    await db.destroy();
    await pending;
    expect(storedNames()).toEqual(['a']);
    db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  });

  it('refuses a dialect that is not SQLite', () => {
    expect(() => sqliteGroupCommit(new PostgresDialect({ pool: new pg.Pool() }))).toThrow(TypeError);
  });

  describe('when SQLite rolls the whole transaction back (an I/O error, a full disk)', () => {
    let fault: ReturnType<typeof faultySqlite>;

    beforeEach(async () => {
      await db.destroy();
      fault = faultySqlite(new Database(file));
      db = new Kysely<any>({ dialect: sqliteGroupCommit(new SqliteDialect({ database: fault.database })) });
    });

    it('fails every transaction of a group whose COMMIT failed so, and the next group works', async () => {
      fault.failNext('commit');
      const results = await Promise.allSettled([insert('a'), insert('b')]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/disk I\/O error/);
      expect(storedNames()).toEqual([]);
      await insert('c');
      expect(storedNames()).toEqual(['c']);
    });

    it('fails the group of a statement that failed so: the waiting transactions and the rest of its own', async () => {
      const boom = 'insert into "t" ("name") values (?)';
      const waiting = insert('a');
      const broken = db.transaction().execute(async (trx) => {
        await trx.updateTable('t').set({ name: 'never' }).where('name', '=', 'nothing').execute();
        fault.failNext(boom);
        await trx.insertInto('t').values({ name: 'b' }).execute().catch(() => {});
        // Its transaction is gone: the statements after the failure are refused, not run on their own.
        await trx.insertInto('t').values({ name: 'c' }).execute();
      });
      const results = await Promise.allSettled([waiting, broken]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(storedNames()).toEqual([]);
      await insert('d');
      expect(storedNames()).toEqual(['d']);
    });
  });
});
