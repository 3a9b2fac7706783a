import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import { createTestAuth, manualClock } from '../helpers.js';
import { createPasskeyAuth } from '../webauthn/helpers.js';

const IP = '198.51.100.7';

/** Resolves every promise; counts how many were refused with `rate_limited`. */
async function settle(calls: Array<Promise<unknown>>): Promise<{ ok: number; limited: number }> {
  const results = await Promise.allSettled(calls);
  const limited = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'rate_limited').length;
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  expect(ok + limited).toBe(calls.length);
  return { ok, limited };
}

describe('floods from one client', () => {
  it('3,000 password-reset requests for distinct addresses: 50 get through, and the limiter holds a handful of keys', async () => {
    const clock = manualClock();
    const rateLimiter = memoryRateLimiter({ clock });
    const t = createTestAuth({ clock, rateLimiter });
    const calls = Array.from({ length: 3000 }, (_, i) => t.auth.requestPasswordReset({ email: `victim${i}@example.com`, ip: IP }));
    const { ok, limited } = await settle(calls);
    expect(ok).toBe(50);
    expect(limited).toBe(2950);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the per-address part runs in the background
    // One per-client counter plus one per admitted address: nothing grows with the flood.
    expect(rateLimiter.size).toBeLessThanOrEqual(55);
  });

  it('an IPv6 client rotating through its /64 is still one client', async () => {
    const clock = manualClock();
    const rateLimiter = memoryRateLimiter({ clock });
    const t = createTestAuth({ clock, rateLimiter });
    const calls = Array.from({ length: 500 }, (_, i) =>
      t.auth.requestPasswordReset({ email: `victim${i}@example.com`, ip: `2001:db8:77:1:${(i + 1).toString(16)}::1` }),
    );
    expect((await settle(calls)).ok).toBe(50);
  });

  it('2,000 passkey sign-in options store at most the client’s budget of challenges (60 a minute)', async () => {
    const t = createPasskeyAuth();
    const { ok } = await settle(Array.from({ length: 2000 }, () => t.auth.webauthnLoginOptions({ ip: IP })));
    expect(ok).toBe(60);
    // Once they have expired, the purge finds exactly the stored ones.
    t.clock.advance(3600);
    expect((await t.auth.purgeDeletedAccounts()).challengesRemoved).toBe(60);
  });

  it('distinct clients by the hundred thousand cannot grow the in-memory limiter past its cap', async () => {
    const rateLimiter = memoryRateLimiter({ clock: manualClock(), maxKeys: 5000 });
    const rule = { name: 'client-request', points: 120, durationSeconds: 60 };
    for (let i = 0; i < 100_000; i++) await rateLimiter.hit(rule, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    expect(rateLimiter.size).toBe(5000);
  });
});
