import type { AddressInfo } from 'node:net';
import { createExampleAuth, displayUrl, listenAddress } from '../shared/config.js';
import { createApp } from './app.js';

// `npm run start:express`: the Express demo on http://localhost:3001 (PORT and HOST override).
const { port, host } = listenAddress(3001);
const app = createApp(createExampleAuth());

const server = app.listen(port, host, () => {
  console.log(`latchkey Express example listening on ${displayUrl(host, (server.address() as AddressInfo).port)}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
