import { describe, expect, it } from 'vitest';
import { createTestAuth, expectAuthError, registerAndLogin } from '../helpers.js';
import { createPasskeyAuth } from '../webauthn/helpers.js';

const IP = '198.51.100.7';

describe('per-client limits on anonymous work', () => {
  it('passkey sign-in options (a stored challenge each) stop at the client’s budget; another client is unaffected', async () => {
    const t = createPasskeyAuth({}, { throttle: { challengesPerIp: { points: 5, durationSeconds: 60 } } });
    for (let i = 0; i < 5; i++) await t.auth.webauthnLoginOptions({ ip: IP });
    const refused = await expectAuthError(t.auth.webauthnLoginOptions({ ip: IP }), 'rate_limited');
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    // With an email too: the client is counted before any per-address key is looked at.
    await expectAuthError(t.auth.webauthnLoginOptions({ ip: IP, email: 'ada@example.com' }), 'rate_limited');
    await expect(t.auth.webauthnLoginOptions({ ip: '198.51.100.8' })).resolves.toHaveProperty('challenge');
  });

  it('an IPv6 client is one client across its /64, and an IPv4-mapped address is its IPv4 address', async () => {
    const t = createPasskeyAuth({}, { throttle: { challengesPerIp: { points: 3, durationSeconds: 60 } } });
    for (let i = 1; i <= 3; i++) await t.auth.webauthnLoginOptions({ ip: `2001:db8:5:6::${i}` });
    await expectAuthError(t.auth.webauthnLoginOptions({ ip: '2001:db8:5:6:ffff:1:2:3' }), 'rate_limited');
    for (let i = 0; i < 3; i++) await t.auth.webauthnLoginOptions({ ip: '::ffff:192.0.2.1' });
    await expectAuthError(t.auth.webauthnLoginOptions({ ip: '192.0.2.1' }), 'rate_limited');
  });

  it('checking secrets anonymously (refresh, logout, revocation, second step) is limited per client', async () => {
    const t = createTestAuth({
      throttle: {
        requestsPerIp: { points: 3, durationSeconds: 60 },
        refreshPerIp: { points: 3, durationSeconds: 60 },
      },
    });
    const tokens = await registerAndLogin(t.auth);
    const guess = 'x'.repeat(43);
    for (let i = 0; i < 3; i++) await expectAuthError(t.auth.refresh({ refreshToken: `${guess}${i}`, ip: IP }), 'unauthenticated');
    await expectAuthError(t.auth.refresh({ refreshToken: tokens.refreshToken, ip: IP }), 'rate_limited');

    for (let i = 0; i < 3; i++) await t.auth.logout({ refreshToken: `${guess}${i}`, ip: IP });
    await expectAuthError(t.auth.logout({ refreshToken: guess, ip: IP }), 'rate_limited');
    await expectAuthError(t.auth.revokeToken({ token: guess, ip: IP }), 'rate_limited');
    await expectAuthError(t.auth.completeTwoFactorLogin({ challenge: guess, code: '123456', ip: IP }), 'rate_limited');

    // The owner elsewhere is untouched.
    await expect(t.auth.refresh({ refreshToken: tokens.refreshToken, ip: '203.0.113.1' })).resolves.toHaveProperty('accessToken');
  });

  it('token and code checks without a session (login, verification, reset, unlock, passkey sign-in) are limited per client', async () => {
    const t = createPasskeyAuth({}, { throttle: { requestsPerIp: { points: 2, durationSeconds: 60 } } });
    const guess = 'x'.repeat(43);
    const routes: Array<(ip: string) => Promise<unknown>> = [
      // Right passwords too: every sign-in costs a hash and writes a session and history rows.
      (ip) => t.auth.login({ email: 'nobody@example.com', password: 'a guess at a password', ip }),
      (ip) => t.auth.verifyEmail({ token: guess, ip }),
      (ip) => t.auth.resetPassword({ token: guess, password: 'a new passphrase', ip }),
      (ip) => t.auth.unlockAccount({ email: 'ada@example.com', recoveryCode: 'aaaaa-bbbbb-ccccc', newPassword: 'a new passphrase', ip }),
      (ip) => t.auth.verifyWebauthnLogin({ credential: {} as never, ip }),
    ];
    for (const [index, route] of routes.entries()) {
      // Each route from a client of its own, so one route's refusals do not stand for another's.
      const ip = `198.51.100.${index + 20}`;
      for (let i = 0; i < 2; i++) {
        const refusal = (await route(ip).then(() => null, (e: unknown) => e)) as { code?: string } | null;
        expect(refusal?.code).not.toBe('rate_limited');
      }
      await expectAuthError(route(ip), 'rate_limited');
    }
  });
});
