import { describe, expect, it } from 'vitest';
import type { AuthEvent } from '../../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD, registerAndLogin } from '../helpers.js';

const EMAIL = 'ada@example.com';

describe('listSessions', () => {
  it('lists live sessions newest first, marking the current one', async () => {
    const { auth, clock } = createTestAuth();
    const first = await registerAndLogin(auth);
    clock.advance(10);
    const second = await auth.login({ email: EMAIL, password: PASSWORD, ip: '192.0.2.7', userAgent: 'Phone/1' });
    const current = await auth.verifyAccessToken(second.accessToken);
    const old = await auth.verifyAccessToken(first.accessToken);

    const sessions = await auth.listSessions({ group: 'default', accountId: current.sub, currentSessionId: current.sid });
    expect(sessions).toEqual([
      {
        id: current.sid,
        createdAt: clock.now().toISOString(),
        lastUsedAt: clock.now().toISOString(),
        ip: '192.0.2.7',
        userAgent: 'Phone/1',
        current: true,
      },
      expect.objectContaining({ id: old.sid, current: false }),
    ]);
  });

  it('leaves out revoked sessions and other accounts’ sessions', async () => {
    const { auth } = createTestAuth();
    const ada = await registerAndLogin(auth);
    await registerAndLogin(auth, { email: 'bob@example.com' });
    const kept = await auth.login({ email: EMAIL, password: PASSWORD });
    await auth.logout({ refreshToken: ada.refreshToken });
    const { sid, sub } = await auth.verifyAccessToken(kept.accessToken);
    expect((await auth.listSessions({ group: 'default', accountId: sub })).map((s) => s.id)).toEqual([sid]);
  });

  it('shows lastUsedAt moving with refreshes', async () => {
    const { auth, clock } = createTestAuth();
    const tokens = await registerAndLogin(auth);
    clock.advance(120);
    await auth.refresh({ refreshToken: tokens.refreshToken });
    const [session] = await auth.listSessions({ group: 'default', accountId: tokens.account.id });
    expect(session!.lastUsedAt).toBe(clock.now().toISOString());
  });
});

describe('revokeSession and revokeOtherSessions', () => {
  it('revokes one of the account’s sessions and emits session.revoked', async () => {
    const { auth } = createTestAuth();
    const tokens = await registerAndLogin(auth);
    const { sid, sub } = await auth.verifyAccessToken(tokens.accessToken);
    const events: AuthEvent<'session.revoked'>[] = [];
    auth.events.on('session.revoked', (e) => void events.push(e));
    await auth.revokeSession({ group: 'default', accountId: sub, sessionId: sid });
    expect(events.map((e) => e.data)).toEqual([{ accountId: sub, sessionIds: [sid], reason: 'revoked_by_user' }]);
    await expectAuthError(auth.refresh({ refreshToken: tokens.refreshToken }), 'unauthenticated');
    // A second revocation: not_found, and no second event.
    await expectAuthError(auth.revokeSession({ group: 'default', accountId: sub, sessionId: sid }), 'not_found');
    expect(events).toHaveLength(1);
  });

  it('answers not_found for another account’s session and leaves it alone', async () => {
    const { auth } = createTestAuth();
    const ada = await registerAndLogin(auth);
    const eve = await registerAndLogin(auth, { email: 'eve@example.com' });
    const { sid } = await auth.verifyAccessToken(ada.accessToken);
    await expectAuthError(auth.revokeSession({ group: 'default', accountId: eve.account.id, sessionId: sid }), 'not_found');
    await expectAuthError(auth.revokeSession({ group: 'default', accountId: ada.account.id, sessionId: 'ses_nope' }), 'not_found');
    await expect(auth.verifyAccessToken(ada.accessToken)).resolves.toBeDefined();
  });

  it('revokes every other session, keeping the current one', async () => {
    const { auth } = createTestAuth();
    const a = await registerAndLogin(auth);
    const b = await auth.login({ email: EMAIL, password: PASSWORD });
    const c = await auth.login({ email: EMAIL, password: PASSWORD });
    const current = await auth.verifyAccessToken(c.accessToken);
    const events: AuthEvent<'session.revoked'>[] = [];
    auth.events.on('session.revoked', (e) => void events.push(e));
    await auth.revokeOtherSessions({ group: 'default', accountId: current.sub, currentSessionId: current.sid });
    await expectAuthError(auth.verifyAccessToken(a.accessToken), 'unauthenticated');
    await expectAuthError(auth.verifyAccessToken(b.accessToken), 'unauthenticated');
    await expect(auth.verifyAccessToken(c.accessToken)).resolves.toBeDefined();
    expect(events).toHaveLength(1);
    expect(events[0]!.data.sessionIds).toHaveLength(2);
    // Nothing left to revoke: no event.
    await auth.revokeOtherSessions({ group: 'default', accountId: current.sub, currentSessionId: current.sid });
    expect(events).toHaveLength(1);
  });
});

describe('logout and revokeToken', () => {
  it('logout is idempotent and silent about unknown tokens', async () => {
    const { auth } = createTestAuth();
    const tokens = await registerAndLogin(auth);
    await expect(auth.logout({ refreshToken: 'not-a-token' })).resolves.toBeUndefined();
    await auth.logout({ refreshToken: tokens.refreshToken });
    await expect(auth.logout({ refreshToken: tokens.refreshToken })).resolves.toBeUndefined();
    await expectAuthError(auth.verifyAccessToken(tokens.accessToken), 'unauthenticated');
  });

  it('logout with an already rotated token still ends the session', async () => {
    const { auth } = createTestAuth();
    const first = await registerAndLogin(auth);
    const second = await auth.refresh({ refreshToken: first.refreshToken });
    await auth.logout({ refreshToken: first.refreshToken });
    await expectAuthError(auth.verifyAccessToken(second.accessToken), 'unauthenticated');
  });

  it('revokeToken ends the session of a refresh token or of an access token, and ignores anything else', async () => {
    const { auth } = createTestAuth();
    const a = await registerAndLogin(auth);
    await auth.revokeToken({ token: a.refreshToken, tokenTypeHint: 'refresh_token' });
    await expectAuthError(auth.verifyAccessToken(a.accessToken), 'unauthenticated');

    const b = await auth.login({ email: EMAIL, password: PASSWORD });
    await auth.revokeToken({ token: b.accessToken });
    await expectAuthError(auth.refresh({ refreshToken: b.refreshToken }), 'unauthenticated');

    await expect(auth.revokeToken({ token: 'garbage' })).resolves.toBeUndefined();
    await expect(auth.revokeToken({ token: 'a.b.c' })).resolves.toBeUndefined();
  });

  it('revokeToken in another group does nothing', async () => {
    const { auth } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    const tokens = await registerAndLogin(auth);
    await auth.revokeToken({ group: 'acme', token: tokens.accessToken });
    await auth.revokeToken({ group: 'acme', token: tokens.refreshToken });
    await expect(auth.verifyAccessToken(tokens.accessToken)).resolves.toBeDefined();
    await expect(auth.refresh({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
  });

  it('revokeToken with an expired access token leaves the session alone', async () => {
    const { auth, clock } = createTestAuth();
    const tokens = await registerAndLogin(auth);
    clock.advance(901);
    await auth.revokeToken({ token: tokens.accessToken });
    await expect(auth.refresh({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
  });
});
