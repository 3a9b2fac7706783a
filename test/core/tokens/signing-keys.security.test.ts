import { describe, expect, it } from 'vitest';
import { createTestAuth, decodeJwt, expectAuthError, PASSWORD, readSigningKey, registerAndLogin, signToken } from '../helpers.js';

/** Signing keys at rest and over their life: sealed private halves, rotation, withdrawal. */
describe('signing keys', () => {
  it('stores private keys sealed and publishes no private part', async () => {
    const { auth, storage } = createTestAuth();
    await registerAndLogin(auth);
    const { privateJwk, sealed, publicJwk } = await readSigningKey(storage);
    expect(privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sealed).not.toContain(privateJwk.d);
    expect(sealed).not.toContain('"d"');
    expect(sealed).not.toContain('OKP');
    expect(publicJwk).not.toHaveProperty('d');
    const { keys } = await auth.jwks();
    expect(keys).toHaveLength(1);
    for (const key of keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) });
    }
    expect(JSON.stringify(keys)).not.toContain(privateJwk.d!);
  });

  it('an instance with another secret cannot unseal the stored key: it says so, and never signs with it', async () => {
    const { auth, storage } = createTestAuth();
    const first = await registerAndLogin(auth);
    const { auth: intruder } = createTestAuth({ storage, secret: 'afBaGyrGypTw_VX8q7X8Vwmp1InzC_xjkKKRpYez' });
    await expect(intruder.checkSecret()).rejects.toThrow(/cannot open the signing keys stored in the database/);
    // Sign-in goes on under a new key of its own (see secret-rotation.security.test.ts), never the stored one.
    const second = await intruder.login({ email: 'ada@example.com', password: PASSWORD });
    expect(decodeJwt(second.accessToken).header.kid).not.toBe(decodeJwt(first.accessToken).header.kid);
  });

  it('rotation: new kid for new tokens, old tokens keep verifying, then the old key is withdrawn', async () => {
    const { auth, storage, clock } = createTestAuth();
    const before = await registerAndLogin(auth);
    const oldKid = decodeJwt(before.accessToken).header.kid as string;

    const { kid: newKid } = await auth.rotateSigningKey();
    expect(newKid).not.toBe(oldKid);
    const after = await auth.login({ email: 'ada@example.com', password: PASSWORD });
    expect(decodeJwt(after.accessToken).header.kid).toBe(newKid);
    const refreshed = await auth.refresh({ refreshToken: before.refreshToken });
    expect(decodeJwt(refreshed.accessToken).header.kid).toBe(newKid);

    await expect(auth.verifyAccessToken(before.accessToken)).resolves.toBeDefined();
    await expect(auth.verifyAccessToken(after.accessToken)).resolves.toBeDefined();
    expect((await auth.jwks()).keys.map((k) => k.kid)).toEqual([newKid, oldKid]);

    // The old key stays published for accessTokenTtl + 60 s cache + 60 s margin after its retirement.
    clock.advance(900 + 60 + 60 - 1);
    expect((await auth.jwks()).keys.map((k) => k.kid)).toEqual([newKid, oldKid]);
    clock.advance(2);
    expect((await auth.jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    const refuse = (t: string) => expectAuthError(auth.verifyAccessToken(t, { checkRevocation: false }), 'unauthenticated');
    await refuse(before.accessToken);

    // An unexpired token signed now with the retired key (stolen, say) is refused; the same claims
    // signed with the current key are accepted, so the refusal is the key's.
    const oldKey = await readSigningKey(storage, 'default', 1);
    const currentKey = await readSigningKey(storage, 'default', 2);
    expect(oldKey.kid).toBe(oldKid);
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { ...decodeJwt(after.accessToken).payload, iat: now, exp: now + 900 };
    await refuse(await signToken(claims, oldKey.key, { alg: oldKey.alg, kid: oldKid }));
    await expect(
      auth.verifyAccessToken(await signToken(claims, currentKey.key, { alg: currentKey.alg, kid: newKid })),
    ).resolves.toBeDefined();
  });

  it('rotates per group', async () => {
    const { auth } = createTestAuth();
    await auth.createGroup({ id: 'acme' });
    const defaultKids = (await auth.jwks()).keys.map((k) => k.kid);
    const acmeKids = (await auth.jwks({ group: 'acme' })).keys.map((k) => k.kid);
    expect(defaultKids).toHaveLength(1);
    expect(acmeKids).toHaveLength(1);
    expect(acmeKids[0]).not.toBe(defaultKids[0]);
    await auth.rotateSigningKey({ group: 'acme' });
    expect((await auth.jwks()).keys.map((k) => k.kid)).toEqual(defaultKids);
    expect((await auth.jwks({ group: 'acme' })).keys).toHaveLength(2);
    await expectAuthError(auth.rotateSigningKey({ group: 'nope' }), 'not_found');
    await expectAuthError(auth.jwks({ group: 'nope' }), 'not_found');
  });
});
