/**
 * The physical limits the scenarios are held against, measured in the runner process while the servers
 * are idle: bare scrypt (every way, see hash-ceiling.ts), bare jose verification, SQLite writes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT, generateKeyPair, jwtVerify } from 'jose';
import { openSqlite } from './sqlite.js';
import { ratePerSecond } from './rate.js';

export { scryptCeiling, type ScryptCost } from './hash-ceiling.js';

/**
 * EdDSA access-token verifications per second with jose, 32 at once like the servers' 32 connections.
 * Node's WebCrypto runs the signature check as an asynchronous job on the libuv pool, so concurrent
 * verifications use both cores; one at a time would understate what a server can do.
 */
export async function joseCeiling(seconds: number, inFlight = 32): Promise<number> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const token = await new SignJWT({ sid: 'ses_x', grp: 'default', amr: ['pwd'] })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
    .setIssuer('latchkey')
    .setAudience('latchkey')
    .setSubject('acc_x')
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(privateKey);
  const options = { issuer: 'latchkey', audience: 'latchkey', algorithms: ['EdDSA'] };
  for (let i = 0; i < 200; i++) await jwtVerify(token, publicKey, options);
  return ratePerSecond(seconds, inFlight, () => jwtVerify(token, publicKey, options));
}

/**
 * Writes per second on a SQLite file opened like the servers' (better-sqlite3, WAL, SQLite's default
 * `synchronous`): INSERTs of a refresh-token-sized row, prepared once, on one thread, `perCommit` of them
 * to a transaction. A refresh must write at least once (the spent token and its successor, atomically),
 * so this bounds refreshes per second. With 1, each write pays its own COMMIT and the sync of the WAL;
 * with 8, eight writes share one, as the refreshes of the bench's 8 connections can under
 * `sqliteGroupCommit`. The ceiling is the better of the two.
 */
let floorFiles = 0;
export function sqliteWriteFloor(dir: string, seconds: number, perCommit = 1): number {
  const db = openSqlite(join(dir, `floor-${floorFiles++}.sqlite`));
  try {
    db.exec('CREATE TABLE tokens (hash TEXT PRIMARY KEY, session_id TEXT NOT NULL, created_at INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO tokens (hash, session_id, created_at) VALUES (?, ?, ?)');
    const one = () => insert.run(randomBytes(32).toString('base64url'), 'ses_0123456789abcdef', Date.now());
    const group = db.transaction(() => {
      for (let i = 0; i < perCommit; i++) one();
    });
    const write = perCommit === 1 ? one : group;
    for (let i = 0; i < 200; i++) write();
    const started = performance.now();
    let count = 0;
    while (performance.now() - started < seconds * 1000) {
      for (let i = 0; i < 50; i++) write();
      count += 50 * perCommit;
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
