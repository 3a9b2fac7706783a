/**
 * latchkey's core behind bare `node:http`: `auth.refresh()` on the bench's storage (better-sqlite3
 * through Kysely, `cachedStatements`, as in `latchkey.ts`), with `JSON.parse` for the body and
 * `JSON.stringify` for the answer, and no HTTP layer of latchkey's or of a framework. Between the bare
 * refresh server (`bare-refresh.ts`) and the bench's Hono server, it shows what the core and the storage
 * add, and what the HTTP stack adds. `POST /__seed?n=16` answers the refresh tokens of new sessions.
 * argv: <port> <sqlite file>. Prints `ready <port>` once listening.
 */
import { createServer } from 'node:http';
import { Kysely, SqliteDialect } from 'kysely';
import { createAuth } from '../../src/index.js';
import { cachedStatements, kyselyStorage, migrate } from '../../src/kysely.js';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import type { RateLimiter } from '../../src/core/ports/services.js';
import { onStop, openSqlite } from './common.js';

const [port, file] = process.argv.slice(2);
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: cachedStatements(openSqlite(file!)) }) });
await migrate(db);
// Every request comes from 127.0.0.1, as in latchkey.ts.
const allowAll: RateLimiter = {
  check: async () => ({ allowed: true, retryAfter: 0 }),
  hit: async () => ({ allowed: true, retryAfter: 0 }),
  refund: async () => {},
  reset: async () => {},
};
const auth = createAuth({
  storage: kyselyStorage(db),
  secret: 'Vb3fQm8xKp2RzT6nWc9LhJd4YsGa7Ue1NkXo5Pi0',
  // Only to make the sessions: no refresh hashes a password.
  passwordHasher: scryptHasher({ ln: 10, r: 8, p: 1 }),
  rateLimiter: allowAll,
  mailer: { send: async () => {} },
});
const email = 'core@bench.test';
const password = 'correct horse battery staple';
await auth.register({ email, password });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      if (req.url?.startsWith('/__seed')) {
        const n = Number(new URL(req.url, 'http://x').searchParams.get('n') ?? 1);
        const tokens = [];
        for (let i = 0; i < n; i++) tokens.push((await auth.login({ email, password })).refreshToken);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens));
        return;
      }
      try {
        const { refreshToken } = JSON.parse(Buffer.concat(chunks).toString()) as { refreshToken: string };
        const tokens = await auth.refresh({ refreshToken, ip: req.socket.remoteAddress ?? null });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(tokens));
      } catch {
        res.writeHead(401).end();
      }
    })();
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${port}`));
onStop(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
});
