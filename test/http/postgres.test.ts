import { afterAll, beforeAll, expect } from 'vitest';
import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { kyselyStorage, migrate } from '../../src/kysely.js';
import { fetchClient } from '../../src/testing/http-client.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import { describeWithService, pgTestDatabase, type TestDatabase } from '../support/services.js';

/**
 * The HTTP conformance suite once more, through the fetch handler on PostgreSQL instead of memory: the
 * whole API on a real database, in a schema of its own for this run. Skipped (loudly) when PostgreSQL
 * does not answer; a failure with LATCHKEY_REQUIRE_SERVICES=1.
 */
await describeWithService('postgres', 'fetch on PostgreSQL', () => {
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    database = await pgTestDatabase();
    await migrate(database.db);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  runHttpConformance({
    name: 'fetch on PostgreSQL',
    createClient: async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
    storage: async () => kyselyStorage(database?.db ?? expect.unreachable('no database: beforeAll failed')),
  });
});
