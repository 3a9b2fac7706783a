import { afterAll, beforeAll, expect } from 'vitest';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { fetchClient } from '../../src/testing/http-client.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import {
  describeWithService,
  mysqlTestDatabase,
  pgTestDatabase,
  type ServiceName,
  sqliteTestDatabase,
  type TestDatabase,
} from '../support/services.js';

/**
 * The HTTP conformance suite once more for each database, through the fetch handler instead of memory:
 * the whole API (administration, import and groups included) on SQLite, PostgreSQL and MySQL, each in a
 * database or schema of its own for this run. PostgreSQL and MySQL are skipped (loudly) when they do
 * not answer; a failure with LATCHKEY_REQUIRE_SERVICES=1.
 */
const databases: Array<[ServiceName | null, string, () => Promise<TestDatabase>]> = [
  [null, 'SQLite', () => sqliteTestDatabase()],
  ['postgres', 'PostgreSQL', () => pgTestDatabase()],
  ['mysql', 'MySQL', () => mysqlTestDatabase()],
];

for (const [service, label, open] of databases) {
  await describeWithService(service, `fetch on ${label}`, () => {
    let database: TestDatabase | undefined;

    beforeAll(async () => {
      database = await open();
      await migrate(database.db);
    });

    afterAll(async () => {
      await database?.destroy();
    });

    runHttpConformance({
      name: `fetch on ${label}`,
      createClient: async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
      storage: async () => kyselyStorage(database?.db ?? expect.unreachable('no database: beforeAll failed')),
    });
  });
}
