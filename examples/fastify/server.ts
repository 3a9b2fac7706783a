import { createExampleAuth, displayUrl, exitOnSignal, listenAddress } from '../shared/config.js';
import { createApp } from './app.js';

// `npm run start:fastify`: the Fastify demo on http://localhost:3002 (PORT and HOST override), storing
// in ./data/latchkey.sqlite unless DATABASE_URL says otherwise.
const { port, host } = listenAddress(3002);
const example = await createExampleAuth();
const app = await createApp(example.auth);

await app.listen({ port, host });
console.log(`latchkey Fastify example listening on ${displayUrl(host, port)}`);

exitOnSignal(async () => {
  await app.close();
  await example.close();
});
