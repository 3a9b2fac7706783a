import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { fetchClient } from '../../src/testing/http-client.js';
import { describeAccountImport } from '../../src/testing/http/account-import.js';
import { createSuiteContext } from '../../src/testing/http/setup.js';
import {
  describeWithService,
  mysqlTestDatabase,
  type ServiceName,
  sqliteTestDatabase,
  type TestDatabase,
} from '../support/services.js';

/**
 * The import suite on SQLite and MySQL too (the whole HTTP suite runs on memory and PostgreSQL, see
 * postgres.test.ts): duplicates, concurrent imports and the per-row atomicity differ most by database.
 */
const databases: Array<[ServiceName | null, string, () => Promise<TestDatabase>]> = [
  [null, 'SQLite', () => sqliteTestDatabase()],
  ['mysql', 'MySQL', () => mysqlTestDatabase()],
];

for (const [service, label, open] of databases) {
  await describeWithService(service, `account import on ${label}`, () => {
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = await open();
      await migrate(database.db);
    });
    afterAll(async () => {
      await database?.destroy();
    });

    describe(`account import on ${label}`, () => {
      const ctx = createSuiteContext(
        async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
        async () => kyselyStorage(database?.db ?? expect.unreachable('no database: beforeAll failed')),
      );
      afterEach(() => ctx.closeAll());
      describeAccountImport(ctx);
    });
  });
}
