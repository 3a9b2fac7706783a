import { serve } from '@hono/node-server';
import { createExampleAuth, displayUrl, listenAddress } from '../shared/config.js';
import { createApp } from './app.js';

// `npm start`: the Hono demo on http://localhost:3000 (PORT and HOST override).
const { port, host } = listenAddress(3000);
const app = createApp(createExampleAuth());

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`latchkey Hono example listening on ${displayUrl(host, info.port)}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
