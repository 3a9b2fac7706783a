import { describe, expect, expectTypeOf, it } from 'vitest';
import { AuthError, isAuthError, type AnyAuthError } from '../../src/index.js';
import { createTestAuth, expectAuthError, PASSWORD } from './helpers.js';
import { enableTotp } from './two-factor/helpers.js';

describe('AuthError: the payload follows from the code', () => {
  it('isAuthError with a code narrows the payload type', () => {
    const error: unknown = new AuthError('rate_limited', 'Too many.', { retryAfter: 30 });
    if (isAuthError(error, 'rate_limited')) {
      expectTypeOf(error.retryAfter).toEqualTypeOf<number>();
      expect(error.retryAfter).toBe(30);
    } else expect.fail('not narrowed');
    const required: unknown = new AuthError('two_factor_required', 'Second factor.', { extra: { methods: ['totp'], challenge: 'c' } });
    if (isAuthError(required, 'two_factor_required')) {
      expectTypeOf(required.extra.methods).toEqualTypeOf<Array<'totp' | 'email' | 'sms' | 'webauthn'>>();
      expectTypeOf(required.extra.challenge).toEqualTypeOf<string | undefined>();
      expect(required.extra).toEqual({ methods: ['totp'], challenge: 'c' });
    } else expect.fail('not narrowed');
  });

  it('switching on the code of any latchkey error narrows too', () => {
    const payloadOf = (error: AnyAuthError): number | string[] | null => {
      switch (error.code) {
        case 'rate_limited':
          return error.retryAfter;
        case 'two_factor_required':
          return error.extra.methods;
        default:
          expectTypeOf(error.retryAfter).toEqualTypeOf<undefined>();
          return null;
      }
    };
    expect(payloadOf(new AuthError('rate_limited', 'x', { retryAfter: 5 }))).toBe(5);
    expect(payloadOf(new AuthError('not_found', 'x'))).toBeNull();
  });

  it('a code with a payload cannot be made without it', () => {
    // @ts-expect-error: rate_limited needs its retryAfter
    expect(new AuthError('rate_limited', 'x').retryAfter).toBeUndefined();
    // @ts-expect-error: only rate_limited carries a retryAfter
    expect(new AuthError('not_found', 'x', { retryAfter: 3 }).code).toBe('not_found');
  });

  it('login’s two_factor_required carries the methods and the challenge', async () => {
    const t = createTestAuth();
    const { account } = await t.auth.register({ email: 'ada@example.com', password: PASSWORD }).then(async () =>
      t.auth.login({ email: 'ada@example.com', password: PASSWORD }),
    );
    await enableTotp(t, account.id);
    const error = await expectAuthError(t.auth.login({ email: 'ada@example.com', password: PASSWORD }), 'two_factor_required');
    if (!isAuthError(error, 'two_factor_required')) expect.fail('not narrowed');
    expect(error.extra.methods).toEqual(['totp']);
    expect(error.extra.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
