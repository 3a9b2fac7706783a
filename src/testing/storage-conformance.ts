import { afterEach, beforeEach, describe } from 'vitest';
import type { Storage } from '../core/ports.js';
import { describeAccountDeletion } from './storage/account-deletion.js';
import { describeAccountSearch } from './storage/account-search.js';
import { describeAccountWipe } from './storage/account-wipe.js';
import { describeAccounts } from './storage/accounts.js';
import { describeAuditLog } from './storage/audit-log.js';
import { describeConcurrency } from './storage/concurrency.js';
import { describeGroups } from './storage/groups.js';
import type { SuiteContext } from './storage/helpers.js';
import { describeJobLeases } from './storage/job-leases.js';
import { describeLoginAttempts } from './storage/login-attempts.js';
import { describeLoginHistory } from './storage/login-history.js';
import { describeOneTimeTokens } from './storage/one-time-tokens.js';
import { describeOtpCodes } from './storage/otp-codes.js';
import { describeOutbox } from './storage/outbox.js';
import { describeRefreshTokens } from './storage/refresh-tokens.js';
import { describeSessionWithAccount } from './storage/session-with-account.js';
import { describeSessions } from './storage/sessions.js';
import { describeSigningKeys } from './storage/signing-keys.js';
import { describeTransactions } from './storage/transactions.js';
import { describeTwoFactor } from './storage/two-factor.js';
import { describeWebAuthn } from './storage/webauthn.js';
import { describeWebhooks } from './storage/webhooks.js';

/** What {@link runStorageConformance} needs to know about the implementation under test. */
export interface StorageConformanceOptions {
  /** Names the suite in the test report (`memory`, `kysely/postgres` …). */
  name: string;
  /**
   * Called before every test. Returns the storage to test and, optionally, a teardown run after the
   * test. Every record the suite writes has random ids and emails, so a shared database works too.
   */
  setup: () => Promise<{
    /** The storage the test runs against. */
    storage: Storage;
    /** Run after the test, e.g. to drop a schema or close a connection. */
    teardown?: () => Promise<void>;
  }>;
}

/**
 * Registers the storage conformance suite with vitest: every method of every repository of the
 * {@link Storage} port, its exact round-tripping of records, group scoping, a session read with its
 * account (`sessions.findWithAccount`), the cascade of `accounts.delete`, keyset pagination of login
 * attempts, an account's successful addresses and the retention purge of login history, the audit
 * log's pages and bounded purge, the per-account wipes of passkeys, challenges and codes, the
 * single use and retirement of one-time tokens, TOTP replay protection and enrolment, recovery codes
 * kept in step with the account's count, one-time codes with their capped attempts, passkeys with
 * their counter compare-and-set and single-use WebAuthn challenges, and each atomic operation raced by
 * 20 concurrent callers with exactly one winner; `transaction` (commit, rollback, nesting), the outbox's
 * sequence numbers under 20 concurrent appends, webhook endpoints and deliveries, `claimDue` raced by
 * 5 dispatchers with leases that expire, and the background jobs' leases (expiry, renewal, release, and
 * 10 concurrent owners with exactly one holder). The purge tests remove login attempts recorded before
 * 2000 (the suite's own, from an era no other test uses); the webhook tests claim and purge in
 * eras of their own between 1974 and 1979. Call it at the top level of a test file.
 *
 * @example
 * ```ts
 * // test/adapters/storage/memory.test.ts
 * import { memoryStorage } from 'latchkey/memory';
 * import { runStorageConformance } from 'latchkey/testing';
 *
 * runStorageConformance({ name: 'memory', setup: async () => ({ storage: memoryStorage() }) });
 * ```
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  const { name, setup } = options;

  describe(`Storage conformance: ${name}`, () => {
    let current: Awaited<ReturnType<StorageConformanceOptions['setup']>> | undefined;
    const ctx: SuiteContext = {
      get storage(): Storage {
        if (!current) throw new Error('runStorageConformance: no storage outside a test.');
        return current.storage;
      },
    };

    beforeEach(async () => {
      current = await setup();
    });

    afterEach(async () => {
      const done = current;
      current = undefined;
      await done?.teardown?.();
    });

    describeGroups(ctx);
    describeAccounts(ctx);
    describeAccountDeletion(ctx);
    describeAccountSearch(ctx);
    describeSessions(ctx);
    describeSessionWithAccount(ctx);
    describeRefreshTokens(ctx);
    describeLoginAttempts(ctx);
    describeLoginHistory(ctx);
    describeAuditLog(ctx);
    describeSigningKeys(ctx);
    describeOneTimeTokens(ctx);
    describeTwoFactor(ctx);
    describeOtpCodes(ctx);
    describeWebAuthn(ctx);
    describeAccountWipe(ctx);
    describeConcurrency(ctx);
    describeTransactions(ctx);
    describeOutbox(ctx);
    describeWebhooks(ctx);
    describeJobLeases(ctx);
  });
}
