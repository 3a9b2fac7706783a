import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePassword } from '../../../src/core/accounts/normalize.js';
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
