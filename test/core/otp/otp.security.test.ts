import { describe, expect, it } from 'vitest';
import { proxyStorage } from '../../support/storage-proxy.js';
import { memoryStorage } from '../../../src/adapters/storage/memory/index.js';
import { obfuscatePhone } from '../../../src/core/internal/accounts/account-resource.js';
import { generateOtpCode, uniformInt } from '../../../src/core/internal/otp/otp-code.js';
import { OTP_SEND_PER_IP } from '../../../src/core/internal/otp/otp-throttle.js';
import { normalisePhone } from '../../../src/core/internal/otp/phone.js';
import { sendOtpCode } from '../../../src/core/internal/otp/send-otp-code.js';
import { verifyOtpCode } from '../../../src/core/internal/otp/verify-otp-code.js';
import { isAuthError } from '../../../src/core/errors.js';
import type { LogFields } from '../../../src/core/ports.js';
import { createTestAuth, expectAuthError, PASSWORD, type TestAuth } from '../helpers.js';
import {
  lastMailCode,
  lastSmsCode,
  otpContext,
  OTHER_PHONE,
  PHONE,
  readAccount,
  recordingStorage,
  signUp,
  wrong,
} from './helpers.js';

const group = 'default';

/** A scripted 32-bit source that fails loudly instead of looping when it runs out. */
function draws(values: number[]): (() => number) & { calls(): number } {
  let calls = 0;
  const next = () => {
    calls += 1;
    const value = values.shift();
    if (value === undefined) throw new Error('the sampler drew more than scripted');
    return value;
  };
  return Object.assign(next, { calls: () => calls });
}

async function withPhone(t: TestAuth = createTestAuth()) {
  const accountId = await signUp(t);
  await t.auth.addPhone({ group, accountId, phone: PHONE });
  return { ...t, accountId, code: lastSmsCode(t, PHONE) };
}

const verifySms = (t: TestAuth, accountId: string, code: string) =>
  t.auth.verifyChannel({ group, accountId, channel: 'sms', code, password: PASSWORD });

function expectValidation(fn: () => unknown, path: string): void {
  try {
    fn();
    expect.fail('expected validation_failed');
  } catch (error) {
    if (!isAuthError(error, 'validation_failed')) throw error;
    expect(error.details?.map((d) => d.path)).toEqual([path]);
  }
}

describe('phone numbers', () => {
  it('normalises to E.164, reading national numbers with a country', () => {
    expect(normalisePhone('+44 7400 123456')).toBe(PHONE);
    // The UK's range for drama and tests is possible, not valid, and people try things out with it.
    expect(normalisePhone('+44 7700 900123')).toBe('+447700900123');
    expect(normalisePhone('+44 (0)7400-123456')).toBe(PHONE);
    expect(normalisePhone('07400 123456', 'GB')).toBe(PHONE);
    expect(normalisePhone('0044 7400 123456', 'GB')).toBe(PHONE);
    expect(normalisePhone('07400123456', 'gb')).toBe(PHONE);
    expect(normalisePhone('(415) 555-2671', 'US')).toBe(OTHER_PHONE);
    // An international number ignores the country.
    expect(normalisePhone('+1 415 555 2671', 'GB')).toBe(OTHER_PHONE);
  });

  it('refuses an unknown or malformed country code', () => {
    for (const country of ['XX', 'UK', 'GBR', 'G', '12', 'G B']) {
      expectValidation(() => normalisePhone('07400 123456', country), 'country');
    }
  });

  it('refuses numbers impossible for their country, extensions, and national numbers without a country', () => {
    const invalid = ['abc', '+44 1234', '+1 555 0123', '+44 7400 1234567', '555-1234', '+44 7400 123456 ext. 12'];
    for (const phone of invalid) {
      expectValidation(() => normalisePhone(phone, phone.startsWith('+') ? undefined : 'US'), 'phone');
    }
    expectValidation(() => normalisePhone('07400 123456'), 'phone');
    expectValidation(() => normalisePhone('+44 7400 123456'.padEnd(65, '0')), 'phone');
  });

  it('shows the phone obfuscated in the account, never the number itself', async () => {
    const t = await withPhone();
    const account = await t.auth.getAccount({ group, accountId: t.accountId });
    expect(account.phone).toEqual({ number: '+44********56', verified: false, verifiedAt: null });
    expect(obfuscatePhone(PHONE)).toBe('+44********56');
    expect(JSON.stringify(account)).not.toContain('7400123456');
    expect((await readAccount(t.storage, t.accountId)).phoneNumber).toBe(PHONE);
  });

  it('texts the code to the E.164 number with the app name and lifetime', async () => {
    const t = await withPhone(createTestAuth({ email: { appName: 'Acme' } }));
    expect(t.sms.messages).toEqual([
      { to: PHONE, text: `Your Acme code is ${t.code}. It expires in 10 minutes.`, sentAt: t.clock.now() },
    ]);
  });
});

