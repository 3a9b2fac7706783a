import { describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/core/lib/token-hash.js';
import { createTestAuth, expectAuthError, PASSWORD, tokenFromMail } from '../helpers.js';
import { enableTotp } from '../two-factor/helpers.js';

const EMAIL = 'ada@example.com';
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('one-time tokens at rest', () => {
  it('verification tokens, reset tokens and login challenges reach storage only as their hash', async () => {
    const t = createTestAuth();
    const account = await t.auth.register({ email: EMAIL, password: PASSWORD });
    await settle();
    const verification = tokenFromMail(t.outbox.messages.at(-1)!);
    t.clock.advance(1);
    await t.auth.requestPasswordReset({ email: EMAIL });
    await settle();
    const reset = tokenFromMail(t.outbox.messages.at(-1)!);
    await t.auth.login({ email: EMAIL, password: PASSWORD });
    await enableTotp(t, account.id);
    const required = await expectAuthError(t.auth.login({ email: EMAIL, password: PASSWORD }), 'two_factor_required');
    const challenge = (required.extra as { challenge: string }).challenge;

    for (const token of [verification, reset, challenge]) {
      // Someone with a copy of the database holds the hash, which is not the token.
      expect(await t.storage.oneTimeTokens.find(token)).toBeNull();
      const stored = await t.storage.oneTimeTokens.find(hashToken(token));
      expect(stored).not.toBeNull();
      expect(JSON.stringify(stored)).not.toContain(token);
    }
  });
});
