import { describe, expect, it } from 'vitest';
import { assertNoNul, lookupEmail, normalizeEmail, normalizePassword } from '../../../src/core/internal/accounts/normalize.js';
import { isAuthError } from '../../../src/index.js';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
  });

  it('applies NFKC: fullwidth letters and at sign become ASCII', () => {
    expect(normalizeEmail('ＡＤＡ@example.com')).toBe('ada@example.com');
    expect(normalizeEmail('ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('ada@example.com');
  });

  it('is idempotent', () => {
    const once = normalizeEmail(' ＡＤＡ@Example.com ');
    expect(normalizeEmail(once)).toBe(once);
  });

  it.each(['', 'ada', 'ada@', '@example.com', 'ada@@example.com', `${'a'.repeat(250)}@example.com`])(
    'refuses %j with validation_failed on `email`',
    (email) => {
      let thrown: unknown;
      try {
        normalizeEmail(email);
      } catch (error) {
        thrown = error;
      }
      expect(isAuthError(thrown, 'validation_failed')).toBe(true);
      expect((thrown as { details: unknown }).details).toEqual([{ path: 'email', message: expect.any(String) }]);
    },
  );
});

describe('normalizePassword', () => {
  it('composes a decomposed password (NFKC) and leaves its case alone', () => {
    expect(normalizePassword('Cafe\u0301')).toBe('Caf\u00e9');
    expect(normalizePassword('ＰＡＳＳ')).toBe('PASS');
  });
});

describe('NUL characters (PostgreSQL refuses U+0000 in text)', () => {
  it('normalizeEmail refuses one anywhere', () => {
    for (const email of ['a\u0000@example.com', 'ada@exa\u0000mple.com', 'ada@example.com\u0000', '\u0000']) {
      expect(() => normalizeEmail(email)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });

  it('lookupEmail never throws and never returns one: a malformed email matches no stored address', () => {
    expect(lookupEmail(' Ada@Example.com ')).toBe('ada@example.com');
    expect(lookupEmail('A\u0000@example.com')).toBe('a\uFFFD@example.com');
    expect(lookupEmail('not an email')).toBe('not an email');
  });

  it('assertNoNul names the field', () => {
    expect(() => assertNoNul('Ada', 'name.first')).not.toThrow();
    expect(() => assertNoNul(null, 'name.first')).not.toThrow();
    try {
      assertNoNul('A\u0000da', 'name.last');
      expect.fail('expected validation_failed');
    } catch (error) {
      expect(isAuthError(error, 'validation_failed')).toBe(true);
      expect((error as { details: unknown }).details).toEqual([{ path: 'name.last', message: 'must not contain NUL characters' }]);
    }
  });
});