describe('codes', () => {
  it('are six digits, leading zeros kept', () => {
    expect(generateOtpCode(draws([7]))).toBe('000007');
    for (let i = 0; i < 200; i++) expect(generateOtpCode()).toMatch(/^\d{6}$/);
  });

  it('come from rejection sampling: draws past the last whole multiple of 10^6 are thrown away', () => {
    const limit = Math.floor(2 ** 32 / 1e6) * 1e6; // 4_294_000_000
    const source = draws([2 ** 32 - 1, limit, limit - 1]);
    // `% 10^6` of the first draw would have given 967295: it is refused, as is `limit` itself.
    expect(generateOtpCode(source)).toBe('999999');
    expect(source.calls()).toBe(3);
    // Bound 10: the last whole multiple is 2^32 - 6, so 2^32 - 6 … 2^32 - 1 are refused.
    expect(uniformInt(10, draws([2 ** 32 - 6, 2 ** 32 - 1, 2 ** 32 - 7]))).toBe(9);
    expect(() => uniformInt(0)).toThrow(RangeError);
  });

  it('spread evenly over the digits (a loose check: no digit is favoured)', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) counts[Number(generateOtpCode()[0])]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(1600), expect(count).toBeLessThan(2400);
  });

  it('are stored only as a keyed hash: the raw code never reaches storage', async () => {
    const recorded = recordingStorage(memoryStorage());
    const t = createTestAuth({ storage: recorded.storage });
    const accountId = await signUp(t);
    await t.auth.addPhone({ group, accountId, phone: PHONE });
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const codes = [lastSmsCode(t)];
    const mail = t.outbox.messages.find((m) => m.kind === 'one-time-code')!;
    codes.push(/Code: (\d{6})/.exec(mail.text)![1]!);
    const stored = await t.storage.otpCodes.find(group, accountId, 'sms', 'verify');
    expect(stored?.codeHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const code of codes) {
      expect(recorded.written.filter((json) => json.includes(code))).toEqual([]);
    }
  });

  it('work once', async () => {
    const t = await withPhone();
    await verifySms(t, t.accountId, t.code);
    await expectAuthError(verifySms(t, t.accountId, t.code), 'invalid_two_factor');
  });

  it('expire after 10 minutes', async () => {
    const early = await withPhone();
    early.clock.advance(599);
    await expect(verifySms(early, early.accountId, early.code)).resolves.toMatchObject({ phone: { verified: true } });

    const late = await withPhone();
    late.clock.advance(600);
    await expectAuthError(verifySms(late, late.accountId, late.code), 'invalid_two_factor');
    expect((await readAccount(late.storage, late.accountId)).phoneVerifiedAt).toBeNull();
  });

  it('allow 5 wrong attempts, then refuse even the right code until the code expires', async () => {
    const t = await withPhone();
    for (let i = 0; i < 5; i++) await expectAuthError(verifySms(t, t.accountId, wrong(t.code)), 'invalid_two_factor');
    t.clock.advance(60);
    const error = await expectAuthError(verifySms(t, t.accountId, t.code), 'rate_limited');
    expect(error.retryAfter).toBe(540);
    expect((await t.storage.otpCodes.find(group, t.accountId, 'sms', 'verify'))?.attempts).toBe(5);
    expect((await readAccount(t.storage, t.accountId)).phoneVerifiedAt).toBeNull();

    // No new code while this one is exhausted: nothing is texted, and the answer says how long.
    const sent = t.sms.messages.length;
    const resending = t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    const resend = await expectAuthError(resending, 'rate_limited');
    expect(resend.retryAfter).toBe(540);
    expect(t.sms.messages).toHaveLength(sent);

    // Once it expired, a new code starts a new count.
    t.clock.advance(540);
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    await expect(verifySms(t, t.accountId, lastSmsCode(t))).resolves.toMatchObject({ phone: { verified: true } });
  });

  it('resending does not reset the attempt count', async () => {
    const t = await withPhone();
    for (let i = 0; i < 3; i++) await expectAuthError(verifySms(t, t.accountId, wrong(t.code)), 'invalid_two_factor');
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    const fresh = lastSmsCode(t);
    await expectAuthError(verifySms(t, t.accountId, t.code), 'invalid_two_factor'); // the old code died
    await expectAuthError(verifySms(t, t.accountId, wrong(fresh)), 'invalid_two_factor');
    await expectAuthError(verifySms(t, t.accountId, fresh), 'rate_limited');
    // Nor does adding the number again.
    await expectAuthError(t.auth.addPhone({ group, accountId: t.accountId, phone: OTHER_PHONE }), 'rate_limited');
    expect((await readAccount(t.storage, t.accountId)).phoneNumber).toBe(PHONE);
  });

  it('of 20 concurrent verifications with the right code, exactly one is accepted', async () => {
    const t = await withPhone();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => verifySms(t, t.accountId, t.code)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(isAuthError(o.reason, 'invalid_two_factor')).toBe(true);
    }

    const ctx = otpContext(t);
    const account = await readAccount(t.storage, t.accountId);
    await sendOtpCode(ctx, account, 'sms', 'login', {});
    const code = lastSmsCode(t);
    const attempts = Array.from({ length: 20 }, () => verifyOtpCode(ctx, account, 'sms', 'login', code));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
    expect(results.filter((r) => r !== 'accepted').every((r) => r === 'missing')).toBe(true);
  });

  it('a string that is not six digits is rejected without counting; spaces are ignored', async () => {
    const t = await withPhone();
    const ctx = otpContext(t);
    const account = await readAccount(t.storage, t.accountId);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345a', '１２３４５６', `${t.code}0`]) {
      expect(await verifyOtpCode(ctx, account, 'sms', 'verify', bad)).toBe('rejected');
    }
    expect((await t.storage.otpCodes.find(group, t.accountId, 'sms', 'verify'))?.attempts).toBe(0);
    const spaced = `${t.code.slice(0, 3)} ${t.code.slice(3)}`;
    expect(await verifyOtpCode(ctx, account, 'sms', 'verify', ` ${spaced} `)).toBe('accepted');
  });

  it('prove one purpose and one destination only', async () => {
    const t = await withPhone();
    const ctx = otpContext(t);
    const account = await readAccount(t.storage, t.accountId);
    await sendOtpCode(ctx, account, 'sms', 'login', {});
    const loginCode = lastSmsCode(t);
    await expectAuthError(verifySms(t, t.accountId, loginCode), 'invalid_two_factor');
    expect(await verifyOtpCode(ctx, account, 'email', 'login', loginCode)).toBe('missing');

    // The phone changes behind the code's back (an admin, a race): the code no longer proves it.
    await t.storage.accounts.update(group, t.accountId, { phoneNumber: OTHER_PHONE });
    await expectAuthError(verifySms(t, t.accountId, t.code), 'invalid_two_factor');
    expect((await readAccount(t.storage, t.accountId)).phoneVerifiedAt).toBeNull();
  });
  it('a number changed while its code is being accepted is not left verified', async () => {
    const inner = memoryStorage();
    // The race: another request replaces the phone between the code check and the update.
    const storage = proxyStorage(inner, async (repository, method, args, call, current) => {
      const patch = args[2] as { smsOtpEnabledAt?: Date } | undefined;
      if (repository === 'accounts' && method === 'update' && patch?.smsOtpEnabledAt) {
        await current.accounts.update(args[0] as string, args[1] as string, { phoneNumber: OTHER_PHONE });
      }
      return call();
    });
    const t = await withPhone(createTestAuth({ storage }));
    await expectAuthError(verifySms(t, t.accountId, t.code), 'invalid_two_factor');
    const account = await readAccount(inner, t.accountId);
    // Staged inside the request's transaction, the other write is rolled back with it; what matters is
    // that no number is left verified and no SMS factor enabled.
    expect(account).toMatchObject({ phoneVerifiedAt: null, smsOtpEnabledAt: null });
  });
});

