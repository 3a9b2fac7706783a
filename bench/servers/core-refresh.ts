/**
 * latchkey's core behind bare `node:http`: `auth.refresh()` on the bench's storage (better-sqlite3
 * through Kysely, `cachedStatements`, as in `latchkey.ts`), with `JSON.parse` for the body and
 * `JSON.stringify` for the answer, and no HTTP layer of latchkey's or of a framework. Between the bare
 * refresh server (`bare-refresh.ts`) and the bench's Hono server, it shows what the core and the storage
 * add, and what the HTTP stack adds. `POST /__seed?n=16` answers the refresh tokens of new sessions.
 * argv: <port> <sqlite file>. Prints `ready <port>` once listening.
 */
import { openSqlite } from './common.js';
import { floorAuth, serveRefreshes } from './refresh-servers.js';

const [port, file] = process.argv.slice(2);
const { auth, db } = await floorAuth(openSqlite(file!));
serveRefreshes(Number(port), auth, db, async (refreshToken, ip) => {
  try {
    return JSON.stringify(await auth.refresh({ refreshToken, ip }));
  } catch {
    return null;
  }
});
