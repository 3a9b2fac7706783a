import { afterEach, beforeEach, expect, it } from 'vitest';
import { accountSearchMigration } from '../../../src/adapters/storage/kysely/migrations/0008-account-search.js';
import { tableNames } from '../../../src/adapters/storage/kysely/tables.js';
import { kyselyStorage, migrate } from '../../../src/kysely.js';
import { seedGroup } from '../../../src/testing/storage/helpers.js';
import { makeAccount } from '../../../src/testing/storage/records.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  sqliteTestDatabase,
  type ServiceName,
  type TestDatabase,
} from '../../support/services.js';

const stores: { name: string; service: ServiceName | null; open: () => Promise<TestDatabase> }[] = [
  { name: 'sqlite', service: null, open: () => sqliteTestDatabase() },
  { name: 'postgres', service: 'postgres', open: () => pgTestDatabase() },
  { name: 'mysql', service: 'mysql', open: () => mysqlTestDatabase() },
];

for (const store of stores) {
  await describeWithService(store.service, `migration 0008-account-search on ${store.name}`, () => {
    let database: TestDatabase;
    beforeEach(async () => {
      database = await store.open();
      await migrate(database.db);
    });
    afterEach(async () => database.destroy());

    it('backfills the derived search columns of accounts written before it, and runs again harmlessly', async () => {
      const storage = kyselyStorage(database.db);
      const { id: group } = await seedGroup(storage);
      const accounts = [
        makeAccount({ group, email: 'ada@math.test', firstName: 'Ada', lastName: 'Lovelace' }),
        makeAccount({ group, email: 'e@dupont.test', firstName: 'ÉLODIE', lastName: 'Ñúñez' }),
        makeAccount({ group, email: 'x@none.test' }),
      ];
      for (const account of accounts) await storage.accounts.create(account);
      // As rows written before the migration: the derived columns empty.
      const { accounts: table } = tableNames();
      await database.db.updateTable(table).set({ first_name_search: null, last_name_search: null, email_domain: null }).execute();
      expect((await storage.accounts.search(group, { q: 'love' }, { limit: 10 })).data).toEqual([]);

      await accountSearchMigration(tableNames()).up(database.db);
      const ids = async (q: string) => (await storage.accounts.search(group, { q }, { limit: 10 })).data.map((a) => a.id);
      expect(await ids('ada')).toEqual([accounts[0]!.id]);
      expect(await ids('love')).toEqual([accounts[0]!.id]);
      expect(await ids('élo')).toEqual([accounts[1]!.id]);
      expect(await ids('ñú')).toEqual([accounts[1]!.id]);
      const byDomain = await storage.accounts.search(group, { emailDomains: ['dupont.test', 'none.test'] }, { limit: 10 });
      expect(byDomain.data.map((a) => a.id).sort()).toEqual([accounts[1]!.id, accounts[2]!.id].sort());
    });
  });
}