describe('changing the phone', () => {
  it('un-verifies it and drops the SMS factor; replacing an enabled factor needs a step-up code', async () => {
    const t = await withPhone();
    await verifySms(t, t.accountId, t.code);
    const disabled: string[] = [];
    t.auth.events.on('account.two-factor-disabled', (e) => void disabled.push(e.data.method));

    await expectAuthError(t.auth.addPhone({ group, accountId: t.accountId, phone: OTHER_PHONE }), 'validation_failed');
    await expectAuthError(
      t.auth.addPhone({ group, accountId: t.accountId, phone: OTHER_PHONE, otp: '000000' }),
      'invalid_two_factor',
    );
    expect((await readAccount(t.storage, t.accountId)).phoneNumber).toBe(PHONE);

    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    await t.auth.addPhone({ group, accountId: t.accountId, phone: OTHER_PHONE, otp: lastSmsCode(t, PHONE) });
    const account = await t.auth.getAccount({ group, accountId: t.accountId });
    expect(account.phone).toEqual({ number: '+14*******71', verified: false, verifiedAt: null });
    expect(account.twoFactor.methods).not.toContain('sms');
    expect(disabled).toEqual(['sms']);
    expect(t.sms.messages.at(-1)!.to).toBe(OTHER_PHONE);

    await verifySms(t, t.accountId, lastSmsCode(t, OTHER_PHONE));
    expect((await t.auth.getAccount({ group, accountId: t.accountId })).twoFactor.methods).toContain('sms');
  });

  it('adding the same number again keeps it verified and just texts a new code', async () => {
    const t = await withPhone();
    const { recoveryCodes, ...verified } = await verifySms(t, t.accountId, t.code);
    expect(recoveryCodes).toHaveLength(10); // its first factor: the account gets its recovery codes with it
    await t.auth.addPhone({ group, accountId: t.accountId, phone: '07400 123456', country: 'GB' });
    expect(await t.auth.getAccount({ group, accountId: t.accountId })).toEqual(verified);
    expect(t.sms.messages).toHaveLength(2);
  });
});

