import { AuthError } from '../../../core/errors.js';

/** The fields the three drivers put on a unique-violation error. */
interface DriverError {
  /** pg: SQLSTATE `23505`; mysql2: `ER_DUP_ENTRY`; better-sqlite3: `SQLITE_CONSTRAINT_UNIQUE` … */
  code?: unknown;
  /** mysql2: `1062`. */
  errno?: unknown;
}

const UNIQUE_VIOLATION_CODES = new Set([
  '23505', // PostgreSQL unique_violation
  'ER_DUP_ENTRY', // MySQL, MariaDB
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

/** True when `error` is a driver's report of a duplicate primary key or unique index entry. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as DriverError;
  return (typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code)) || errno === 1062;
}

/**
 * Runs `write`, turning a unique violation into `AuthError('conflict', message)`; other errors pass
 * through. The driver error is not attached as `cause`: its text quotes the duplicate key (an email),
 * and latchkey's errors travel to logs.
 */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AuthError('conflict', message);
    throw error;
  }
}

/** True when the database chose this transaction as a deadlock's victim (MySQL 1213, PostgreSQL 40P01). */
export function isDeadlock(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as DriverError;
  return code === 'ER_LOCK_DEADLOCK' || code === '40P01' || errno === 1213;
}

/**
 * Runs a transaction again (up to `attempts` times in all) when the database rolled it back as a
 * deadlock's victim: nothing of it was kept, so running it again is safe. InnoDB's gap locks make
 * concurrent inserts next to each other in an index deadlock now and then, for unrelated rows, and
 * transactions that append to one group's event sequence meet there too. Each wait doubles (a random
 * part of 5, 10, 20 … 320 ms, at most 635 ms in all), so that the transactions that collided stop
 * meeting. Measured on MariaDB with accounts imported 8 at a time: four attempts left 3 rows of 6,000
 * failed, eight none of 12,000.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** (attempt - 1)));
    }
  }
}

const UNREACHABLE_CODES = new Set([
  // Node's sockets, for every driver.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: the server shutting down or starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // MySQL, MariaDB.
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  // SQLite: another process holds the database.
  'SQLITE_BUSY',
]);

/** MySQL client errors: cannot connect, host error, server gone, server lost. */
const UNREACHABLE_ERRNOS = new Set([1053, 2002, 2003, 2006, 2013]);

/** What pg says when the server closed the connection under it, or the pool could not open one. */
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /connection error and is not queryable/,
  /Can't add new command when connection is in closed state/,
];

/**
 * True when `error` says the database could not be reached or dropped the connection (refused,
 * reset, shut down, restarting, out of connections, a PostgreSQL connection exception, SQLite busy):
 * a fault that passes, unlike a wrong statement.
 */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as DriverError;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08/.test(code))) return true;
  if (typeof errno === 'number' && UNREACHABLE_ERRNOS.has(errno)) return true;
  const message = error instanceof Error ? error.message : '';
  return UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** Seconds a caller is asked to wait (`Retry-After`) when the database is out of reach. */
export const UNREACHABLE_RETRY_AFTER = 5;

/**
 * Runs `call`, turning a database that is out of reach into `AuthError('unavailable')` (HTTP 503 with
 * `Retry-After`): a request during a restart or a dropped connection is told to come back, never
 * answered 500. The driver error is not attached: its text may carry the connection string.
 */
export async function unavailableWhenUnreachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isUnreachable(error)) {
      throw new AuthError('unavailable', 'The database is not reachable; try again shortly.', { retryAfter: UNREACHABLE_RETRY_AFTER });
    }
    throw error;
  }
}
