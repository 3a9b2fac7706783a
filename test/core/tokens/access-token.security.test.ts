import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Auth, Storage } from '../../../src/index.js';
import {
  b64url,
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
 * Attacks on access tokens. Every forged or stale token must be refused with `unauthenticated` and the
 * same message, whatever was wrong with it, by `verifyAccessToken` and by `authenticate` alike.
 */
describe('verifyAccessToken and authenticate under attack', () => {
  let auth: Auth;
  let storage: Storage;
  let clock: ManualClock;
  let token: string;
  let claims: JWTPayload & Record<string, unknown>;
  let header: Record<string, unknown>;
  let realKey: Awaited<ReturnType<typeof readSigningKey>>;

  /** Both checks of a token refuse it alike: `verifyAccessToken`, and `authenticate` (the one read with the account). */
  const refuse = async (forged: string, options?: Parameters<Auth['verifyAccessToken']>[1]) => {
    for (const check of [() => auth.verifyAccessToken(forged, options), () => auth.authenticate({ ...options, token: forged })]) {
      const error = await expectAuthError(check(), 'unauthenticated');
      expect(error.message).toBe('The access token is missing, invalid, expired or revoked.');
    }
  };
  /** Re-signs claims with the real private key and the real header. */
  const resign = (payload: JWTPayload, extraHeader: Record<string, unknown> = {}) =>
    signToken(payload, realKey.key, { alg: realKey.alg, kid: realKey.kid, ...extraHeader });

  beforeEach(async () => {
    ({ auth, storage, clock } = createTestAuth());
    ({ accessToken: token } = await registerAndLogin(auth));
    ({ payload: claims, header } = decodeJwt(token));
    realKey = await readSigningKey(storage);
  });

  describe('controls (the forging machinery itself is sound)', () => {
    it('accepts the issued token, with the documented header and claims', async () => {
      expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: realKey.kid });
      const verified = await auth.verifyAccessToken(token);
      expect(verified).toMatchObject({ iss: 'latchkey', aud: 'latchkey', grp: 'default', amr: ['pwd'] });
      expect(verified.exp - verified.iat).toBe(900);
    });

    it('accepts the same claims re-signed with the real key', async () => {
      await expect(auth.verifyAccessToken(await resign(claims))).resolves.toMatchObject({ sub: claims.sub });
    });
  });

  describe('malformed tokens', () => {
    it.each(['', 'abc', 'a.b.c', 'a.b.c.d', '...', 'Bearer x.y.z'])('refuses %j', async (bad) => {
      await refuse(bad);
    });

    it('refuses a token with extra parts appended', async () => {
      await refuse(`${token}.x`);
    });
  });

  describe('algorithm attacks', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s with an empty signature', async (alg) => {
      const forged = `${b64url({ alg, typ: 'at+jwt', kid: realKey.kid })}.${b64url(claims)}.`;
      await refuse(forged);
      await refuse(forged, { checkRevocation: false });
    });

    it('refuses alg none that keeps the original signature', async () => {
      const signature = token.split('.')[2];
      await refuse(`${b64url({ alg: 'none', typ: 'at+jwt', kid: realKey.kid })}.${b64url(claims)}.${signature}`);
    });

    it('refuses HS256 signed with the public key as the HMAC secret', async () => {
      const { keys } = await auth.jwks();
      const jwk = keys[0]!;
      const secrets = [
        new Uint8Array(Buffer.from(jwk.x!, 'base64url')),
        new TextEncoder().encode(jwk.x!),
        new TextEncoder().encode(JSON.stringify(jwk)),
        new TextEncoder().encode(JSON.stringify({ keys })),
      ];
      for (const secret of secrets) {
        for (const alg of ['HS256', 'HS384', 'HS512']) {
          await refuse(await signToken(claims, secret, { alg, kid: jwk.kid }), { checkRevocation: false });
        }
      }
    });

    it.each([
      ['RS256', {}],
      ['PS256', {}],
      ['ES256', {}],
      ['EdDSA', { crv: 'Ed25519' }],
    ])('refuses %s signed with an attacker key under a published kid', async (alg, options) => {
      const attacker = await generateKeyPair(alg, { ...options, extractable: true });
      const { keys } = await auth.jwks();
      for (const { kid } of keys) {
        await refuse(await signToken(claims, attacker.privateKey, { alg, kid: kid! }));
      }
    });

    it('refuses a token that embeds the attacker public key in its header (jwk / jku / x5u)', async () => {
      const attacker = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      const jwk = await exportJWK(attacker.publicKey);
      const headers = [
        { jwk },
        { jwk, kid: realKey.kid },
        { jku: 'https://attacker.example/jwks.json', kid: realKey.kid },
        { x5u: 'https://attacker.example/cert.pem', kid: realKey.kid },
      ];
      for (const extra of headers) {
        const forged = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', ...extra })
          .sign(attacker.privateKey);
        await refuse(forged);
      }
    });

    it('refuses a token signed with the real key but naming no kid or an unknown kid', async () => {
      await refuse(await signToken(claims, realKey.key, { alg: realKey.alg }));
      await refuse(await resign(claims, { kid: 'key_unknown' }));
      await refuse(await resign(claims, { kid: '' }));
    });
  });

  describe('header and claim checks (signed with the REAL private key)', () => {
    it('refuses typ JWT, a missing typ and other typ values', async () => {
      await refuse(await resign(claims, { typ: 'JWT' }));
      await refuse(await resign(claims, { typ: 'application/jwt' }));
      await refuse(await resign(claims, { typ: 'dpop+jwt' }));
      await refuse(await signToken(claims, realKey.key, { alg: realKey.alg, kid: realKey.kid, typ: undefined }));
    });

    it('refuses a wrong issuer, or none', async () => {
      await refuse(await resign({ ...claims, iss: 'https://attacker.example' }));
      const { iss: _iss, ...withoutIss } = claims;
      await refuse(await resign(withoutIss));
    });

    it('refuses a wrong audience, or none', async () => {
      await refuse(await resign({ ...claims, aud: 'another-api' }));
      await refuse(await resign({ ...claims, aud: ['another-api'] }));
      const { aud: _aud, ...withoutAud } = claims;
      await refuse(await resign(withoutAud));
    });

    it('refuses a token claiming another group', async () => {
      await auth.createGroup({ id: 'acme' });
      await refuse(await resign({ ...claims, grp: 'acme' }));
      await refuse(await resign({ ...claims, grp: 'acme' }), { checkRevocation: false });
      await refuse(await resign({ ...claims, grp: 'acme' }), { group: 'acme', checkRevocation: false });
      const { grp: _grp, ...withoutGrp } = claims;
      await refuse(await resign(withoutGrp), { checkRevocation: false });
    });

    it('refuses a missing or malformed sid', async () => {
      const { sid: _sid, ...withoutSid } = claims;
      await refuse(await resign(withoutSid));
      await refuse(await resign(withoutSid), { checkRevocation: false });
      await refuse(await resign({ ...claims, sid: 42 }), { checkRevocation: false });
      await refuse(await resign({ ...claims, sid: 'ses_01HZZZZZZZZZZZZZZZZZZZZZZZ' }));
    });

    it('refuses a missing sub, or a sub that is not the session owner', async () => {
      const { sub: _sub, ...withoutSub } = claims;
      await refuse(await resign(withoutSub), { checkRevocation: false });
      const other = await auth.register({ email: 'eve@example.com', password: PASSWORD });
      await refuse(await resign({ ...claims, sub: other.id }));
    });

    it('refuses a missing exp or iat, or a malformed amr', async () => {
      const { exp: _exp, ...withoutExp } = claims;
      const { iat: _iat, ...withoutIat } = claims;
      await refuse(await resign(withoutExp), { checkRevocation: false });
      await refuse(await resign(withoutIat), { checkRevocation: false });
      await refuse(await resign({ ...withoutExp, exp: String(claims.exp) } as unknown as JWTPayload), { checkRevocation: false });
      await refuse(await resign({ ...claims, amr: 'pwd' }), { checkRevocation: false });
    });

    it('refuses a tampered payload that keeps the original signature', async () => {
      const [h, , s] = token.split('.');
      const other = await auth.register({ email: 'eve@example.com', password: PASSWORD });
      for (const tampered of [
        { ...claims, sub: other.id },
        { ...claims, exp: (claims.exp as number) + 86_400 },
        { ...claims, amr: ['pwd', 'otp'] },
        { ...claims, roles: ['admin'] },
      ]) {
        await refuse(`${h}.${b64url(tampered)}.${s}`);
        await refuse(`${h}.${b64url(tampered)}.${s}`, { checkRevocation: false });
      }
      // A tampered header, too.
      await refuse(`${b64url({ ...header, kid: realKey.kid, x: 1 })}.${token.split('.')[1]}.${s}`);
    });
  });

  describe('expiry', () => {
    it('refuses a token once it has expired, with or without the revocation check', async () => {
      clock.advance(899);
      await expect(auth.verifyAccessToken(token)).resolves.toBeDefined();
      clock.advance(2);
      await refuse(token);
      await refuse(token, { checkRevocation: false });
    });

    it('refuses a token whose exp was pushed forward by re-signing after its session ended', async () => {
      clock.advance(901);
      const now = Math.floor(clock.now().getTime() / 1000);
      const fresh = await resign({ ...claims, iat: now, exp: now + 900 });
      await expect(auth.verifyAccessToken(fresh)).resolves.toBeDefined();
      // The session idles out after 14 days without a refresh; a token outliving it is refused.
      clock.advance(14 * 86_400);
      const later = Math.floor(clock.now().getTime() / 1000);
      await refuse(await resign({ ...claims, iat: later, exp: later + 900 }));
    });
  });

  describe('groups', () => {
    it('refuses a token of group acme in default, and one of default in acme', async () => {
      await auth.createGroup({ id: 'acme' });
      const acme = await registerAndLogin(auth, { group: 'acme' });
      await expect(auth.verifyAccessToken(acme.accessToken, { group: 'acme' })).resolves.toMatchObject({ grp: 'acme' });
      await refuse(acme.accessToken);
      await refuse(acme.accessToken, { group: 'default', checkRevocation: false });
      await refuse(token, { group: 'acme' });
      await refuse(token, { group: 'acme', checkRevocation: false });
    });

    it("refuses a token signed with acme's real key that claims group default", async () => {
      await auth.createGroup({ id: 'acme' });
      await registerAndLogin(auth, { group: 'acme' });
      const acmeKey = await readSigningKey(storage, 'acme');
      expect(acmeKey.kid).not.toBe(realKey.kid);
      await refuse(await signToken(claims, acmeKey.key, { alg: acmeKey.alg, kid: acmeKey.kid }));
      // Even naming default's kid, the signature does not match default's key.
      await refuse(await signToken(claims, acmeKey.key, { alg: acmeKey.alg, kid: realKey.kid }));
    });

    it('refuses a token for an unknown group', async () => {
      await refuse(token, { group: 'nope' });
    });
  });

  describe('revocation', () => {
    it('refuses the token of a revoked session; the stateless check still accepts it', async () => {
      const verified = await auth.verifyAccessToken(token);
      await auth.revokeSession({ group: 'default', accountId: verified.sub, sessionId: verified.sid });
      await refuse(token);
      await expect(auth.verifyAccessToken(token, { checkRevocation: false })).resolves.toMatchObject({ sid: verified.sid });
    });

    it('refuses the token after logout', async () => {
      const tokens = await auth.login({ email: 'ada@example.com', password: PASSWORD });
      await auth.logout({ refreshToken: tokens.refreshToken });
      await refuse(tokens.accessToken);
      await expect(auth.verifyAccessToken(tokens.accessToken, { checkRevocation: false })).resolves.toBeDefined();
      // The other session is untouched.
      await expect(auth.verifyAccessToken(token)).resolves.toBeDefined();
    });

    it('refuses the token after revokeToken with the access token itself', async () => {
      await auth.revokeToken({ token });
      await refuse(token);
    });

    it('refuses the token of a deleted account', async () => {
      const { sub } = await auth.verifyAccessToken(token);
      await storage.accounts.delete('default', sub);
      await refuse(token);
    });
  });
});
