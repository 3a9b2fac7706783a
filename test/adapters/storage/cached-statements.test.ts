import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cachedStatements } from '../../../src/kysely.js';

function database() {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  sqlite.exec("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  return sqlite;
}

describe('cachedStatements', () => {
  it('compiles each SQL text once and runs it with new parameters each time', () => {
    const db = cachedStatements(database());
    const first = db.prepare('SELECT name FROM t WHERE id = ?');
    expect(db.prepare('SELECT name FROM t WHERE id = ?')).toBe(first);
    expect(first.all([1])).toEqual([{ name: 'a' }]);
    expect(db.prepare('SELECT name FROM t WHERE id = ?').all([3])).toEqual([{ name: 'c' }]);
    db.close();
  });

  it('drops the least recently used statement beyond max', () => {
    const db = cachedStatements(database(), { max: 2 });
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a); // now the most recent
    db.prepare('SELECT 3'); // evicts SELECT 2
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
    expect(() => cachedStatements(database(), { max: 0 })).toThrow(RangeError);
  });

  it('gives a query a fresh statement while the cached one is still being iterated', () => {
    const db = cachedStatements(database());
    const sql = 'SELECT id FROM t WHERE id >= ? ORDER BY id';
    const seen: unknown[] = [];
    for (const row of db.prepare(sql).iterate([1]) as Iterable<{ id: number }>) {
      seen.push([row.id, db.prepare(sql).all([row.id]).length]);
    }
    expect(seen).toEqual([[1, 3], [2, 2], [3, 1]]);
  });

  it('serves Kysely queries and streams unchanged', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachedStatements(database()) }) });
    for (const id of [1, 2, 1]) {
      const row = await db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirst();
      expect(row?.name).toBe(id === 1 ? 'a' : 'b');
    }
    const { numUpdatedRows } = await db.updateTable('t').set({ name: 'z' }).where('id', '=', 3).executeTakeFirstOrThrow();
    expect(numUpdatedRows).toBe(1n);
    const streamed: string[] = [];
    for await (const row of db.selectFrom('t').select('name').orderBy('id').stream()) streamed.push(row.name);
    expect(streamed).toEqual(['a', 'b', 'z']);
    await db.destroy();
  });
});
