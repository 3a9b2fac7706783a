import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { dialectOf } from './dialect.js';

/** The savepoint each transaction of a group runs under, inside the group's one `BEGIN … COMMIT`. */
const MEMBER = 'latchkey_group_commit';

// Captured once: a test's fake timers must not hold a COMMIT back.
const afterIo: (run: () => void) => void = globalThis.setImmediate
  ? (run) => void globalThis.setImmediate(run)
  : (run) => void setTimeout(run, 0);

/**
 * Group commit for SQLite: wraps a single-connection dialect (Kysely's `SqliteDialect`) so that the
 * transactions that finish in one turn of the event loop are made durable by one COMMIT, and so one
 * sync of the write-ahead log to disk, instead of one each. Under `PRAGMA synchronous = FULL` (SQLite's
 * default) that sync is most of what a small write transaction costs, and better-sqlite3 waits for it on
 * the event loop.
 *
 * What stays the same:
 * - a transaction's commit resolves only after the COMMIT that made it durable; when that COMMIT fails,
 *   every transaction of the group fails with its error and none of them is stored;
 * - each transaction is atomic on its own: it runs under a savepoint of the group's transaction, and its
 *   rollback (its error, a failed statement) undoes its work only;
 * - transactions still run one at a time on the one connection, each seeing the ones before it.
 *
 * What changes: a statement outside a transaction that runs while a group waits for its COMMIT (until
 * the event loop's next check phase) sees the group's writes before they are durable. Those writes
 * reach disk unless the COMMIT fails (the disk is full or failing); then whatever that read answered
 * was never stored.
 *
 * @throws TypeError for a dialect that is not SQLite
 * @example
 * ```ts
 * const sqlite = new Database('data/app.sqlite')
 * sqlite.pragma('journal_mode = WAL')
 * const db = new Kysely<any>({
 *   dialect: sqliteGroupCommit(new SqliteDialect({ database: cachedStatements(sqlite) })),
 * })
 * ```
 */
export function sqliteGroupCommit(dialect: Dialect): Dialect {
  // Another database runs its own group commit, on a pool this would serialize.
  if (dialectOf(dialect.createAdapter()) !== 'sqlite') {
    throw new TypeError('sqliteGroupCommit: the dialect is not SQLite (Kysely\'s SqliteDialect or one built on it)');
  }
  return {
    createDriver: () => new GroupCommitDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** A caller's turn on the one connection; `handedBack` once its transaction waits for the group's COMMIT. */
class Lease implements DatabaseConnection {
  handedBack = false;

  constructor(private readonly connection: DatabaseConnection) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.connection.executeQuery(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery(query, chunkSize);
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Holds the inner driver's one connection and hands it out in turns (first come, first served). The
 * first transaction of a group opens the group's `BEGIN`; each transaction runs under the savepoint
 * {@link MEMBER} and, once it is done, releases the savepoint, hands the connection on and waits; after
 * the event loop's I/O, one `COMMIT` settles every waiting transaction.
 */
class GroupCommitDriver implements Driver {
  readonly #inner: Driver;
  readonly #turns = new Turns();
  #connection: DatabaseConnection | undefined;
  /** The group's `BEGIN` is open. */
  #open = false;
  #waiting: Waiter[] = [];
  #commitPlanned = false;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  async init(): Promise<void> {
    await this.#inner.init();
    // Held until destroy: the turns here replace the inner driver's mutex.
    this.#connection = await this.#inner.acquireConnection();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#turns.take();
    return new Lease(this.#connection!);
  }

  async beginTransaction(lease: DatabaseConnection): Promise<void> {
    if (!this.#open) {
      await run(lease, 'begin');
      this.#open = true;
    }
    await run(lease, `savepoint ${MEMBER}`);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    await run(lease, `release ${MEMBER}`);
    const durable = new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#planCommit();
    lease.handedBack = true;
    this.#turns.pass();
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // Its group's COMMIT failed: the whole group is rolled back already.
    if (lease.handedBack) return;
    try {
      await run(lease, `rollback to ${MEMBER}`);
      await run(lease, `release ${MEMBER}`);
    } catch (error) {
      // SQLite rolled the group's transaction back itself (an I/O error, a full disk): the transactions
      // waiting in it are lost with it.
      await this.#abandonGroup(lease, error);
      throw error;
    }
    if (this.#waiting.length === 0) {
      await run(lease, 'rollback');
      this.#open = false;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection as Lease).handedBack) this.#turns.pass();
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(connection, name, compile);
  }

  async destroy(): Promise<void> {
    await this.#turns.take();
    try {
      if (this.#connection) {
        await this.#commitGroup(this.#connection);
        await this.#inner.releaseConnection(this.#connection);
      }
      await this.#inner.destroy();
    } finally {
      this.#connection = undefined;
      this.#turns.pass();
    }
  }

  #planCommit(): void {
    if (this.#commitPlanned) return;
    this.#commitPlanned = true;
    afterIo(() => {
      void this.#turns.take().then(async () => {
        this.#commitPlanned = false;
        try {
          if (this.#connection) await this.#commitGroup(this.#connection);
        } finally {
          this.#turns.pass();
        }
      });
    });
  }

  /** COMMITs the group and settles its transactions; call in a turn. */
  async #commitGroup(connection: DatabaseConnection): Promise<void> {
    if (!this.#open) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#open = false;
    try {
      await run(connection, 'commit');
    } catch (error) {
      await run(connection, 'rollback').catch(() => {});
      for (const waiter of waiting) waiter.reject(error);
      return;
    }
    for (const waiter of waiting) waiter.resolve();
  }

  async #abandonGroup(connection: DatabaseConnection, error: unknown): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#open = false;
    await run(connection, 'rollback').catch(() => {});
    for (const waiter of waiting) waiter.reject(error);
  }
}

function run(connection: DatabaseConnection, statement: string): Promise<unknown> {
  return connection.executeQuery(CompiledQuery.raw(statement));
}

/** One holder at a time, the others served in the order they asked. */
class Turns {
  #held = false;
  readonly #queue: Array<() => void> = [];

  take(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  pass(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#held = false;
  }
}
