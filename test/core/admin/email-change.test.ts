import { describe, expect, it } from 'vitest';
import { createTestAuth, PASSWORD, tokenFromMail } from '../helpers.js';
import { enableTotp } from '../two-factor/helpers.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('an administrator changes the email of an established account', () => {
  it('verifying the new address keeps the owner’s factors and sessions (it is not a first proof of the mailbox)', async () => {
    const t = createTestAuth();
    const owner = await t.auth.register({ email: 'ada@example.com', password: PASSWORD });
    await settle();
    t.clock.advance(1);
    await t.auth.verifyEmail({ token: tokenFromMail(t.outbox.messages.at(-1)!) });
    const tokens = await t.auth.login({ email: 'ada@example.com', password: PASSWORD });
    await enableTotp(t, owner.id);
    const admin = await t.auth.register({ email: 'grace@example.com', password: PASSWORD });
    await t.auth.grantRole({ accountId: admin.id, role: 'admin' });

    t.clock.advance(60);
    const changed = await t.auth.adminUpdateAccount({ accountId: owner.id, actorId: admin.id, patch: { email: 'ada@new.example' } });
    expect(changed.email).toMatchObject({ address: 'ada@new.example', verified: false });
    await settle();
    t.clock.advance(1);
    const mail = t.outbox.messages.filter((m) => m.to === 'ada@new.example').at(-1)!;
    const verified = await t.auth.verifyEmail({ token: tokenFromMail(mail) });

    expect(verified.email.verified).toBe(true);
    expect(verified.twoFactor.methods).toEqual(['totp']);
    await expect(t.auth.verifyAccessToken(tokens.accessToken)).resolves.toMatchObject({ sub: owner.id });
    // The change is in the audit log, with its actor.
    const { data } = await t.auth.listAuditLog({});
    expect(data[0]).toMatchObject({ action: 'account.update', actor: { id: admin.id }, target: { type: 'account', id: owner.id } });
  });
});
