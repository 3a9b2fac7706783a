// The driver behind `sqliteGroupCommit` (group-commit.ts): its turns, its groups and their COMMIT.
import {
  CompiledQuery,
  SelectQueryNode,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { Turns } from './turns.js';

/** The savepoint each transaction of a group runs under, inside the group's one `BEGIN … COMMIT`. */
const MEMBER = 'latchkey_group_commit';

// Taken when the module loads: a test's fake timers must not hold a COMMIT back.
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const afterIo = (run: () => void): void => {
  if (realSetImmediate) realSetImmediate(run);
  else realSetTimeout(run, 0);
};

/** What a {@link Lease} asks of its driver. */
interface LeaseOwner {
  execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>>;
  stream<R>(lease: Lease, query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>>;
}

/** One caller's use of the one connection, from `acquireConnection` to `releaseConnection`. */
class Lease implements DatabaseConnection {
  /** It holds the turn: false once its transaction handed the connection on to wait for the COMMIT. */
  holdsTurn = true;
  /** The group its transaction runs in; null outside a transaction. */
  member: number | null = null;
  /** Its last transaction handed the connection on and waits for (or lost) its group's COMMIT. */
  handedBack = false;

  constructor(private readonly owner: LeaseOwner) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.owner.execute(this, query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.owner.stream(this, query, chunkSize);
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Holds the inner driver's one connection and hands it out in turns. The first transaction of a group
 * opens the group's `BEGIN IMMEDIATE`; each transaction runs under the savepoint {@link MEMBER} and,
 * once it is done, releases the savepoint, hands the connection on and waits; after the event loop's
 * I/O, one `COMMIT` settles every waiting transaction.
 */
export class GroupCommitDriver implements Driver, LeaseOwner {
  readonly #inner: Driver;
  readonly #turns = new Turns();
  #connection: DatabaseConnection | undefined;
  /** The group's transaction is open. */
  #open = false;
  /** The open group's number: a transaction of an earlier group was rolled back with it. */
  #group = 0;
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
    if (!this.#connection) {
      this.#turns.pass();
      throw new Error('latchkey: the SQLite connection was closed (Kysely destroy)');
    }
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = await this.#hold(connection as Lease);
    if (!this.#open) {
      // IMMEDIATE: the group writes from its start, so no later member meets another process's newer
      // snapshot (SQLITE_BUSY_SNAPSHOT) after an earlier member only read.
      await this.#run('begin immediate');
      this.#open = true;
      this.#group++;
    }
    try {
      await this.#run(`savepoint ${MEMBER}`);
    } catch (error) {
      await this.#abandonGroup(error);
      throw error;
    }
    lease.member = this.#group;
    lease.handedBack = false;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    this.#assertAlive(lease);
    await this.#run(`release ${MEMBER}`);
    const durable = new Promise<void>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    lease.member = null;
    lease.handedBack = true;
    this.#planCommit();
    lease.holdsTurn = false;
    this.#turns.pass();
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.handedBack) {
      // Its group's COMMIT failed: the whole group is rolled back already.
      lease.handedBack = false;
      return;
    }
    const group = lease.member;
    lease.member = null;
    // Rolled back with its group already (a statement that failed the whole transaction).
    if (group === null || !this.#open || group !== this.#group) return;
    try {
      await this.#run(`rollback to ${MEMBER}`);
      await this.#run(`release ${MEMBER}`);
    } catch (error) {
      // SQLite rolled the group's transaction back itself: the transactions waiting in it are lost too.
      await this.#abandonGroup(error);
      return;
    }
    if (this.#waiting.length > 0) return;
    this.#open = false;
    await this.#run('rollback').catch(() => {});
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (!lease.holdsTurn) return;
    lease.holdsTurn = false;
    this.#turns.pass();
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
    const connection = this.#connection;
    this.#connection = undefined;
    try {
      if (connection) {
        await this.#commitGroup(connection);
        await this.#inner.releaseConnection(connection);
        await this.#inner.destroy();
      }
    } finally {
      this.#turns.pass();
    }
  }

  async execute<R>(lease: Lease, query: CompiledQuery): Promise<QueryResult<R>> {
    const connection = await this.#prepare(lease, query);
    try {
      return await connection.executeQuery<R>(query);
    } catch (error) {
      if (this.#open && endsTransaction(error)) await this.#abandonGroup(error);
      throw error;
    }
  }

  async *stream<R>(lease: Lease, query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const connection = await this.#prepare(lease, query);
    yield* connection.streamQuery<R>(query, chunkSize);
  }

  /** Before a statement: the lease's turn, its transaction still alive, and a write outside one durable. */
  async #prepare(lease: Lease, query: CompiledQuery): Promise<DatabaseConnection> {
    await this.#hold(lease);
    this.#assertAlive(lease);
    const connection = this.#connection;
    if (!connection) throw new Error('latchkey: the SQLite connection was closed (Kysely destroy)');
    // A write outside a transaction is answered as done: the group it would join commits first.
    if (lease.member === null && this.#open && !SelectQueryNode.is(query.query)) await this.#commitGroup(connection);
    return connection;
  }

  /** A lease that handed its turn on (its transaction waits for the COMMIT) takes one again to go on. */
  async #hold(lease: Lease): Promise<Lease> {
    if (!lease.holdsTurn) {
      await this.#turns.take();
      lease.holdsTurn = true;
    }
    return lease;
  }

  #assertAlive(lease: Lease): void {
    if (lease.member !== null && (!this.#open || lease.member !== this.#group)) {
      throw new Error('latchkey: the transaction was rolled back: a statement failed the whole SQLite transaction');
    }
  }

  #planCommit(): void {
    if (this.#commitPlanned) return;
    this.#commitPlanned = true;
    afterIo(() => {
      // First in line: it waits for the connection's current holder only.
      void this.#turns.takeFirst().then(async () => {
        this.#commitPlanned = false;
        try {
          if (this.#connection) await this.#commitGroup(this.#connection);
        } finally {
          this.#turns.pass();
        }
      });
    });
  }

  /** COMMITs the group and settles its transactions; call in a turn. Never throws. */
  async #commitGroup(connection: DatabaseConnection): Promise<void> {
    if (!this.#open) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#open = false;
    try {
      await runOn(connection, 'commit');
    } catch (error) {
      // A failed COMMIT may leave the transaction open (SQLITE_BUSY) or have rolled it back already.
      await runOn(connection, 'rollback').catch(() => {});
      for (const waiter of waiting) waiter.reject(error);
      return;
    }
    for (const waiter of waiting) waiter.resolve();
  }

  /** Rolls the group back (if SQLite has not) and fails the transactions waiting in it. Never throws. */
  async #abandonGroup(error: unknown): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#open = false;
    await this.#run('rollback').catch(() => {});
    for (const waiter of waiting) waiter.reject(error);
  }

  /** A statement of the driver's own, on the connection. */
  async #run(statement: string): Promise<QueryResult<unknown>> {
    const connection = this.#connection;
    if (!connection) throw new Error('latchkey: the SQLite connection was closed (Kysely destroy)');
    return runOn(connection, statement);
  }
}

/** Runs `statement`; async, so that a connection that throws at once (Kysely's SQLite one does) still rejects. */
async function runOn(connection: DatabaseConnection, statement: string): Promise<QueryResult<unknown>> {
  return await connection.executeQuery(CompiledQuery.raw(statement));
}

/**
 * Errors after which SQLite has rolled back the whole transaction, not just the statement: a full disk,
 * an I/O error, no memory, an interrupt, a corrupt file (https://www.sqlite.org/lang_transaction.html).
 */
function endsTransaction(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|NOMEM|INTERRUPT|CORRUPT)/.test(code);
}
