/**
 * What the two servers of `npm run bench:refresh-floor` share (`bare-refresh.ts`, `core-refresh.ts`): a
 * latchkey instance on the bench's SQLite storage with one account, whose sign-ins make the sessions,
 * and a bare `node:http` server that answers `POST /__seed?n=16` with the refresh tokens of new
 * sessions and every other request with a refresh.
 */
import { createServer } from 'node:http';
import { Kysely, SqliteDialect } from 'kysely';
import { createAuth, type Auth } from '../../src/index.js';
import { cachedStatements, kyselyStorage, migrate, sqliteGroupCommit } from '../../src/kysely.js';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import { allowAll, onStop } from './common.js';
import type Database from 'better-sqlite3';

const EMAIL = 'floor@bench.test';
const PASSWORD = 'correct horse battery staple';

/** latchkey on `sqlite` (migrated), with the account the sessions belong to. */
export async function floorAuth(sqlite: Database.Database): Promise<{ auth: Auth; db: Kysely<any> }> {
  const db = new Kysely<any>({ dialect: sqliteGroupCommit(new SqliteDialect({ database: cachedStatements(sqlite) })) });
  await migrate(db);
  const auth = createAuth({
    storage: kyselyStorage(db),
    secret: 'Vb3fQm8xKp2RzT6nWc9LhJd4YsGa7Ue1NkXo5Pi0',
    // Only to make the sessions: no refresh hashes a password.
    passwordHasher: scryptHasher({ ln: 10, r: 8, p: 1 }),
    // Every request comes from 127.0.0.1, as in latchkey.ts.
    rateLimiter: allowAll,
    mailer: { send: async () => {} },
  });
  await auth.register({ email: EMAIL, password: PASSWORD });
  return { auth, db };
}

/**
 * Listens on `port`: `/__seed?n=…` signs in n times and answers the refresh tokens; any other request
 * is a refresh of the body's `refreshToken`, answered with `refresh`'s JSON, or 401 when it gives null.
 */
export function serveRefreshes(
  port: number,
  auth: Auth,
  db: Kysely<any>,
  refresh: (refreshToken: string, ip: string | null) => Promise<string | null>,
): void {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (req.url?.startsWith('/__seed')) {
          const n = Number(new URL(req.url, 'http://x').searchParams.get('n') ?? 1);
          const tokens = [];
          for (let i = 0; i < n; i++) tokens.push((await auth.login({ email: EMAIL, password: PASSWORD })).refreshToken);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens));
          return;
        }
        const { refreshToken } = JSON.parse(Buffer.concat(chunks).toString()) as { refreshToken: string };
        const body = await refresh(refreshToken, req.socket.remoteAddress ?? null);
        if (body === null) res.writeHead(401).end();
        else res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
      })();
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`ready ${port}`));
  onStop(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.destroy();
  });
}
