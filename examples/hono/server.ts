import { serve } from '@hono/node-server';
import { createExampleAuth, exitOnSignal } from '../shared/config.js';
import { checkedListenAddress, displayUrl, listenStartError } from '../shared/listen.js';
import { exitOnStartError } from '../shared/mode.js';
import { exampleGroups } from '../shared/groups.js';
import { schedulePurge } from '../shared/purge.js';
import { buildWebApp } from '../web/build.mjs';
import { createApp } from './app.js';

// `npm start`: the Hono demo on http://localhost:3000 (PORT and HOST override), storing in
// ./data/latchkey.sqlite unless DATABASE_URL says otherwise, and keeping its mails at GET /dev/outbox
// unless SMTP_URL sends them for real, and its text messages (SMS codes) at GET /dev/sms. Passkeys
// work at http://localhost:<port>; PUBLIC_URL (https://demo.example.com) sets the RP ID and origin.
// NODE_ENV other than development or test is production: no /dev routes, and LATCHKEY_SECRET is required
// (without it, or with one that cannot open the stored keys, it says so in one line and exits 1).
// A port in use, or a DATABASE_URL that does not open, stops the start with one line that says what to
// change (PORT=3001 npm start); the port is checked first, before anything is written.
const start = { command: 'npm start', defaultPort: 3000 };
const { port, host } = await checkedListenAddress(start).catch(exitOnStartError);
const example = await createExampleAuth({ port }).catch(exitOnStartError);
// The web app at `/`: bundled from examples/web/src on every start, so it always matches the sources.
await buildWebApp();
// GROUPS=1: multi-group mode, latchkey at /auth/{group}/… (root group `default`).
const groups = exampleGroups(process.env);
const app = createApp(example.auth, { outbox: example.outbox, sms: example.sms, trustProxy: example.trustProxy, groups });
const stopPurging = schedulePurge(example.auth);

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`latchkey Hono example listening on ${displayUrl(host, info.port)}${groups ? ' (multi-group: /auth/{group}/…)' : ''}`);
});
// The port taken since it was checked.
server.once('error', (error) => exitOnStartError(listenStartError(error, { port, host }, start)));

exitOnSignal(async () => {
  stopPurging();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await example.close();
});