describe('send throttling', () => {
  it('allows 5 codes per account and channel per 15 minutes', async () => {
    const t = await withPhone(); // 1 sent
    for (let i = 0; i < 4; i++) await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' });
    const error = await expectAuthError(
      t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'sms' }),
      'rate_limited',
    );
    expect(error.retryAfter).toBeGreaterThan(0);
    expect(error.retryAfter).toBeLessThanOrEqual(900);
    expect(t.sms.messages).toHaveLength(5);
    // Another channel has its own count; a throttled number change changes nothing.
    await t.auth.sendChannelCode({ group, accountId: t.accountId, channel: 'email' });
    await expectAuthError(t.auth.addPhone({ group, accountId: t.accountId, phone: OTHER_PHONE }), 'rate_limited');
    expect((await readAccount(t.storage, t.accountId)).phoneNumber).toBe(PHONE);
  });

  it('allows 20 codes per IP address, across accounts; sends an account refused do not use the IP budget', async () => {
    const t = createTestAuth();
    const ip = '203.0.113.7';
    const accounts: string[] = [];
    for (const n of [0, 1, 2, 3, 4]) accounts.push(await signUp(t, `user${n}@example.com`));
    const send = (accountId: string, from = ip) =>
      t.auth.sendChannelCode({ group, accountId, channel: 'email', ip: from });
    for (let i = 0; i < 5; i++) await send(accounts[0]!);
    for (let i = 0; i < 3; i++) await expectAuthError(send(accounts[0]!), 'rate_limited'); // the account's own limit
    for (const accountId of accounts.slice(1, 4)) for (let i = 0; i < 5; i++) await send(accountId);
    // 20 codes went out from this address: the next is refused, whatever the account.
    expect(OTP_SEND_PER_IP.points).toBe(20);
    const error = await expectAuthError(send(accounts[4]!), 'rate_limited');
    expect(error.retryAfter).toBeGreaterThan(0);
    await send(accounts[4]!, '198.51.100.1');
    expect(t.outbox.messages.filter((m) => m.kind === 'one-time-code')).toHaveLength(21);
  });

  it('a failed delivery answers sms_delivery_failed, logs neither number nor code, and gives the send back', async () => {
    const logged: Array<{ message: string; fields?: LogFields }> = [];
    const record = (message: string, fields?: LogFields) => void logged.push({ message, fields });
    const t = createTestAuth({
      sms: { send: async () => Promise.reject(new Error('provider down')) },
      logger: { debug: record, info: record, warn: record, error: record },
    });
    const accountId = await signUp(t);
    for (let i = 0; i < 6; i++) {
      const error = await expectAuthError(t.auth.addPhone({ group, accountId, phone: PHONE }), 'sms_delivery_failed');
      expect(error.message).toBe('The text message could not be sent. Try again later.');
    }
    expect(logged.filter((l) => l.message === 'sms delivery failed')).toHaveLength(6);
    expect(JSON.stringify(logged)).not.toContain('7400123456');
  });

  it('a failed mail answers mail_delivery_failed', async () => {
    const t = createTestAuth({ mailer: { send: async () => Promise.reject(new Error('smtp down')) } });
    const accountId = await signUp(t);
    await expectAuthError(t.auth.sendChannelCode({ group, accountId, channel: 'email' }), 'mail_delivery_failed');
  });
});

