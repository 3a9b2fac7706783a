import { createExampleAuth, displayUrl, exitOnSignal, listenAddress } from '../shared/config.js';
import { schedulePurge } from '../shared/purge.js';
import { createApp } from './app.js';

// `npm run start:fastify`: the Fastify demo on http://localhost:3002 (PORT and HOST override), storing
// in ./data/latchkey.sqlite unless DATABASE_URL says otherwise, and keeping its mails at GET /dev/outbox
// unless SMTP_URL sends them for real.
const { port, host } = listenAddress(3002);
const example = await createExampleAuth();
const app = await createApp(example.auth, { outbox: example.outbox });
const stopPurging = schedulePurge(example.auth);

await app.listen({ port, host });
console.log(`latchkey Fastify example listening on ${displayUrl(host, port)}`);

exitOnSignal(async () => {
  stopPurging();
  await app.close();
  await example.close();
});
