/**
 * Account search at scale: 1,000,000 accounts in one PostgreSQL group, then p50/p95 of representative
 * `accounts.search` pages through latchkey's Kysely storage.
 *   npm run bench:search                 (reuses the filled schema when it is there)
 *   npm run bench:search -- --fresh      (drops and refills it: about a minute)
 *   DATABASE_URL=postgres://… npm run bench:search
 * The accounts live in the schema `latchkey_bench_search`, left in place for the next run. Prints a
 * markdown table, and the EXPLAIN ANALYZE of every query whose p95 is over the 50 ms target. Not a
 * test: nothing asserts a timing. See docs/benchmarks.md.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { encodeSearchCursor } from '../src/core/lib/search-cursor.js';
import type { AccountSearchFilter, AccountSearchOptions } from '../src/core/ports.js';
import { kyselyStorage, migrate } from '../src/kysely.js';

const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'latchkey_bench_search';
const TOTAL = 1_000_000;
const GROUP = 'bench';
const RUNS = 60;
const WARMUP = 5;
const TARGET_MS = 50;
const fresh = process.argv.includes('--fresh');

const admin = new pg.Client({ connectionString: URL });
await admin.connect();
if (fresh) await admin.query(`drop schema if exists ${SCHEMA} cascade`);
await admin.query(`create schema if not exists ${SCHEMA}`);
await admin.end();

const pool = new pg.Pool({ connectionString: URL, max: 4, options: `-c search_path=${SCHEMA}` });
/** The statements of the latest search (several for `q` in email order). */
let lastQueries: CompiledQuery[] = [];
const db = new Kysely<any>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    if (event.level === 'query') lastQueries.push(event.query);
  },
});
const log = (message: string) => console.error(`[bench:search] ${message}`);

await migrate(db);
const storage = kyselyStorage(db);
const { rows: counted } = await pool.query<{ n: string }>(`select count(*) as n from latchkey_accounts where group_id = $1`, [GROUP]);
if (Number(counted[0]!.n) !== TOTAL) await fill();

/**
 * One INSERT … SELECT over generate_series per 100,000 rows: names from fixed lists, emails
 * `first.lastN@domain` (unique), a skewed choice of 40 domains, 95 % active / 4 % locked / 1 % deleted,
 * 2 % `support` and 0.1 % `admin`, 70 % verified (each drawn independently of the others), creation
 * times over three years. The derived search
 * columns are filled by the same expressions as migration 0008 (the names are ASCII).
 */
