import { CamelCasePlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/core/ports.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { runStorageConformance } from '../../../src/testing/index.js';
import { firstTokenOf, seedGroup } from '../../../src/testing/storage/helpers.js';
import { at, makeAccount, makeGroup, makeSession, uid } from '../../../src/testing/storage/records.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';

/**
 * The storage conformance suite on every SQL database latchkey supports, each in a throwaway database.
 * The servers' connections use odd time zones, a second run on each server makes a stricter isolation
 * level the default, and one SQLite database runs with foreign keys off and a custom table prefix, to
 * prove that nothing depends on those. One SQLite file runs through `sqliteGroupCommit`.
 */
const stores: {
  name: string;
  service: ServiceName | null;
  tablePrefix?: string;
  /** No foreign keys enforced: a session may outlive its account's row. */
  orphans?: true;
  open: () => Promise<TestDatabase>;
}[] = [
  { name: 'kysely/sqlite (memory)', service: null, open: () => sqliteTestDatabase() },
  {
    name: 'kysely/sqlite (file, foreign_keys off, prefix lk_)',
    service: null,
    tablePrefix: 'lk_',
    orphans: true,
    open: () => sqliteTestDatabase({ file: true, foreignKeys: false }),
  },
  {
    name: 'kysely/sqlite (file, WAL, group commit)',
    service: null,
    open: () => sqliteTestDatabase({ file: true, groupCommit: true }),
  },
  { name: 'kysely/postgres', service: 'postgres', open: () => pgTestDatabase({ timeZone: 'Pacific/Chatham' }) },
  {
    name: 'kysely/postgres (default isolation repeatable read)',
    service: 'postgres',
    open: () => pgTestDatabase({ pgSettings: { default_transaction_isolation: 'repeatable read' } }),
  },
  { name: 'kysely/mysql', service: 'mysql', open: () => mysqlTestDatabase({ timeZone: '+05:45' }) },
  {
    name: 'kysely/mysql (isolation serializable)',
    service: 'mysql',
    open: () => mysqlTestDatabase({ mysqlSessionSql: ['set session transaction isolation level serializable'] }),
  },
];

for (const store of stores) {
  await describeWithService(store.service, store.name, () => {
    let database: TestDatabase | undefined;
    let storage: Storage | undefined;
    const options = { tablePrefix: store.tablePrefix };
    const current = (): Storage => storage ?? expect.unreachable('no storage: beforeAll failed');

    beforeAll(async () => {
      database = await store.open();
      await migrate(database.db, options);
      storage = kyselyStorage(database.db, options);
    });

    afterAll(async () => {
      await database?.destroy();
    });

    runStorageConformance({ name: store.name, setup: async () => ({ storage: current() }) });

    describe('beyond the conformance suite', () => {
      it('round-trips instants far from now, before 1970 and after 2038', async () => {
        const storage = current();
        for (const time of [new Date(-86_400_001), new Date(Date.UTC(2100, 0, 1, 0, 0, 0, 999)), new Date(0)]) {
          const group = makeGroup({ createdAt: time, updatedAt: new Date(time.getTime() + 1) });
          await storage.groups.create(group);
          expect(await storage.groups.find(group.id)).toStrictEqual(group);
        }
      });

      it('ignores plugins of the app’s Kysely instance', async () => {
        const camel = kyselyStorage(database!.db.withPlugin(new CamelCasePlugin()), options);
        const { id: group } = await seedGroup(camel);
        const account = makeAccount({ group, lastLoginAt: at(3) });
        await camel.accounts.create(account);
        expect(await camel.accounts.findById(group, account.id)).toStrictEqual(account);
        // The join's aliased columns (`acct_email_verified_at` …) are not renamed either.
        const session = makeSession({ group, accountId: account.id });
        await camel.sessions.create(session, firstTokenOf(session));
        expect(await camel.sessions.findWithAccount(group, session.id)).toStrictEqual({ session, account });
      });

      if (store.orphans) {
        it('findWithAccount: a session whose account row is gone comes back with a null account', async () => {
          const storage = current();
          const { id: group } = await seedGroup(storage);
          const session = makeSession({ group, accountId: uid('acc') });
          await storage.sessions.create(session, firstTokenOf(session));
          expect(await storage.sessions.findWithAccount(group, session.id)).toStrictEqual({ session, account: null });
        });
      }
    });
  });
}
