import { describe, expect, it } from 'vitest';
import { commonPasswordPolicy } from '../../../src/adapters/password-policy/common.js';
import { COMMON_PASSWORDS } from '../../../src/adapters/password-policy/common-passwords.js';
import { silentLogger } from '../../../src/adapters/logger/silent.js';
import type { PasswordCheckContext } from '../../../src/index.js';

const context: PasswordCheckContext = { operation: 'register', group: 'default', email: null, logger: silentLogger };
const TOO_COMMON = { ok: false, reason: 'common', message: 'is too common' };

describe('the bundled list', () => {
  const list = COMMON_PASSWORDS.split('\n');

  it('holds 10,000 distinct lower-case passwords of 8+ characters, most common first', () => {
    expect(list).toHaveLength(10_000);
    expect(new Set(list).size).toBe(10_000);
    expect(list.every((p) => p === p.toLowerCase() && [...p].length >= 8 && !/\s/.test(p))).toBe(true);
    expect(list.slice(0, 3)).toEqual(['password', '12345678', '123456789']);
  });
});

describe('commonPasswordPolicy', () => {
  const policy = commonPasswordPolicy();

  it('refuses a listed password, whatever its case', async () => {
    for (const password of ['password', 'PASSWORD', 'Password1', 'qwerty123', 'iloveyou2']) {
      await expect(policy.check(password, context)).resolves.toEqual(TOO_COMMON);
    }
  });

  it('matches exactly: a password that only contains a listed one passes', async () => {
    for (const password of ['password!', ' password', 'my password1', 'correct horse battery staple']) {
      await expect(policy.check(password, context)).resolves.toEqual({ ok: true });
    }
  });

  it('refuses the `extra` words the same way', async () => {
    const withExtra = commonPasswordPolicy({ extra: ['AcmeCloud2030'] });
    await expect(withExtra.check('acmecloud2030', context)).resolves.toEqual(TOO_COMMON);
    await expect(withExtra.check('password1', context)).resolves.toEqual(TOO_COMMON);
    await expect(policy.check('acmecloud2030', context)).resolves.toEqual({ ok: true });
  });
});
