import { beforeEach, describe, expect, it } from 'vitest';
import type { Auth, Storage } from '../../../src/index.js';
import { watchedStorage, type WatchedStorage } from '../../support/watched-storage.js';
import {
  createTestAuth,
  decodeJwt,
  expectAuthError,
  type ManualClock,
  PASSWORD,
  readSigningKey,
  registerAndLogin,
  signToken,
} from '../helpers.js';

/**
 * `auth.authenticate`: the token checked as `verifyAccessToken` checks it, and its account loaded in the
 * same storage read. The storage here records every call, so each test can say what was read.
 */
describe('authenticate', () => {
  let auth: Auth;
  let storage: Storage;
  let clock: ManualClock;
  let token: string;
  let refreshToken: string;
  let watched: WatchedStorage;
  /** The repository calls since the last `reads()`, as `repository.method`. */
  const reads = (): string[] => watched.calls.splice(0);

  beforeEach(async () => {
    watched = watchedStorage();
    ({ auth, storage, clock } = createTestAuth({ storage: watched.storage }));
    ({ accessToken: token, refreshToken } = await registerAndLogin(auth));
    reads();
  });

  it('answers the claims verifyAccessToken answers and the account getAccount shows, in one read', async () => {
    const claims = await auth.verifyAccessToken(token);
    const account = await auth.getAccount({ accountId: claims.sub });
    reads();
    await expect(auth.authenticate({ token })).resolves.toStrictEqual({ claims, account });
    expect(reads()).toEqual(['sessions.findWithAccount']);
  });

  it('without the revocation check reads only the account, and trusts a revoked session', async () => {
    const claims = await auth.verifyAccessToken(token);
    await auth.logout({ refreshToken });
    reads();
    await expect(auth.authenticate({ token, checkRevocation: false })).resolves.toMatchObject({ claims, account: { id: claims.sub } });
    expect(reads()).toEqual(['accounts.findById']);
    await expectAuthError(auth.authenticate({ token }), 'unauthenticated');
  });

  it('refuses the token of a revoked or idle session, as verifyAccessToken does', async () => {
    const second = await auth.login({ email: 'ada@example.com', password: PASSWORD });
    await auth.logout({ refreshToken });
    await expectAuthError(auth.authenticate({ token }), 'unauthenticated');
    // The other session idles out after 14 days without a refresh: a token re-signed to outlive it
    // passes until then, and is refused after.
    const key = await readSigningKey(storage);
    const resign = () => {
      const now = Math.floor(clock.now().getTime() / 1000);
      const payload = { ...decodeJwt(second.accessToken).payload, iat: now, exp: now + 900 };
      return signToken(payload, key.key, { alg: key.alg, kid: key.kid });
    };
    clock.advance(901);
    await expect(auth.authenticate({ token: await resign() })).resolves.toMatchObject({ account: { email: { address: 'ada@example.com' } } });
    clock.advance(14 * 86_400);
    const stale = await resign();
    await expectAuthError(auth.verifyAccessToken(stale), 'unauthenticated');
    await expectAuthError(auth.authenticate({ token: stale }), 'unauthenticated');
  });

  it("refuses a token naming another account's session (a sub that is not the session's)", async () => {
    const bob = await registerAndLogin(auth, { email: 'bob@example.com' });
    const key = await readSigningKey(storage);
    const mixed = { ...decodeJwt(token).payload, sid: decodeJwt(bob.accessToken).payload.sid };
    await expectAuthError(auth.authenticate({ token: await signToken(mixed, key.key, { alg: key.alg, kid: key.kid }) }), 'unauthenticated');
  });

  it('answers the account whatever its status: the caller judges a locked one', async () => {
    const { sub } = await auth.verifyAccessToken(token);
    await storage.accounts.update('default', sub, { status: 'locked', statusReason: 'panic' });
    await expect(auth.authenticate({ token })).resolves.toMatchObject({ account: { id: sub, state: { status: 'locked', reason: 'panic' } } });
  });

  it('answers a null account when the session outlived its account row', async () => {
    watched.orphanSessions(true);
    await expect(auth.authenticate({ token })).resolves.toMatchObject({ claims: { sub: expect.any(String) }, account: null });
  });

  it('refuses the token of a deleted account (its sessions go with it)', async () => {
    const { sub } = await auth.verifyAccessToken(token);
    await storage.accounts.delete('default', sub);
    await expectAuthError(auth.authenticate({ token }), 'unauthenticated');
    await expect(auth.authenticate({ token, checkRevocation: false })).resolves.toMatchObject({ account: null });
  });
});
