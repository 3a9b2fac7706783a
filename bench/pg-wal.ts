/**
 * What one refresh writes to PostgreSQL's WAL, on an empty database and on one with 1,000,000 accounts
 * (seeded as in the bench's 1M check, which ends with a CHECKPOINT): WAL records, full-page images and
 * bytes per refresh, from `pg_stat_wal` before and after 5 s of refreshes by two closed-loop clients on
 * one latchkey server. pg_stat_wal counts the whole cluster: run it on an otherwise idle PostgreSQL.
 * Not a test; see docs/benchmarks.md (the 1M check).
 *   npm run bench:pg-wal
 */
import pg from 'pg';
import { measureLatency } from './lib/latency.js';
import { adminUrl, databaseUrl, dropDatabases, recreateDatabases, seedAccounts } from './lib/postgres-seed.js';
import { prepareLatchkey } from './lib/requests.js';
import { startServer, stopServer } from './lib/servers.js';

const DATABASES = ['latchkey_wal_empty', 'latchkey_wal_1m'];
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const walStats = async () =>
  (await admin.query<{ records: string; fpi: string; bytes: string }>('select wal_records as records, wal_fpi as fpi, wal_bytes as bytes from pg_stat_wal')).rows[0]!;
try {
  await recreateDatabases(DATABASES);
  console.log('| Table | refreshes | p50 | p99 | WAL records a refresh | full-page images a refresh | WAL bytes a refresh |\n|---|---:|---:|---:|---:|---:|---:|');
  for (const name of DATABASES) {
    const server = await startServer(name, 'latchkey.ts', (port) => [String(port), databaseUrl(name), '14', '8', '5']);
    try {
      const p = await prepareLatchkey(server);
      const full = name.endsWith('1m');
      if (full) await seedAccounts(databaseUrl(name), p.email, 1_000_000, (message) => console.error(`[pg-wal] ${message}`));
      else await admin.query('checkpoint');
      const tokens = await p.freshSessions!(2);
      const before = await walStats();
      const latency = await measureLatency(
        server.base,
        { clients: 2, seconds: 5 },
        (client) => ({ method: 'POST', path: '/auth/token/refresh', body: JSON.stringify({ refreshToken: tokens[client] }) }),
        (client, body) => (tokens[client] = (JSON.parse(body) as { refreshToken: string }).refreshToken),
      );
      const after = await walStats();
      const per = (key: 'records' | 'fpi' | 'bytes', digits: number) => ((Number(after[key]) - Number(before[key])) / latency.samples).toFixed(digits);
      console.log(
        `| ${full ? '1,000,000 accounts' : 'empty'} | ${latency.samples} | ${latency.p50.toFixed(2)} ms | ${latency.p99.toFixed(2)} ms | ${per('records', 1)} | ${per('fpi', 2)} | ${per('bytes', 0)} |`,
      );
    } finally {
      await stopServer(server);
    }
  }
} finally {
  await dropDatabases(DATABASES).catch(() => {});
  await admin.end();
}
process.exit();
