import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { AuthError } from '../../../src/core/errors.js';
import { hashToken } from '../../../src/core/lib/token-hash.js';
import type { AuthEvent, EventName, Storage } from '../../../src/index.js';
import { PASSWORD, createTestAuth, expectAuthError, registerAndLogin } from '../helpers.js';
import { proxyStorage } from '../../support/storage-proxy.js';
import { sqliteTestDatabase } from '../../support/services.js';
import { faultySqlite } from '../../support/faulty-sqlite.js';
import { kyselyStorage, migrate, sqliteGroupCommit } from '../../../src/kysely.js';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Collects every event of the given names, in order. */
function recordEvents(auth: { events: { on: (e: EventName, l: (e: AuthEvent) => void) => unknown } }, names: EventName[]) {
  const seen: AuthEvent[] = [];
  for (const name of names) auth.events.on(name, (e) => void seen.push(e));
  return seen;
}

/**
 * Wraps a storage so that every argument handed to any repository method is kept: whatever latchkey
 * writes, it writes through these.
 */
function recordingStorage(inner: Storage): { storage: Storage; written: unknown[] } {
  const written: unknown[] = [];
  const storage = proxyStorage(inner, (_repository, _method, args, call) => {
    written.push(args);
    return call();
  });
  return { storage, written };
}

