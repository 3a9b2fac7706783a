import { serve } from '@hono/node-server';
import { createExampleAuth, displayUrl, exitOnSignal, listenAddress } from '../shared/config.js';
import { exitOnStartError } from '../shared/mode.js';
import { schedulePurge } from '../shared/purge.js';
import { buildWebApp } from '../web/build.mjs';
import { createApp } from './app.js';

// `npm start`: the Hono demo on http://localhost:3000 (PORT and HOST override), storing in
// ./data/latchkey.sqlite unless DATABASE_URL says otherwise, and keeping its mails at GET /dev/outbox
// unless SMTP_URL sends them for real, and its text messages (SMS codes) at GET /dev/sms. Passkeys
// work at http://localhost:<port>; PUBLIC_URL (https://demo.example.com) sets the RP ID and origin.
// NODE_ENV other than development or test is production: no /dev routes, and LATCHKEY_SECRET is required
// (without it, or with one that cannot open the stored keys, it says so in one line and exits 1).
const { port, host } = listenAddress(3000);
const example = await createExampleAuth({ port }).catch(exitOnStartError);
// The web app at `/`: bundled from examples/web/src on every start, so it always matches the sources.
await buildWebApp();
const app = createApp(example.auth, { outbox: example.outbox, sms: example.sms });
const stopPurging = schedulePurge(example.auth);

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`latchkey Hono example listening on ${displayUrl(host, info.port)}`);
});

exitOnSignal(async () => {
  stopPurging();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await example.close();
});
