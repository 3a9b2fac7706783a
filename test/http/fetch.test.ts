import { createFetchHandler } from '../../src/http/fetch-handler.js';
import { fetchClient } from '../../src/testing/http-client.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';

runHttpConformance({
  name: 'fetch',
  createClient: async (auth, { groups }) => fetchClient(createFetchHandler(auth, { groups })),
});
