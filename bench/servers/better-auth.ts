/**
 * A Better Auth app on Hono and the same better-sqlite3 driver, or on PostgreSQL through a pg pool (its
 * `database` option takes either; it wraps both in Kysely itself).
 * argv: <port> <sqlite file | postgres:// URL> <hash mode: "default" | "ln,r,p"> [public URL, when clients
 * reach it through a proxy: its baseURL, which its origin check compares with]. Prints `ready` on stdout
 * once listening.
 * With "ln,r,p" its emailAndPassword.password.hash/verify hooks run latchkey's scrypt hasher at those
 * parameters with node:crypto on the libuv pool, so both libraries pay the same hash; with "default" it uses
 * its own default (@better-auth/utils: node:crypto scrypt, N=16384, r=16, p=1, 64-byte key).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { scryptHasher } from '../../src/adapters/password/scrypt.js';
import { countInFlight, isPostgres, onStop, openPostgres, openSqlite, statsResponse } from './common.js';

const [port, target, mode, publicUrl] = process.argv.slice(2);
const database = isPostgres(target!) ? openPostgres(target!) : openSqlite(target!);

let password: { hash(p: string): Promise<string>; verify(a: { hash: string; password: string }): Promise<boolean> } | undefined;
if (mode && mode !== 'default') {
  const [ln, r, p] = mode.split(',').map(Number);
  // threads: 0 is node:crypto on the libuv pool, as Better Auth's own default hashes; only the cost is equal.
  const hasher = scryptHasher({ ln, r, p, threads: 0 });
  password = {
    hash: (plain) => hasher.hash(plain),
    verify: ({ hash, password: plain }) => hasher.verify(hash, plain),
  };
}

const options = {
  database,
  secret: 'Vb3fQm8xKp2RzT6nWc9LhJd4YsGa7Ue1NkXo5Pi0',
  baseURL: publicUrl ?? `http://127.0.0.1:${port}`,
  // Every request comes from 127.0.0.1; latchkey's limiter is switched off the same way.
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { disabled: true },
  emailAndPassword: {
    enabled: true,
    // latchkey's sign-up returns the account without a session; make Better Auth do the same work.
    autoSignIn: false,
    ...(password ? { password } : {}),
  },
};
const { runMigrations } = await getMigrations(options as any);
await runMigrations();
const auth = betterAuth(options as any);

const app = new Hono();
app.get('/__bench/stats', (c) => statsResponse(new URL(c.req.url)));
app.use(countInFlight);
app.on(['GET', 'POST'], '/api/auth/*', (c) => auth.handler(c.req.raw));

const server = serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' }, (info) => console.log(`ready ${info.port}`));
onStop(async () => {
  // The load generator's keep-alive connections would hold close() open.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if ('end' in database) await database.end();
  else database.close();
});
