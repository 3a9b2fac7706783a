import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { createTestAuth, decodeJwt, expectAuthError, manualClock, PASSWORD, registerAndLogin } from '../helpers.js';

const kidOf = (token: string) => decodeJwt(token).header.kid as string;

describe('KeyRing (through createAuth)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('creates a group key on first use, generation 1, and reuses it', async () => {
    const { auth, storage } = createTestAuth();
    expect(await storage.signingKeys.listByGroup('default')).toEqual([]);
    const { keys } = await auth.jwks();
    const stored = await storage.signingKeys.listByGroup('default');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ generation: 1, alg: 'EdDSA', group: 'default', id: keys[0]!.kid });
    const { accessToken } = await registerAndLogin(auth);
    expect(kidOf(accessToken)).toBe(stored[0]!.id);
  });

  it('creates exactly one first key under concurrent first use, within and across instances', async () => {
    const storage = memoryStorage();
    const clock = manualClock();
    const a = createTestAuth({ storage, clock }).auth;
    const b = createTestAuth({ storage, clock }).auth;
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => a.jwks()),
      ...Array.from({ length: 5 }, () => b.jwks()),
    ]);
    const stored = await storage.signingKeys.listByGroup('default');
    expect(stored).toHaveLength(1);
    for (const { keys } of results) expect(keys.map((k) => k.kid)).toEqual([stored[0]!.id]);
  });

  it('shares keys between instances on one storage and secret', async () => {
    const storage = memoryStorage();
    const clock = manualClock();
    const a = createTestAuth({ storage, clock }).auth;
    const b = createTestAuth({ storage, clock }).auth;
    const fromA = await registerAndLogin(a);
    await expect(b.verifyAccessToken(fromA.accessToken)).resolves.toMatchObject({ sub: fromA.account.id });
    const fromB = await b.login({ email: 'ada@example.com', password: PASSWORD });
    expect(kidOf(fromB.accessToken)).toBe(kidOf(fromA.accessToken));
    await expect(a.verifyAccessToken(fromB.accessToken)).resolves.toBeDefined();
  });

  it('concurrent rotations from two instances make one new generation', async () => {
    const storage = memoryStorage();
    const clock = manualClock();
    const a = createTestAuth({ storage, clock }).auth;
    const b = createTestAuth({ storage, clock }).auth;
    await a.jwks();
    const [ra, rb] = await Promise.all([a.rotateSigningKey(), b.rotateSigningKey()]);
    const stored = await storage.signingKeys.listByGroup('default');
    expect(stored.map((k) => k.generation)).toEqual([2, 1]);
    expect(ra.kid).toBe(stored[0]!.id);
    expect(rb.kid).toBe(stored[0]!.id);
  });

  it('each rotation adds a generation; the newest key signs', async () => {
    const { auth, storage } = createTestAuth();
    await auth.jwks();
    const second = await auth.rotateSigningKey();
    const third = await auth.rotateSigningKey();
    const stored = await storage.signingKeys.listByGroup('default');
    expect(stored.map((k) => [k.generation, k.id])).toEqual([
      [3, third.kid],
      [2, second.kid],
      [1, stored[2]!.id],
    ]);
    const { accessToken } = await registerAndLogin(auth);
    expect(kidOf(accessToken)).toBe(third.kid);
    // Generation 1 retired when 2 was made, at the same instant as 3: all three are still published.
    expect((await auth.jwks()).keys).toHaveLength(3);
  });

  it("another instance accepts a rotated key's tokens once its key cache may reload", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const storage = memoryStorage();
    const clock = manualClock();
    const a = createTestAuth({ storage, clock }).auth;
    const b = createTestAuth({ storage, clock }).auth;
    const first = await registerAndLogin(a);
    await b.verifyAccessToken(first.accessToken);
    await a.rotateSigningKey();
    const rotated = await a.login({ email: 'ada@example.com', password: PASSWORD });
    vi.setSystemTime(Date.now() + 1_100);
    await expect(b.verifyAccessToken(rotated.accessToken)).resolves.toMatchObject({ sub: first.account.id });
  });

  it('does not reload keys for every unknown kid (flood guard), yet refuses them', async () => {
    const { auth, storage } = createTestAuth();
    const { accessToken } = await registerAndLogin(auth);
    let reads = 0;
    const list = storage.signingKeys.listByGroup.bind(storage.signingKeys);
    storage.signingKeys.listByGroup = (group) => {
      reads++;
      return list(group);
    };
    const [h, p, s] = accessToken.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
    for (let i = 0; i < 50; i++) {
      const forged = `${Buffer.from(JSON.stringify({ ...header, kid: `key_${i}` })).toString('base64url')}.${p}.${s}`;
      await expectAuthError(auth.verifyAccessToken(forged), 'unauthenticated');
    }
    expect(reads).toBeLessThanOrEqual(1);
  });
});
