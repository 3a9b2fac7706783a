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
 * concurrent inserts next to each other in an index deadlock now and then, for unrelated rows.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
