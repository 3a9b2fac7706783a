import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
 * The verified-token cache (`verifiedTokenCache`): a token presented again skips its signature check,
 * and nothing else. Each attack starts from a token the instance has already verified, so that a
 * cache that trusted too much would let it through.
 */
describe('verified tokens under attack', () => {
  let auth: Auth;
  let storage: Storage;
  let clock: ManualClock;
  let token: string;
  let refreshToken: string;
  let signatureChecks: ReturnType<typeof vi.spyOn>;

  /** Both checks refuse the token, with and without the session read. */
  const refuse = async (forged: string) => {
    for (const check of [
      () => auth.verifyAccessToken(forged),
      () => auth.verifyAccessToken(forged, { checkRevocation: false }),
      () => auth.authenticate({ token: forged }),
      () => auth.authenticate({ token: forged, checkRevocation: false }),
    ]) {
      await expectAuthError(check(), 'unauthenticated');
    }
  };

  beforeEach(async () => {
    ({ auth, storage, clock } = createTestAuth());
    ({ accessToken: token, refreshToken } = await registerAndLogin(auth));
    signatureChecks = vi.spyOn(globalThis.crypto.subtle, 'verify');
    await auth.verifyAccessToken(token);
  });

  afterEach(() => {
    signatureChecks.mockRestore();
  });

  it('checks a token’s signature once, then trusts its bytes (the control)', async () => {
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    await auth.verifyAccessToken(token);
    await auth.authenticate({ token });
    await auth.verifyAccessToken(token, { checkRevocation: false });
    expect(signatureChecks).toHaveBeenCalledTimes(1);
  });

  it('checks every signature with the cache off', async () => {
    ({ auth } = createTestAuth({ storage, clock, verifiedTokenCache: 0 }));
    signatureChecks.mockClear();
    await auth.verifyAccessToken(token);
    await auth.authenticate({ token });
    expect(signatureChecks).toHaveBeenCalledTimes(2);
  });

  it('refuses a verified token with its signature altered', async () => {
    const [head, body, signature] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0]! ^= 1;
    await refuse(`${head}.${body}.${bytes.toString('base64url')}`);
    await refuse(`${head}.${body}.`);
    await expect(auth.verifyAccessToken(token)).resolves.toMatchObject({ grp: 'default' });
  });

  it('refuses a verified token with its payload edited and the signature kept', async () => {
    const [head, , signature] = token.split('.') as [string, string, string];
    const { payload } = decodeJwt(token);
    await refuse(`${head}.${b64url({ ...payload, sub: 'acc_someone_else' })}.${signature}`);
    await refuse(`${head}.${b64url({ ...payload, exp: (payload.exp as number) + 86_400 })}.${signature}`);
    await refuse(`${head}.${b64url({ ...payload, amr: ['pwd', 'otp'] })}.${signature}`);
  });

  it('refuses a verified token with its header swapped to alg none', async () => {
    const [, body] = token.split('.') as [string, string, string];
    const { header } = decodeJwt(token);
    await refuse(`${b64url({ ...header, alg: 'none' })}.${body}.`);
  });

  it('refuses a verified token once it expires', async () => {
    const { payload } = decodeJwt(token);
    const now = Math.floor(clock.now().getTime() / 1000);
    clock.advance((payload.exp as number) - now - 1);
    await expect(auth.verifyAccessToken(token, { checkRevocation: false })).resolves.toBeDefined();
    clock.advance(1);
    await refuse(token);
  });

  it('refuses a verified token not yet valid when the clock goes back before its nbf', async () => {
    const key = await readSigningKey(storage);
    const now = Math.floor(clock.now().getTime() / 1000);
    const claims = { ...decodeJwt(token).payload, nbf: now, iat: now, exp: now + 900 };
    const early = await signToken(claims, key.key, { alg: key.alg, kid: key.kid });
    await expect(auth.verifyAccessToken(early)).resolves.toBeDefined();
    clock.advance(-1);
    await refuse(early);
  });

  it('refuses a verified token when its session is revoked', async () => {
    await auth.logout({ refreshToken });
    await expectAuthError(auth.verifyAccessToken(token), 'unauthenticated');
    await expectAuthError(auth.authenticate({ token }), 'unauthenticated');
  });

  it('refuses a verified long-lived token once its key is withdrawn, though the token has not expired', async () => {
    const key = await readSigningKey(storage);
    const now = Math.floor(clock.now().getTime() / 1000);
    const longLived = await signToken({ ...decodeJwt(token).payload, exp: now + 86_400 }, key.key, { alg: key.alg, kid: key.kid });
    await expect(auth.verifyAccessToken(longLived, { checkRevocation: false })).resolves.toBeDefined();
    await auth.rotateSigningKey();
    // The retired key stays published for accessTokenTtl + 60 s cache + 60 s margin.
    clock.advance(900 + 60 + 60 + 1);
    await expectAuthError(auth.verifyAccessToken(longLived, { checkRevocation: false }), 'unauthenticated');
  });

  it('refuses in another group a token verified in its own', async () => {
    await auth.createGroup({ id: 'acme' });
    await refused(() => auth.verifyAccessToken(token, { group: 'acme', checkRevocation: false }));
    await refused(() => auth.authenticate({ token, group: 'acme' }));
    const acme = await registerAndLogin(auth, { group: 'acme' });
    await auth.verifyAccessToken(acme.accessToken, { group: 'acme' });
    await refused(() => auth.verifyAccessToken(acme.accessToken, { checkRevocation: false }));
  });

  it('hands out claims a caller cannot change for the next caller, from the first check on', async () => {
    // A new instance: its first check is the one that fills the cache.
    ({ auth } = createTestAuth({ storage, clock }));
    const verifying = await auth.verifyAccessToken(token);
    verifying.sub = 'acc_someone_else';
    verifying.amr.push('otp');
    verifying.grp = 'acme';
    await expect(auth.verifyAccessToken(token)).resolves.toMatchObject({ sub: decodeJwt(token).payload.sub, amr: ['pwd'], grp: 'default' });
    const first = await auth.verifyAccessToken(token);
    first.sub = 'acc_someone_else';
    first.amr.push('otp');
    const second = await auth.verifyAccessToken(token);
    expect(second.sub).not.toBe('acc_someone_else');
    expect(second.amr).toEqual(['pwd']);
    second.amr.push('hwk');
    expect((await auth.authenticate({ token })).claims.amr).toEqual(['pwd']);
  });

  it('keeps only the canonical spelling of a token: its variants are checked in full every time', async () => {
    const [head, body, signature] = token.split('.') as [string, string, string];
    // The last of 86 characters carries 2 bits of the 64-byte signature and 4 unused ones, which
    // forgiving decoders ignore: the next character spells the same bytes.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const variant = `${head}.${body}.${signature.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
    expect(Buffer.from(variant.split('.')[2]!, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
    signatureChecks.mockClear();
    for (let i = 0; i < 3; i++) await auth.verifyAccessToken(variant, { checkRevocation: false }).catch(() => undefined);
    expect(signatureChecks).toHaveBeenCalledTimes(3);
    await auth.verifyAccessToken(token);
    expect(signatureChecks).toHaveBeenCalledTimes(3);
  });

  it('keeps at most verifiedTokenCache tokens, the least recently used dropped first', async () => {
    ({ auth } = createTestAuth({ storage, clock, verifiedTokenCache: 1 }));
    const other = await auth.login({ email: 'ada@example.com', password: PASSWORD });
    signatureChecks.mockClear();
    await auth.verifyAccessToken(token);
    await auth.verifyAccessToken(token);
    expect(signatureChecks).toHaveBeenCalledTimes(1);
    await auth.verifyAccessToken(other.accessToken);
    await auth.verifyAccessToken(token);
    expect(signatureChecks).toHaveBeenCalledTimes(3);
  });

  it('refuses an out-of-range verifiedTokenCache', () => {
    expect(() => createTestAuth({ verifiedTokenCache: -1 })).toThrow(/verifiedTokenCache/);
    expect(() => createTestAuth({ verifiedTokenCache: 1.5 })).toThrow(/verifiedTokenCache/);
  });
});

async function refused(check: () => Promise<unknown>): Promise<void> {
  await expectAuthError(check(), 'unauthenticated');
}
