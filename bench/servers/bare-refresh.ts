/**
 * The least a token refresh can cost on this machine: bare `node:http`, `JSON.parse`, node:crypto's
 * SHA-256, the six statements latchkey's refresh runs on SQLite (the token with its session and account
 * in one read, BEGIN, the session's touch, the token spent, the successor inserted, COMMIT) on latchkey's
 * own tables, and one Ed25519 signature. The refreshes of one turn of the event loop share a COMMIT. No framework, no validation, no error handling beyond a 401:
 * nothing a library could leave out. The sessions are made by latchkey itself (`POST /__seed?n=16`
 * answers their refresh tokens), so both servers rotate the same kind of rows.
 * argv: <port> <sqlite file>. Prints `ready <port>` once listening.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { openSqlite } from './common.js';
import { floorAuth, serveRefreshes } from './refresh-servers.js';

const [port, file] = process.argv.slice(2);
const sqlite = openSqlite(file!);
// latchkey migrates the tables and makes the sessions; the refreshes below never call it.
const { auth, db } = await floorAuth(sqlite);

const read = sqlite.prepare(
  `select t.hash, t.session_id, t.group_id, t.account_id, t.created_at, t.rotated_at, s.revoked_at, s.expires_at,
     a.id as acct_id, a.email as acct_email, a.status as acct_status
   from latchkey_refresh_tokens as t
   left join latchkey_sessions as s on s.group_id = t.group_id and s.id = t.session_id
   left join latchkey_accounts as a on a.group_id = s.group_id and a.id = s.account_id
   where t.hash = ?`,
);
const begin = sqlite.prepare('begin');
const commit = sqlite.prepare('commit');
const touch = sqlite.prepare('update latchkey_sessions set last_used_at = ? where group_id = ? and id = ? and revoked_at is null');
const spend = sqlite.prepare('update latchkey_refresh_tokens set rotated_at = ? where hash = ? and rotated_at is null');
const insert = sqlite.prepare(
  'insert into latchkey_refresh_tokens (hash, session_id, group_id, account_id, created_at, rotated_at) values (?, ?, ?, ?, ?, null)',
);
const { privateKey } = generateKeyPairSync('ed25519');
const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid: 'floor' })).toString('base64url');
const sha256 = (token: string) => createHash('sha256').update(token).digest('base64url');

interface Row {
  session_id: string;
  group_id: string;
  account_id: string;
  rotated_at: number | null;
  revoked_at: number | null;
  acct_id: string | null;
  acct_email: string;
  acct_status: string;
}

/**
 * The refreshes of one turn of the event loop share one transaction, whose COMMIT (one sync of the WAL)
 * runs after the loop's I/O; each answer waits for it. The cheapest way to make each refresh durable
 * before it is answered, as latchkey's `sqliteGroupCommit` does.
 */
let group: Array<() => void> | null = null;
function inGroup(): void {
  if (group) return;
  begin.run();
  group = [];
  setImmediate(() => {
    const waiting = group!;
    group = null;
    commit.run();
    for (const resume of waiting) resume();
  });
}
const durable = (): Promise<void> => new Promise((resolve) => group!.push(resolve));

async function refresh(refreshToken: string): Promise<string | null> {
  const hash = sha256(refreshToken);
  const row = read.get(hash) as Row | undefined;
  if (!row || row.rotated_at !== null || row.revoked_at !== null || row.acct_id === null) return null;
  const now = Date.now();
  const claims = { sub: row.account_id, sid: row.session_id, grp: row.group_id, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 900 };
  const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const accessToken = `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
  const next = randomBytes(32).toString('base64url');
  inGroup();
  if (touch.run(now, row.group_id, row.session_id).changes !== 1 || spend.run(now, hash).changes !== 1) {
    await durable();
    return null;
  }
  insert.run(sha256(next), row.session_id, row.group_id, row.account_id, now);
  await durable();
  const account = { id: row.acct_id, email: row.acct_email, status: row.acct_status };
  return JSON.stringify({ accessToken, refreshToken: next, tokenType: 'Bearer', expiresIn: 900, account });
}

serveRefreshes(Number(port), auth, db, (refreshToken) => refresh(refreshToken));
