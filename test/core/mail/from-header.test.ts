import { describe, expect, it } from 'vitest';
import { createTestAuth, PASSWORD } from '../helpers.js';

describe('the From header of latchkey mails', () => {
  it('is the email.from option when the app sets it', async () => {
    const { auth, outbox } = createTestAuth({ email: { from: 'Acme <no-reply@acme.example>' } });
    await auth.register({ email: 'ada@example.com', password: PASSWORD });
    const mail = await outbox.waitFor((m) => m.kind === 'email-verification');
    expect(mail.from).toBe('Acme <no-reply@acme.example>');
  });

  it('is left to the mailer when the option is absent', async () => {
    const { auth, outbox } = createTestAuth();
    await auth.register({ email: 'ada@example.com', password: PASSWORD });
    const mail = await outbox.waitFor((m) => m.kind === 'email-verification');
    expect(mail.from).toBeUndefined();
  });
});