async function fill(): Promise<void> {
  const started = performance.now();
  await pool.query(`delete from latchkey_accounts where group_id in ($1, $2)`, [GROUP, 'bench-other']);
  await pool.query(`delete from latchkey_groups where id in ($1, $2)`, [GROUP, 'bench-other']);
  const now = Date.now();
  for (const id of [GROUP, 'bench-other']) {
    await pool.query(`insert into latchkey_groups (id, name, locked, owner_id, created_at, updated_at) values ($1, $1, false, null, $2, $2)`, [id, now]);
  }
  const firsts = ['maria', 'jose', 'anna', 'john', 'wei', 'fatima', 'olga', 'ahmed', 'lucia', 'kenji', 'sofia', 'liam', 'noah', 'emma', 'mia', 'ava', 'ivan', 'chloe', 'omar', 'ines', 'yuki', 'sara', 'david', 'laura', 'pablo', 'nina', 'tom', 'eva', 'ali', 'zoe'];
  const lasts = ['garcia', 'smith', 'mueller', 'rossi', 'dubois', 'tanaka', 'kowalski', 'ivanov', 'silva', 'nguyen', 'kim', 'hansen', 'novak', 'popescu', 'jensen', 'moreau', 'fischer', 'romano', 'lopez', 'gonzalez', 'martin', 'bernard', 'weber', 'schmidt', 'sato', 'chen', 'wang', 'singh', 'khan', 'haddad'];
  const domains = Array.from({ length: 40 }, (_, i) => (i < 4 ? ['gmail.test', 'outlook.test', 'yahoo.test', 'proton.test'][i]! : `corp${i}.test`));
  const chunk = 100_000;
  const span = 3 * 365 * 24 * 3600_000;
  for (let start = 0; start < TOTAL; start += chunk) {
    await pool.query(
      `insert into latchkey_accounts (group_id, id, email, email_verified_at, email_added_at, first_name, last_name,
         password_hash, roles, allow_support_login, status, status_changed_at, status_reason, created_at, updated_at,
         deleted_at, recovery_codes_remaining, first_name_search, last_name_search, email_domain)
       select $1, 'acc_' || lpad(n::text, 26, '0'), f || '.' || l || n || '@' || d,
              case when ((n * 4099) % 10009) % 10 < 7 then c end, c, initcap(f), initcap(l), null,
              case when ((n * 6983) % 9973) % 1000 = 0 then '["admin"]' when ((n * 6983) % 9973) % 50 = 1 then '["support"]' else '[]' end,
              false, case when ((n * 7907) % 10007) % 100 = 0 then 'deleted' when ((n * 7907) % 10007) % 25 = 3 then 'locked' else 'active' end, c, null, c, c,
              case when ((n * 7907) % 10007) % 100 = 0 then c end, 0, f, l, d
       from (select n, $2::text[] as fs, $3::text[] as ls, $4::text[] as ds,
                    $5::bigint + (n::bigint * $6::bigint / $7::bigint) as c
             from generate_series($8::bigint, $9::bigint) as n) g,
            lateral (select fs[(1 + (n * 7919) % array_length(fs, 1))::int] as f,
                            ls[(1 + (n * 104729) % array_length(ls, 1))::int] as l,
                            ds[1 + least(floor(power(((n * 2654435761) % 1000) / 1000.0, 3) * 40)::int, 39)] as d) p`,
      [GROUP, firsts, lasts, domains, now - span, span, TOTAL, start + 1, start + chunk],
    );
    log(`filled ${start + chunk} accounts`);
  }
  // A neighbour group, so that every query also proves it stays in its own group.
  await pool.query(
    `insert into latchkey_accounts (group_id, id, email, email_added_at, first_name, last_name, roles, allow_support_login,
       status, status_changed_at, created_at, updated_at, recovery_codes_remaining, first_name_search, last_name_search, email_domain)
     select 'bench-other', 'acc_' || lpad(n::text, 26, '0'), 'maria.garcia' || n || '@gmail.test', $1, 'Maria', 'Garcia', '[]', false,
            'active', $1, $1, $1, 0, 'maria', 'garcia', 'gmail.test' from generate_series(1, 10000) as n`,
    [now],
  );
  await pool.query('analyze latchkey_accounts');
  log(`filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The cursor of the row at `offset` in an order: how a client that paged that far would hold it. */
async function cursorAt(offset: number, orderBy: 'createdAt' | 'email'): Promise<string> {
  const order = orderBy === 'email' ? 'email asc, id asc' : 'created_at desc, id desc';
  const { rows } = await pool.query(`select id, email, created_at from latchkey_accounts where group_id = $1 order by ${order} offset $2 limit 1`, [
    GROUP,
    offset,
  ]);
  const row = rows[0]!;
  return encodeSearchCursor({ o: orderBy, k: orderBy === 'email' ? row.email : Number(row.created_at), id: row.id });
}

interface Case {
  name: string;
  filter: (run: number) => AccountSearchFilter;
  options?: Partial<AccountSearchOptions>;
}

const prefixes = ['ma', 'jos', 'ann', 'wei', 'ol', 'kenj', 'sofia.k', 'liam.', 'yuki.sato1', 'pablo.ro'];
const names = ['garc', 'smi', 'muel', 'tan', 'kowal', 'nguy', 'han', 'popes', 'mor', 'hadd'];
const deepTime = await cursorAt(500_000, 'createdAt');
const deepEmail = await cursorAt(500_000, 'email');
const cases: Case[] = [
  { name: 'no filter, first page (newest first)', filter: () => ({}) },
  { name: 'q: email prefix (2–10 chars)', filter: (run) => ({ q: prefixes[run % prefixes.length]! }) },
  { name: 'q: last-name prefix (3–5 chars)', filter: (run) => ({ q: names[run % names.length]! }) },
  { name: 'q: one letter (`m`)', filter: () => ({ q: 'm' }) },
  { name: 'q: a whole account id', filter: (run) => ({ q: `acc_${String(1 + run * 9973).padStart(26, '0')}` }) },
  { name: 'q: email prefix, orderBy email', filter: (run) => ({ q: prefixes[run % prefixes.length]! }), options: { orderBy: 'email' } },
  { name: 'q: last-name prefix, orderBy email', filter: (run) => ({ q: names[run % names.length]! }), options: { orderBy: 'email' } },
  { name: 'q: one letter (`m`), orderBy email', filter: () => ({ q: 'm' }), options: { orderBy: 'email' } },
  { name: 'restrictEmail: a common domain', filter: () => ({ emailDomains: ['gmail.test'] }) },
  { name: 'restrictEmail: two rare domains', filter: () => ({ emailDomains: ['corp38.test', 'corp39.test'] }) },
  { name: 'status=locked + role=support', filter: () => ({ status: 'locked', role: 'support' }) },
  { name: 'status=active + role=admin (0.1 %)', filter: () => ({ status: 'active', role: 'admin' }) },
  { name: 'verified=false + created in one month', filter: () => ({ verified: false, createdFrom: new Date(Date.now() - 400 * 864e5), createdBefore: new Date(Date.now() - 370 * 864e5) }) },
  { name: 'deep page: 500,000 rows in, newest first', filter: () => ({}), options: { cursor: deepTime } },
  { name: 'deep page: 500,000 rows in, by email', filter: () => ({}), options: { cursor: deepEmail, orderBy: 'email' } },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const results: { name: string; rows: number; p50: number; p95: number; queries: CompiledQuery[] }[] = [];
for (const c of cases) {
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    lastQueries = [];
    const started = performance.now();
    const page = await storage.accounts.search(GROUP, c.filter(run), { limit: 20, ...c.options });
    const elapsed = performance.now() - started;
    if (page.data.some((account) => account.group !== GROUP)) throw new Error(`${c.name}: another group's account`);
    if (run >= WARMUP) times.push(elapsed);
    rows = page.data.length;
  }
  times.sort((a, b) => a - b);
  results.push({ name: c.name, rows, p50: percentile(times, 50), p95: percentile(times, 95), queries: lastQueries });
  log(`${c.name}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
}

const { rows: version } = await pool.query<{ server_version: string }>('show server_version');
console.log(`\nPostgreSQL ${version[0]!.server_version}, ${TOTAL.toLocaleString('en')} accounts in one group, pages of 20, ${RUNS} runs each after ${WARMUP} warm-up runs\n`);
console.log('| query | rows on the page | p50 ms | p95 ms | ≤ 50 ms p95 |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${r.rows} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p95 <= TARGET_MS ? 'yes' : '**no**'} |`);
}
for (const r of results.filter((result) => result.p95 > TARGET_MS)) {
  for (const query of r.queries) {
    const { rows: plan } = await pool.query(`explain (analyze, buffers) ${query.sql}`, query.parameters as unknown[]);
    console.log(`\nEXPLAIN ANALYZE of "${r.name}":\n\n\`\`\`\n${plan.map((row) => row['QUERY PLAN']).join('\n')}\n\`\`\``);
  }
}
await db.destroy();
