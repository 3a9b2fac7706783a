import Database from 'better-sqlite3';

/** A SQLite file opened the way both bench servers open theirs: WAL, foreign keys on. */
export function openSqlite(file: string): Database.Database {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}
