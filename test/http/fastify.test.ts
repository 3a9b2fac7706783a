import { authPlugin, frameworkErrors } from '../../src/http/fastify.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import { Fastify, serveFastify } from './servers.js';

runHttpConformance({
  name: 'fastify',
  createClient: async (auth, { groups }) => {
    // frameworkErrors: Fastify's router answers a malformed %-escape itself, before any plugin runs.
    const app = Fastify({ frameworkErrors: frameworkErrors(auth) });
    await app.register(authPlugin, { auth, prefix: '/auth', groups });
    return serveFastify(app);
  },
});
