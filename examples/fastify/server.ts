import { createExampleAuth, displayUrl, listenAddress } from '../shared/config.js';
import { createApp } from './app.js';

// `npm run start:fastify`: the Fastify demo on http://localhost:3002 (PORT and HOST override).
const { port, host } = listenAddress(3002);
const app = await createApp(createExampleAuth());

await app.listen({ port, host });
console.log(`latchkey Fastify example listening on ${displayUrl(host, port)}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
