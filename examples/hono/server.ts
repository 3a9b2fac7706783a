import { serve } from '@hono/node-server';
import { createExampleAuth, displayUrl, exitOnSignal, listenAddress } from '../shared/config.js';
import { schedulePurge } from '../shared/purge.js';
import { createApp } from './app.js';

// `npm start`: the Hono demo on http://localhost:3000 (PORT and HOST override), storing in
// ./data/latchkey.sqlite unless DATABASE_URL says otherwise, and keeping its mails at GET /dev/outbox
// unless SMTP_URL sends them for real.
const { port, host } = listenAddress(3000);
const example = await createExampleAuth();
const app = createApp(example.auth, { outbox: example.outbox });
const stopPurging = schedulePurge(example.auth);

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`latchkey Hono example listening on ${displayUrl(host, info.port)}`);
});

exitOnSignal(async () => {
  stopPurging();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await example.close();
});
