import { createAuthRouter } from '../../src/http/express.js';
import { runHttpConformance } from '../../src/testing/http-conformance.js';
import { express, serveExpress } from './servers.js';

runHttpConformance({
  name: 'express',
  createClient: async (auth, { groups }) => serveExpress(express().use('/auth', createAuthRouter(auth, { groups }))),
});

// The host app parsed JSON before the router: the adapter uses the parsed body and answers parser errors.
runHttpConformance({
  name: 'express with express.json()',
  createClient: async (auth, { groups }) =>
    serveExpress(express().use(express.json()).use('/auth', createAuthRouter(auth, { groups }))),
});

// Both of Express's own parsers before the router: forms reach the RFC token routes (OAuth clients send
// them), and every other route still refuses them.
runHttpConformance({
  name: 'express with express.json() and express.urlencoded()',
  createClient: async (auth, { groups }) =>
    serveExpress(
      express()
        .use(express.json())
        .use(express.urlencoded({ extended: false }))
        .use('/auth', createAuthRouter(auth, { groups })),
    ),
});
