import { describe, expect, it } from 'vitest';
import type { AuthEvent, EventName } from '../../../src/core/events/event-bus.js';
import { enableTotp } from '../two-factor/helpers.js';
import { createTestAuth, expectAuthError, PASSWORD, type TestAuth } from '../helpers.js';
import { lastMailCode, lastSmsCode, PHONE, readAccount, signUp, wrong } from './helpers.js';

const group = 'default';

const verifySms = (t: TestAuth, accountId: string, code: string) =>
  t.auth.verifyChannel({ group, accountId, channel: 'sms', code, password: PASSWORD });

function recordEvents(t: TestAuth, ...names: EventName[]): Array<{ event: string; method?: string }> {
  const seen: Array<{ event: string; method?: string }> = [];
  for (const name of names) {
    t.auth.events.on(name, (e: AuthEvent) => {
      const data = e.data as { method?: string };
      seen.push({ event: e.event, ...(data.method ? { method: data.method } : {}) });
    });
  }
  return seen;
}

async function smsEnabled(t: TestAuth = createTestAuth()) {
  const accountId = await signUp(t);
  await t.auth.addPhone({ group, accountId, phone: PHONE });
  await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t), password: PASSWORD });
  return { ...t, accountId };
}

describe('verifyChannel', () => {
  it('sms: verifies the phone, enables the factor, emits two-factor-enabled once', async () => {
    const t = createTestAuth();
    const accountId = await signUp(t);
    const events = recordEvents(t, 'account.two-factor-enabled', 'account.updated');
    await t.auth.addPhone({ group, accountId, phone: '07400 123456', country: 'GB' });
    expect(events).toEqual([{ event: 'account.updated' }]);
    t.clock.advance(30);
    const account = await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t), password: PASSWORD });
    const at = t.clock.now().toISOString();
    expect(account.phone).toEqual({ number: '+44********56', verified: true, verifiedAt: at });
    expect(account.twoFactor).toMatchObject({ enabled: true, methods: ['sms'] });
    expect(account.events.updatedAt).toBe(at);
    expect(events).toEqual([{ event: 'account.updated' }, { event: 'account.two-factor-enabled', method: 'sms' }]);

    // Proving it again changes nothing and announces nothing.
    await t.auth.sendChannelCode({ group, accountId, channel: 'sms' });
    t.clock.advance(30);
    const again = await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t), password: PASSWORD });
    expect(again.phone.verifiedAt).toBe(at);
    expect(events).toHaveLength(2);
  });

  it('email: mails a one-time-code, verifies the address and enables email codes', async () => {
    const t = createTestAuth({ email: { appName: 'Acme' } });
    const accountId = await signUp(t);
    const events = recordEvents(t, 'account.two-factor-enabled', 'account.updated');
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const mail = t.outbox.messages.at(-1)!;
    expect(mail).toMatchObject({ kind: 'one-time-code', to: 'ada@example.com', subject: 'Your Acme code' });
    expect(mail.text).toContain('It expires in 10 minutes');
    const account = await t.auth.verifyChannel({ group, accountId, channel: 'email', code: lastMailCode(t), password: PASSWORD });
    expect(account.email.verified).toBe(true);
    expect(account.twoFactor.methods).toEqual(['email']);
    expect(events).toEqual([{ event: 'account.updated' }, { event: 'account.two-factor-enabled', method: 'email' }]);
  });

  it('refuses a wrong code with invalid_two_factor, and sms without a phone with validation_failed', async () => {
    const t = createTestAuth();
    const accountId = await signUp(t);
    await expectAuthError(t.auth.sendChannelCode({ group, accountId, channel: 'sms' }), 'validation_failed');
    await expectAuthError(verifySms(t, accountId, '123456'), 'validation_failed');
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    await expectAuthError(
      t.auth.verifyChannel({ group, accountId, channel: 'email', code: wrong(lastMailCode(t)), password: PASSWORD }),
      'invalid_two_factor',
    );
    await expectAuthError(verifySms(t, accountId, '123456'), 'validation_failed');
    expect((await readAccount(t.storage, accountId)).emailOtpEnabledAt).toBeNull();
  });

  it('answers not_found for a deleted account', async () => {
    const t = createTestAuth();
    const accountId = await signUp(t);
    await t.storage.accounts.update(group, accountId, { status: 'deleted', deletedAt: t.clock.now() });
    await expectAuthError(t.auth.sendChannelCode({ group, accountId, channel: 'email' }), 'not_found');
    await expectAuthError(t.auth.addPhone({ group, accountId, phone: PHONE }), 'not_found');
  });
});

describe('disableChannel', () => {
  it('needs a step-up code: none is validation_failed, a wrong one invalid_two_factor', async () => {
    const t = await smsEnabled();
    await expectAuthError(t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms' }), 'validation_failed');
    await expectAuthError(
      t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms', otp: '000000' }),
      'invalid_two_factor',
    );
    expect((await t.auth.getAccount({ group, accountId: t.accountId })).twoFactor.methods).toEqual(['sms']);
  });

  it('accepts a code sent to an enabled channel; keeps the phone, verified; emits two-factor-disabled', async () => {
    const t = await smsEnabled();
    const events = recordEvents(t, 'account.two-factor-disabled');
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    const code = lastSmsCode(t);
    const account = await t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms', otp: code });
    expect(account.twoFactor).toMatchObject({ enabled: false, methods: [] });
    expect(account.phone).toMatchObject({ number: '+44********56', verified: true });
    expect(events).toEqual([{ event: 'account.two-factor-disabled', method: 'sms' }]);
    // The code was used up by the step-up.
    await expectAuthError(verifySms(t, t.accountId, code), 'invalid_two_factor');
    // Disabling it again changes nothing (and still needs the proof).
    await expectAuthError(t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms' }), 'validation_failed');
  });

  it('accepts the step-ups of TOTP (here a recovery code)', async () => {
    const t = await smsEnabled();
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    const { recoveryCodes } = await enableTotp(t, t.accountId, { otp: lastSmsCode(t) });
    const account = await t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms', otp: recoveryCodes[0] });
    expect(account.twoFactor.methods).toEqual(['totp']);
  });

  it('a code of a channel that is not enabled is no proof', async () => {
    const t = await smsEnabled();
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'email' });
    await expectAuthError(
      t.auth.disableChannel({ group, accountId: t.accountId, channel: 'sms', otp: lastMailCode(t) }),
      'invalid_two_factor',
    );
  });
});
