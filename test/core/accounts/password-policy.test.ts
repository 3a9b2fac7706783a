import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../../../src/core/internal/accounts/password-policy.js';
import { AuthError } from '../../../src/index.js';

const policy = { minLength: 8, maxLength: 16 };
const email = 'ada.lovelace@example.com';

function refusal(password: string, userEmail = email): AuthError | undefined {
  try {
    checkPasswordPolicy(password, userEmail, policy);
    return undefined;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
}

describe('checkPasswordPolicy', () => {
  it('accepts the window edges', () => {
    expect(refusal('a'.repeat(8))).toBeUndefined();
    expect(refusal('a'.repeat(16))).toBeUndefined();
  });

  it('refuses too short and too long with a detail on `password`', () => {
    const short = refusal('a'.repeat(7));
    expect(short?.code).toBe('validation_failed');
    expect(short?.details).toEqual([{ path: 'password', message: 'must be at least 8 characters' }]);
    const long = refusal('a'.repeat(17));
    expect(long?.code).toBe('validation_failed');
    expect(long?.details).toEqual([{ path: 'password', message: 'must be at most 16 characters' }]);
  });

  it('counts code points, not UTF-16 units', () => {
    // 8 emoji are 16 UTF-16 units but 8 characters: long enough.
    expect(refusal('😀'.repeat(8))).toBeUndefined();
    // 7 emoji are 14 UTF-16 units, more than 8, but only 7 characters: too short.
    expect(refusal('😀'.repeat(7))?.code).toBe('validation_failed');
    // 16 emoji are 32 units but 16 characters: not too long.
    expect(refusal('😀'.repeat(16))).toBeUndefined();
    expect(refusal('😀'.repeat(17))?.code).toBe('validation_failed');
  });

  it('allows any Unicode, without composition rules', () => {
    expect(refusal('пароль-пароль')).toBeUndefined();
    expect(refusal('密码密码密码密码')).toBeUndefined();
    expect(refusal('        ')).toBeUndefined();
  });

  it('refuses a password containing the local part of the email, in any case', () => {
    expect(refusal('x-ada.lovelace-1')?.details?.[0]?.message).toBe('must not contain the email address');
    expect(refusal('ADA.LOVELACE!!')?.code).toBe('validation_failed');
  });

  it('does not refuse a very short local part as a substring', () => {
    expect(refusal('password-jo-123', 'jo@example.com')).toBeUndefined();
  });

  it('never puts the password in the message', () => {
    const error = refusal('sh0rt');
    expect(error?.message).not.toContain('sh0rt');
    expect(JSON.stringify(error?.details)).not.toContain('sh0rt');
  });
});
