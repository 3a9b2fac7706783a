import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedStatements, sqliteGroupCommit } from '../../../src/kysely.js';

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

  it('makes the transactions of one turn durable with one COMMIT', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => insert(`n${i}`)));
    expect(storedNames()).toHaveLength(10);
    expect(commits()).toBe(1);
    await insert('later');
    expect(commits()).toBe(2);
  });

  it('resolves a transaction only once its COMMIT made it visible to another connection', async () => {
    let bodyDone = false;
    const pending = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'a' }).execute();
      bodyDone = true;
    });
    let settled = false;
    void pending.then(() => (settled = true));
    while (!bodyDone) await Promise.resolve();
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

  it('commits a waiting group when the instance is destroyed', async () => {
    let bodyDone = false;
    const pending = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'a' }).execute();
      bodyDone = true;
    });
    while (!bodyDone) await Promise.resolve();
    await db.destroy();
    await pending;
    expect(storedNames()).toEqual(['a']);
    db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(file) }) });
  });

  it('refuses a dialect that is not SQLite', () => {
    expect(() => sqliteGroupCommit(new PostgresDialect({ pool: new pg.Pool() }))).toThrow(TypeError);
  });
});
