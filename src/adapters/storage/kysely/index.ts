import type { Kysely } from 'kysely';
import type { Storage } from '../../../core/ports.js';
import { createAccountRepository } from './accounts.js';
import { createAuditLogRepository } from './audit-log.js';
import { transactRetrying, type StorageContext } from './context.js';
import { unavailableWhenUnreachable } from './errors.js';
import { inspectDialect } from './dialect.js';
import { createGroupRepository } from './groups.js';
import { createJobLeaseRepository } from './job-leases.js';
import { createLoginAttemptRepository } from './login-attempts.js';
import { createOneTimeTokenRepository } from './one-time-tokens.js';
import { createOtpCodeRepository } from './otp-codes.js';
import { createOutboxRepository } from './outbox.js';
import { createRecoveryCodeRepository } from './recovery-codes.js';
import { createRefreshTokenRepository } from './refresh-tokens.js';
import { createSessionRepository } from './sessions.js';
import { createSigningKeyRepository } from './signing-keys.js';
import { tableNames, type KyselyStorageOptions } from './tables.js';
import { createWebAuthnChallengeRepository } from './webauthn-challenges.js';
import { createWebAuthnCredentialRepository } from './webauthn-credentials.js';
import { createWebhookDeliveryRepository } from './webhook-deliveries.js';
import { createWebhookEndpointRepository } from './webhook-endpoints.js';

/**
 * Creates the {@link Storage} port on a Kysely instance the app owns: PostgreSQL (`pg`), MySQL or
 * MariaDB (`mysql2`) or SQLite (`better-sqlite3`), read from the instance's dialect. Create the tables
 * first with `migrate(db, options)`, passing the same `tablePrefix`.
 *
 * Every atomic method of the port is one conditional statement or one transaction, so several app
 * instances can share the database; on PostgreSQL they run at READ COMMITTED even when the app made
 * another level the default. Times are stored as epoch milliseconds and come back exactly,
 * whatever time zone the app's connections use. The instance is used without its plugins: a
 * `CamelCasePlugin` the app installed for its own tables does not rename latchkey's columns. The app
 * keeps the instance: latchkey never destroys it.
 *
 * @param db - The app's Kysely instance (`Kysely<any>`: latchkey's tables need not be in the app's types).
 * @param options - `tablePrefix` (default `latchkey_`).
 * @throws Error for a dialect other than PostgreSQL, MySQL/MariaDB and SQLite, or a prefix that is not
 *   letters, digits and underscores
 *
 * @example
 * ```ts
 * import { Kysely, PostgresDialect } from 'kysely';
 * import pg from 'pg';
 * import { createAuth } from 'latchkey';
 * import { kyselyStorage, migrate } from 'latchkey/kysely';
 *
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString }) }) });
 * await migrate(db);
 * const auth = createAuth({ storage: kyselyStorage(db), secret });
 * ```
 */
export function kyselyStorage(db: Kysely<any>, options: KyselyStorageOptions = {}): Storage {
  return storageOn({ db: db.withoutPlugins(), tables: tableNames(options), dialect: inspectDialect(db) });
}

/** How each repository of a storage is made over its context. */
const repositoryFactories: { [K in keyof Omit<Storage, 'transaction'>]: (ctx: StorageContext) => Storage[K] } = {
  groups: createGroupRepository,
  accounts: createAccountRepository,
  sessions: createSessionRepository,
  refreshTokens: createRefreshTokenRepository,
  loginAttempts: createLoginAttemptRepository,
  auditLog: createAuditLogRepository,
  signingKeys: createSigningKeyRepository,
  oneTimeTokens: createOneTimeTokenRepository,
  recoveryCodes: createRecoveryCodeRepository,
  otpCodes: createOtpCodeRepository,
  webauthnCredentials: createWebAuthnCredentialRepository,
  webauthnChallenges: createWebAuthnChallengeRepository,
  outbox: createOutboxRepository,
  webhookEndpoints: createWebhookEndpointRepository,
  webhookDeliveries: createWebhookDeliveryRepository,
  jobLeases: createJobLeaseRepository,
};

/**
 * The repositories over `ctx.db`: the app's instance, or the transaction of `Storage.transaction`,
 * in which every repository's own transactions run inline (see `transact`). Each repository is made on
 * first use: a transaction's storage is made for every transaction and usually touches two or three.
 */
function storageOn(ctx: StorageContext): Storage {
  const storage = {} as Storage;
  // Once made (or replaced by the app), a repository is a plain writable property, as it always was.
  const settle = (name: string, value: unknown) =>
    Object.defineProperty(storage, name, { value, writable: true, enumerable: true, configurable: true });
  for (const [name, create] of Object.entries(repositoryFactories)) {
    Object.defineProperty(storage, name, {
      enumerable: true,
      configurable: true,
      get() {
        const repository = guarded(create(ctx) as unknown as Record<string, unknown>);
        settle(name, repository);
        return repository;
      },
      set(value: unknown) {
        settle(name, value);
      },
    });
  }
  // On PostgreSQL at READ COMMITTED, like every transaction of the repositories; run again, whole,
  // when the database rolled it back as a deadlock's victim (MySQL's gap locks under concurrent inserts).
  storage.transaction = (fn) =>
    unavailableWhenUnreachable(() => transactRetrying(ctx, (trx) => fn(trx === ctx.db ? storage : storageOn({ ...ctx, db: trx }))));
  return storage;
}

/** `repository` with every method answering `unavailable` when the database is out of reach. */
function guarded(repository: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(repository).map(([name, method]) => [
      name,
      typeof method === 'function'
        ? (...args: unknown[]) => unavailableWhenUnreachable(() => (method as (...a: unknown[]) => Promise<unknown>).apply(repository, args))
        : method,
    ]),
  );
}

export type { KyselyStorageOptions } from './tables.js';
