import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from '../../../src/core/internal/tokens/verified-tokens.js';
import type { AccessTokenClaims } from '../../../src/core/internal/tokens/access-token-claims.js';

/** The cache itself: by group and the exact token, canonical spellings only, bounded. */
describe('VerifiedTokens', () => {
  const claims: AccessTokenClaims = { iss: 'i', aud: 'a', sub: 'acc_1', grp: 'default', sid: 'ses_1', amr: ['pwd'], iat: 1, exp: 2, jti: 'jti_1' };
  const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhY2NfMSJ9.c2lnbmF0dXJlcw';
  const entry = { kid: 'key_1', alg: 'EdDSA', claims };

  it('finds a token only in the group it was verified in, and only by its exact bytes', () => {
    const cache = new VerifiedTokens(9);
    cache.set('default', token, entry);
    expect(cache.get('default', token)).toMatchObject({ kid: 'key_1', claims: { sub: 'acc_1' } });
    expect(cache.get('acme', token)).toBeUndefined();
    expect(cache.get('default', `${token}A`)).toBeUndefined();
    expect(cache.get('default', token.slice(1))).toBeUndefined();
  });

  it('keeps its own frozen copy of the claims', () => {
    const cache = new VerifiedTokens(9);
    const given = structuredClone(claims);
    cache.set('default', token, { ...entry, claims: given });
    given.amr.push('otp');
    const kept = cache.get('default', token)!.claims;
    expect(kept.amr).toEqual(['pwd']);
    expect(Object.isFrozen(kept) && Object.isFrozen(kept.amr)).toBe(true);
  });

  it.each([
    ['padding', `${token}==`],
    ['whitespace', token.replace('.', ' .')],
    ['unused low bits', token.replace(/w$/, 'x')],
    ['two parts', 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhY2NfMSJ9'],
    ['four parts', `${token}.x`],
    ['an empty part', 'eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl'],
  ])('does not keep a token with %s', (_, spelling) => {
    const cache = new VerifiedTokens(9);
    cache.set('default', spelling, entry);
    expect(cache.size).toBe(0);
  });

  it('holds at most max tokens, and none at 0', () => {
    const cache = new VerifiedTokens(2);
    for (const suffix of ['a', 'b', 'c']) cache.set('default', `${token}${suffix}A`, entry);
    expect(cache.size).toBe(2);
    const off = new VerifiedTokens(0);
    off.set('default', token, entry);
    expect(off.get('default', token)).toBeUndefined();
  });
});
