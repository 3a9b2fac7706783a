/**
 * latchkey's Hono app on SQLite (better-sqlite3 through Kysely) or PostgreSQL (a pg pool through Kysely),
 * as a user deploys it.
 * argv: <port> <sqlite file | postgres:// URL> <scrypt ln> <r> <p>. Prints `ready` on stdout once listening.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { createAuth } from '../../src/index.js';
import { createAuthApp, requireAuth, type AuthVariables } from '../../src/http/hono.js';
import { cachedStatements, kyselyStorage, migrate, sqliteGroupCommit } from '../../src/kysely.js';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import { allowAll, countInFlight, isPostgres, onStop, openPostgres, openSqlite, statsResponse } from './common.js';

const [port, target, ln, r, p] = process.argv.slice(2);
const dialect: Dialect = isPostgres(target!)
  ? new PostgresDialect({ pool: openPostgres(target!) })
  : sqliteGroupCommit(new SqliteDialect({ database: cachedStatements(openSqlite(target!)) }));
const db = new Kysely<any>({ dialect });
// Several instances on one PostgreSQL database may start at once: migrate runs under Kysely's lock.
await migrate(db);

const options = {
  storage: kyselyStorage(db),
  secret: 'Vb3fQm8xKp2RzT6nWc9LhJd4YsGa7Ue1NkXo5Pi0',
  passwordHasher: scryptHasher({ ln: Number(ln), r: Number(r), p: Number(p) }),
  rateLimiter: allowAll,
  // A relay that takes every message at once, as a working SMTP relay does: without a mailer every
  // sign-up's verification mail would fail and its failure be logged.
  mailer: { send: async () => {} },
  logger: { debug() {}, info() {}, warn() {}, error: (message: string, ...rest: unknown[]) => console.error(message, ...rest) } as any,
};
const auth = createAuth(options);
// The same app on the same database with the verified-token cache off: every request checks its
// token's signature, as a token's first use does.
const everyCheck = createAuth({ ...options, verifiedTokenCache: 0 });

const app = new Hono<{ Variables: AuthVariables }>();
app.get('/__bench/stats', (c) => statsResponse(new URL(c.req.url)));
app.use(countInFlight);
// The HTTP stack alone: what any route of this server costs at least.
app.get('/empty', (c) => c.json({ ok: true }));
// Stateless verification in a host route: signature and claims only, no storage read.
app.get('/stateless', async (c) => {
  const header = c.req.header('authorization') ?? '';
  try {
    const claims = await auth.verifyAccessToken(header.slice(7), { checkRevocation: false });
    return c.json({ sub: (claims as any).sub });
  } catch {
    return c.json({ error: 'unauthenticated' }, 401);
  }
});
// The path the host app's own routes take: requireAuth verifies the token, checks its session and
// loads the account, as GET /auth/account does.
app.get('/guarded', requireAuth(auth), (c) => c.json({ id: c.get('auth').account.id }));
app.route('/auth', createAuthApp(auth));
app.route('/auth-every-check', createAuthApp(everyCheck));

const server = serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, (info) => console.log(`ready ${info.port}`));
onStop(async () => {
  // The load generator's keep-alive connections would hold close() open.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
});