describe('refresh under attack', () => {
  it('rotates: every refresh returns a new refresh token and the old one stops working', async () => {
    const { auth } = createTestAuth();
    const first = await registerAndLogin(auth);
    const second = await auth.refresh({ refreshToken: first.refreshToken });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(second.refreshToken, 'base64url').length).toBeGreaterThanOrEqual(32);
    const third = await auth.refresh({ refreshToken: second.refreshToken });
    expect(third.tokenType).toBe('Bearer');
    expect(third.expiresIn).toBe(900);
  });

  it('reuse of a rotated token revokes the whole session and tells listeners', async () => {
    const { auth } = createTestAuth();
    const first = await registerAndLogin(auth, {});
    const events = recordEvents(auth, ['session.refresh-reused', 'session.revoked']);
    const second = await auth.refresh({ refreshToken: first.refreshToken });
    const newest = await auth.refresh({ refreshToken: second.refreshToken });
    const { sid, sub } = await auth.verifyAccessToken(newest.accessToken);

    // The attacker replays the stolen first token.
    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken, ip: '203.0.113.9' }), 'refresh_token_reused');

    expect(events.map((e) => e.event).sort()).toEqual(['session.refresh-reused', 'session.revoked']);
    const reused = events.find((e) => e.event === 'session.refresh-reused')!;
    expect(reused.data).toEqual({ accountId: sub, sessionId: sid, ip: '203.0.113.9' });
    const revoked = events.find((e) => e.event === 'session.revoked')!;
    expect(revoked.data).toEqual({ accountId: sub, sessionIds: [sid], reason: 'refresh_token_reused' });

    // Every token of the session is dead: the newest refresh token and all access tokens.
    await expectAuthError(auth.refresh({ refreshToken: newest.refreshToken }), 'unauthenticated');
    for (const { accessToken } of [first, second, newest]) {
      await expectAuthError(auth.verifyAccessToken(accessToken), 'unauthenticated');
    }
    // Replaying again answers the same, and does not emit again.
    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'refresh_token_reused');
    await expectAuthError(auth.refresh({ refreshToken: second.refreshToken }), 'refresh_token_reused');
    expect(events).toHaveLength(2);
  });

  it('reuse revokes only that session, not the account’s others', async () => {
    const { auth } = createTestAuth();
    const stolen = await registerAndLogin(auth);
    const other = await auth.login({ email: 'ada@example.com', password: 'correct horse battery staple' });
    await auth.refresh({ refreshToken: stolen.refreshToken });
    await expectAuthError(auth.refresh({ refreshToken: stolen.refreshToken }), 'refresh_token_reused');
    await expect(auth.verifyAccessToken(other.accessToken)).resolves.toBeDefined();
    await expect(auth.refresh({ refreshToken: other.refreshToken })).resolves.toBeDefined();
  });

  it('of 20 concurrent refreshes with one token exactly one succeeds', async () => {
    const { auth } = createTestAuth();
    const { refreshToken } = await registerAndLogin(auth);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => auth.refresh({ refreshToken })));
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ name: 'AuthError', code: 'refresh_token_reused' });
    }
    // Without a grace period the losers count as reuse: the session is over, the winner's token too.
    const winner = fulfilled[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof auth.refresh>>>;
    await expectAuthError(auth.refresh({ refreshToken: winner.value.refreshToken }), 'unauthenticated');
  });

  it('with a grace period, a just-rotated token answers refresh_token_stale and revokes nothing', async () => {
    const { auth, clock } = createTestAuth({ refreshTokenReuseGrace: 10 });
    const events = recordEvents(auth, ['session.refresh-reused', 'session.revoked']);
    const first = await registerAndLogin(auth);
    const second = await auth.refresh({ refreshToken: first.refreshToken });

    clock.advance(10);
    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'refresh_token_stale');
    expect(events).toEqual([]);
    await expect(auth.verifyAccessToken(second.accessToken)).resolves.toBeDefined();
    const third = await auth.refresh({ refreshToken: second.refreshToken });

    // Past the grace period, reuse is reuse.
    clock.advance(11);
    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'refresh_token_reused');
    await expectAuthError(auth.refresh({ refreshToken: third.refreshToken }), 'unauthenticated');
    expect(events.map((e) => e.event).sort()).toEqual(['session.refresh-reused', 'session.revoked']);
  });

  it('with a grace period, concurrent refreshes still have one winner and revoke nothing', async () => {
    const { auth } = createTestAuth({ refreshTokenReuseGrace: 5 });
    const { refreshToken } = await registerAndLogin(auth);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => auth.refresh({ refreshToken })));
    const winners = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'refresh_token_stale' });
    }
    await expect(auth.refresh({ refreshToken: winners[0]!.refreshToken })).resolves.toBeDefined();
  });

  it('refuses a refresh token of group A presented to group B, and the reverse', async () => {
    const { auth } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    const acme = await registerAndLogin(auth, { group: 'acme' });
    const home = await registerAndLogin(auth);
    await expectAuthError(auth.refresh({ refreshToken: acme.refreshToken }), 'unauthenticated');
    await expectAuthError(auth.refresh({ group: 'acme', refreshToken: home.refreshToken }), 'unauthenticated');
    // The misdirected attempts revoked nothing and did not consume the tokens.
    await expect(auth.refresh({ group: 'acme', refreshToken: acme.refreshToken })).resolves.toBeDefined();
    await expect(auth.refresh({ refreshToken: home.refreshToken })).resolves.toBeDefined();
    // Logging out in the wrong group does nothing either.
    const again = await auth.login({ group: 'acme', email: 'ada@example.com', password: 'correct horse battery staple' });
    await auth.logout({ refreshToken: again.refreshToken });
    await expect(auth.verifyAccessToken(again.accessToken, { group: 'acme' })).resolves.toBeDefined();
  });

  it('refuses unknown, empty and malformed tokens', async () => {
    const { auth } = createTestAuth();
    const { refreshToken, accessToken } = await registerAndLogin(auth);
    for (const bad of ['', 'x', refreshToken.slice(0, -1), `${refreshToken}x`, refreshToken.toUpperCase(), accessToken, hashToken(refreshToken)]) {
      await expectAuthError(auth.refresh({ refreshToken: bad }), 'unauthenticated');
    }
    // None of those attempts disturbed the real token.
    await expect(auth.refresh({ refreshToken })).resolves.toBeDefined();
  });

  it('refuses the refresh token of a logged-out, revoked, idle or expired session', async () => {
    const { auth, clock } = createTestAuth({ session: { idleTimeout: 3600, absoluteTimeout: 7200 } });
    const a = await registerAndLogin(auth);
    await auth.logout({ refreshToken: a.refreshToken });
    await expectAuthError(auth.refresh({ refreshToken: a.refreshToken }), 'unauthenticated');

    const b = await auth.login({ email: 'ada@example.com', password: 'correct horse battery staple' });
    const { sid, sub } = await auth.verifyAccessToken(b.accessToken);
    await auth.revokeSession({ group: 'default', accountId: sub, sessionId: sid });
    await expectAuthError(auth.refresh({ refreshToken: b.refreshToken }), 'unauthenticated');

    const c = await auth.login({ email: 'ada@example.com', password: 'correct horse battery staple' });
    clock.advance(3600);
    await expectAuthError(auth.refresh({ refreshToken: c.refreshToken }), 'unauthenticated');

    // Refreshing keeps a session from idling out, but not past its absolute end.
    let d = await auth.login({ email: 'ada@example.com', password: 'correct horse battery staple' });
    clock.advance(3000);
    d = await auth.refresh({ refreshToken: d.refreshToken });
    clock.advance(3000);
    d = await auth.refresh({ refreshToken: d.refreshToken });
    clock.advance(1200);
    await expectAuthError(auth.refresh({ refreshToken: d.refreshToken }), 'unauthenticated');
  });

  it('refuses the refresh token of a locked or deleted account', async () => {
    const { auth, storage } = createTestAuth();
    const a = await registerAndLogin(auth);
    await storage.accounts.update('default', a.account.id, { status: 'locked' });
    await expectAuthError(auth.refresh({ refreshToken: a.refreshToken }), 'unauthenticated');
    await storage.accounts.update('default', a.account.id, { status: 'deleted' });
    await expectAuthError(auth.refresh({ refreshToken: a.refreshToken }), 'unauthenticated');
  });

  it('stores refresh tokens only as hashes: the raw token never reaches storage', async () => {
    const inner = memoryStorage();
    const { storage, written } = recordingStorage(inner);
    const { auth } = createTestAuth({ storage });
    const first = await registerAndLogin(auth);
    const second = await auth.refresh({ refreshToken: first.refreshToken });
    await auth.logout({ refreshToken: second.refreshToken });

    const everything = JSON.stringify(written);
    for (const token of [first.refreshToken, second.refreshToken]) {
      expect(everything).not.toContain(token);
      expect(everything).toContain(hashToken(token));
      expect(await inner.refreshTokens.findByHash(hashToken(token))).not.toBeNull();
      expect(await inner.refreshTokens.findByHash(token)).toBeNull();
    }
  });

  for (const [name, open] of [
    ['memory', async () => ({ storage: memoryStorage(), close: async () => {} })],
    ['SQLite', async () => {
      const database = await sqliteTestDatabase({ file: true });
      await migrate(database.db);
      return { storage: kyselyStorage(database.db), close: () => database.destroy() };
    }],
    ['SQLite, group commit', async () => {
      const database = await sqliteTestDatabase({ file: true, groupCommit: true });
      await migrate(database.db);
      return { storage: kyselyStorage(database.db), close: () => database.destroy() };
    }],
  ] as const) {
    it(`a database fault once the rotation is written rolls it back: the retry refreshes, no false reuse alarm (${name})`, async () => {
      const { storage: inner, close } = await open();
      try {
        let fail = true;
        // The rotation's writes succeed, then the database goes away before its transaction commits.
        const storage = proxyStorage(inner, async (repository, method, args, call, current) => {
          if (repository !== 'refreshTokens' || method !== 'rotate' || !fail) return call();
          fail = false;
          const [hash, next, at] = args as Parameters<typeof current.refreshTokens.rotate>;
          return current.transaction(async (tx) => {
            expect(await tx.refreshTokens.rotate(hash, next, at)).toBe('rotated');
            throw new AuthError('unavailable', 'The database cannot be reached.', { retryAfter: 5 });
          });
        });
        const { auth } = createTestAuth({ storage });
        const first = await registerAndLogin(auth);
        const events = recordEvents(auth, ['session.refresh-reused', 'session.revoked']);

        await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'unavailable');
        const retried = await auth.refresh({ refreshToken: first.refreshToken });
        await auth.verifyAccessToken(retried.accessToken);
        expect(events).toEqual([]);
        // The token is spent now, by the retry: presenting it again is reuse.
        await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'refresh_token_reused');
      } finally {
        await close();
      }
    });
  }

  it('a group COMMIT that fails fails every refresh in it: none is answered, each token still refreshes, no reuse alarm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
    const sqlite = new Database(join(dir, 'db.sqlite'));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // The disk fails the next COMMIT, and SQLite rolls the transaction back itself, as for an I/O error.
    const fault = faultySqlite(sqlite);
    const db = new Kysely<any>({ dialect: sqliteGroupCommit(new SqliteDialect({ database: fault.database })) });
    try {
      await migrate(db);
      const { auth } = createTestAuth({ storage: kyselyStorage(db) });
      const first = await registerAndLogin(auth);
      const tokens = [first.refreshToken];
      for (let i = 0; i < 3; i++) tokens.push((await auth.login({ email: 'ada@example.com', password: PASSWORD })).refreshToken);
      const events = recordEvents(auth, ['session.refresh-reused', 'session.revoked']);

      fault.failNext('commit');
      const results = await Promise.allSettled(tokens.map((refreshToken) => auth.refresh({ refreshToken })));
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(fault.armed).toBe(false);
      // Nothing was stored: every token is unspent, and refreshes now as if the failed attempt never was.
      for (const refreshToken of tokens) {
        expect((await kyselyStorage(db).refreshTokens.findByHash(hashToken(refreshToken)))?.rotatedAt).toBeNull();
        await auth.verifyAccessToken((await auth.refresh({ refreshToken })).accessToken);
      }
      expect(events).toEqual([]);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a revocation that commits while a refresh is under way wins: nothing is rotated or issued', async () => {
    let revokeFirst = true;
    // The session is revoked (a sign-out everywhere) after the refresh read it alive, before its writes.
    const storage = proxyStorage(memoryStorage(), async (repository, method, args, call, current) => {
      if (repository === 'refreshTokens' && method === 'rotate' && revokeFirst) {
        revokeFirst = false;
        const [, next, at] = args as Parameters<typeof current.refreshTokens.rotate>;
        await current.sessions.revoke(next.group, next.sessionId, at, 'signed_out_everywhere');
      }
      return call();
    });
    const { auth } = createTestAuth({ storage });
    const first = await registerAndLogin(auth);
    const events = recordEvents(auth, ['session.refresh-reused']);

    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'unauthenticated');
    // No token came out, and the one presented was not spent: it is refused for its ended session, not
    // taken for reuse.
    expect(events).toEqual([]);
    expect((await storage.refreshTokens.findByHash(hashToken(first.refreshToken)))?.rotatedAt).toBeNull();
    await expectAuthError(auth.refresh({ refreshToken: first.refreshToken }), 'unauthenticated');
    expect(events).toEqual([]);
  });
});

