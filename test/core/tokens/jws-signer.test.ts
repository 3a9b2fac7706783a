import { createLocalJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { memoryRateLimiter, nodeJwsSigner, outboxMailer, outboxSmsSender, silentLogger } from '../../../src/adapters/index.js';
import { createAuth as createCoreAuth } from '../../../src/core/create-auth.js';
import { webCryptoJwsSigner } from '../../../src/core/internal/tokens/web-crypto-jws-signer.js';
import type { JwsSigner } from '../../../src/index.js';
import { createTestAuth, decodeJwt, fastHasher, PASSWORD, readSigningKey, registerAndLogin, TEST_SECRET } from '../helpers.js';

/**
 * The `jwsSigner` port: node:crypto (the default of `createAuth` from `latchkey`) and WebCrypto (the
 * core's) sign alike, and the tokens either issues are the tokens the other verifies.
 */
describe('JWS signers', () => {
  const input = new TextEncoder().encode('eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhY2NfMSJ9');

  it('give the same Ed25519 signature, one that verifies', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const byNode = await nodeJwsSigner().sign('EdDSA', privateKey as CryptoKey, input);
    const byWebCrypto = await webCryptoJwsSigner.sign('EdDSA', privateKey as CryptoKey, input);
    expect(byNode).toHaveLength(64);
    expect(Buffer.from(byNode).equals(Buffer.from(byWebCrypto))).toBe(true);
    await expect(crypto.subtle.verify({ name: 'Ed25519' }, publicKey as CryptoKey, new Uint8Array(byNode), input)).resolves.toBe(true);
    const tampered = new Uint8Array(input);
    tampered[0]! ^= 1;
    await expect(crypto.subtle.verify({ name: 'Ed25519' }, publicKey as CryptoKey, new Uint8Array(byNode), tampered)).resolves.toBe(false);
  });

  it('refuse an algorithm they do not implement', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect(() => nodeJwsSigner().sign('RS256', privateKey as CryptoKey, input)).toThrow(/cannot sign with RS256/);
    await expect(webCryptoJwsSigner.sign('none', privateKey as CryptoKey, input)).rejects.toThrow(/cannot sign with none/);
  });

  it('issue tokens that the other instance, and bare jose with the published keys, verify', async () => {
    const { auth: nodeSigned, storage, clock } = createTestAuth();
    const webSigned = createCoreAuth({
      storage,
      clock,
      secret: TEST_SECRET,
      passwordHasher: fastHasher(),
      rateLimiter: memoryRateLimiter({ clock }),
      mailer: outboxMailer({ clock }),
      sms: outboxSmsSender({ clock }),
      logger: silentLogger,
    });
    const first = await registerAndLogin(nodeSigned);
    const second = await webSigned.login({ email: 'ada@example.com', password: PASSWORD });
    expect(decodeJwt(first.accessToken).header).toEqual(decodeJwt(second.accessToken).header);
    expect(Object.keys(decodeJwt(first.accessToken).payload).sort()).toEqual(Object.keys(decodeJwt(second.accessToken).payload).sort());
    for (const token of [first.accessToken, second.accessToken]) {
      await expect(nodeSigned.verifyAccessToken(token)).resolves.toMatchObject({ grp: 'default', amr: ['pwd'] });
      await expect(webSigned.verifyAccessToken(token)).resolves.toMatchObject({ grp: 'default', amr: ['pwd'] });
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await nodeSigned.jwks()), {
        issuer: 'latchkey',
        audience: 'latchkey',
        typ: 'at+jwt',
        currentDate: clock.now(),
      });
      expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
      expect(payload.exp! - payload.iat!).toBe(900);
    }
  });

  it('issue, byte for byte, the token jose\'s SignJWT makes of the same claims', async () => {
    const { auth, storage } = createTestAuth();
    const { accessToken } = await registerAndLogin(auth);
    const { header, payload } = decodeJwt(accessToken);
    const key = await readSigningKey(storage);
    type Claims = { grp: string; sid: string; amr: string[]; iss: string; aud: string; sub: string; iat: number; exp: number; jti: string };
    const { grp, sid, amr, iss, aud, sub, iat, exp, jti } = payload as Claims;
    const byJose = await new SignJWT({ grp, sid, amr })
      .setProtectedHeader(header as { alg: string; typ: string; kid: string })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject(sub)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(key.key);
    expect(accessToken).toBe(byJose);
  });

  it('sign with the jwsSigner given, and refuse one that is not a signer', async () => {
    const calls: string[] = [];
    const counting: JwsSigner = {
      sign: (alg, key, data) => {
        calls.push(alg);
        return nodeJwsSigner().sign(alg, key, data);
      },
    };
    const { auth } = createTestAuth({ jwsSigner: counting });
    const { accessToken } = await registerAndLogin(auth);
    expect(calls).toEqual(['EdDSA']);
    await expect(auth.verifyAccessToken(accessToken)).resolves.toBeDefined();
    expect(() => createTestAuth({ jwsSigner: {} as JwsSigner })).toThrow(/jwsSigner/);
  });
});