describe('verifyChannel needs a fresh proof of the owner (a stolen access token enables no channel)', () => {
  it('without a second factor: the password; none or a wrong one leave the phone unverified', async () => {
    const t = await withPhone();
    const input = { group, accountId: t.accountId, channel: 'sms' as const, code: t.code };
    const none = await expectAuthError(t.auth.verifyChannel(input), 'validation_failed');
    expect(none.details).toEqual([{ path: 'password', message: 'is required' }]);
    await expectAuthError(t.auth.verifyChannel({ ...input, password: 'nope nope nope' }), 'invalid_credentials');
    const account = await readAccount(t.storage, t.accountId);
    expect(account).toMatchObject({ phoneVerifiedAt: null, smsOtpEnabledAt: null });
  });

  it('with a second factor: x-otp of a channel enabled before; the channel being enabled cannot vouch for itself', async () => {
    const t = createTestAuth();
    const accountId = await signUp(t);
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    await t.auth.verifyChannel({ group, accountId, channel: 'email', code: lastMailCode(t), password: PASSWORD });
    await t.auth.addPhone({ group, accountId, phone: PHONE });
    const sms = lastSmsCode(t, PHONE);
    const none = await expectAuthError(
      t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, password: PASSWORD }),
      'validation_failed',
    );
    expect(none.details).toEqual([{ path: 'x-otp', message: 'is required' }]);
    await expectAuthError(t.auth.verifyChannel({ group, accountId, channel: 'sms', code: sms, otp: sms }), 'invalid_two_factor');
    expect((await readAccount(t.storage, accountId)).smsOtpEnabledAt).toBeNull();

    // An email code (the factor enabled before) proves it.
    await t.auth.sendChannelCode({ group, accountId, channel: 'email' });
    const otp = lastMailCode(t);
    await t.auth.sendChannelCode({ group, accountId, channel: 'sms' });
    const account = await t.auth.verifyChannel({ group, accountId, channel: 'sms', code: lastSmsCode(t, PHONE), otp });
    expect(account.twoFactor.methods).toEqual(['email', 'sms']);
  });
});
