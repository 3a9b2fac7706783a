import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatchkeyClient, isLatchkeyClientError, type LatchkeyClient, type SessionChange, unwrap } from '../../src/client/index.js';
import { newEmail, PASSWORD, startServer, type TestServer } from './support.js';

/**
 * A login that needs a second factor comes back as a typed `two_factor_required` result with the
 * account's `methods` and a `challenge`, and `completeTwoFactorLogin` with an authenticator code (from
 * otplib, for the server's clock) finishes it. TOTP is enabled through the typed passthrough.
 */

describe('latchkey/client: login with a second factor', () => {
  let server: TestServer;
  let client: LatchkeyClient;
  let secret: string;
  let recoveryCodes: string[];
  const email = newEmail();
  const changes: SessionChange['type'][] = [];

  /** The authenticator's code `steps` 30-second steps from the server's now. */
  const code = (steps = 0) => generate({ secret, epoch: Math.floor(server.now() / 1000) + steps * 30 });

  beforeAll(async () => {
    server = await startServer();
    client = createLatchkeyClient({ baseUrl: server.baseUrl, now: server.now });
    client.onSessionChange((change) => changes.push(change.type));
    await client.register({ email, password: PASSWORD });
    await client.login({ email, password: PASSWORD });

    ({ secret } = unwrap(await client.POST('/account/two-factor/totp')));
    const confirmed = unwrap(await client.POST('/account/two-factor/totp/verify', { body: { code: await code(), password: PASSWORD } }));
    ({ recoveryCodes } = confirmed);
    expect(recoveryCodes).toHaveLength(10);
    await client.logout();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers two_factor_required as a result with methods and challenge, and completes it with a TOTP code', async () => {
    const result = await client.login({ email, password: PASSWORD });
    expect(result).toEqual({ status: 'two_factor_required', methods: ['totp'], challenge: expect.stringMatching(/^[\w-]{20,}$/) });
    if (result.status !== 'two_factor_required') throw new Error('unreachable');
    expect(await client.isSignedIn()).toBe(false);

    // The code of enrolment's step is spent: the next step's.
    const signedIn = await client.completeTwoFactorLogin({ challenge: result.challenge, code: await code(1) });
    expect(signedIn).toMatchObject({ status: 'signed_in', account: { email: { address: email }, twoFactor: { enabled: true, methods: ['totp'] } } });
    expect(await client.isSignedIn()).toBe(true);
    expect((await client.account()).twoFactor.enabled).toBe(true);
    expect(changes).toEqual(['signed_in', 'signed_out', 'signed_in']);
    await client.logout();
  });

  it('refuses a wrong code with invalid_two_factor, and takes a recovery code', async () => {
    const result = await client.login({ email, password: PASSWORD });
    if (result.status !== 'two_factor_required') throw new Error(`expected two_factor_required, got ${result.status}`);
    const wrong = await client.completeTwoFactorLogin({ challenge: result.challenge, code: '000000' }).catch((error: unknown) => error);
    expect(isLatchkeyClientError(wrong, 'invalid_two_factor')).toBe(true);
    expect(wrong).toMatchObject({ status: 401, message: expect.any(String) });
    expect(await client.isSignedIn()).toBe(false);

    const recovered = await client.completeTwoFactorLogin({ challenge: result.challenge, recoveryCode: recoveryCodes[0]! });
    expect(recovered.account.twoFactor.recoveryCodesRemaining).toBe(9);
    await client.logout();
  });

  it('signs in at once with the code in the login (one-shot), and the wrong password stays invalid_credentials', async () => {
    server.clock.advance(60);
    expect(await client.login({ email, password: PASSWORD, twoFactorCode: await code() })).toMatchObject({ status: 'signed_in' });
    await client.logout();
    const refused = await client.login({ email, password: 'not the password' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'LatchkeyClientError', code: 'invalid_credentials', status: 401 });
  });
});

describe('latchkey/client: a login code sent by email', () => {
  let server: TestServer;

  afterAll(async () => {
    await server?.close();
  });

  it('sendTwoFactorCode mails a code for the challenge, and completeTwoFactorLogin takes it', async () => {
    server = await startServer();
    const client = createLatchkeyClient({ baseUrl: server.baseUrl, now: server.now });
    const email = newEmail();
    const mailedCode = () => /Code: (\d{6})/.exec(server.outbox.messages.filter((m) => m.kind === 'one-time-code').at(-1)?.text ?? '')?.[1];

    await client.register({ email, password: PASSWORD });
    await client.login({ email, password: PASSWORD });
    expect((await client.POST('/account/otp/send', { body: { channel: 'email' } })).response.status).toBe(202);
    unwrap(await client.POST('/account/otp/verify', { body: { channel: 'email', code: mailedCode()!, password: PASSWORD } }));
    await client.logout();

    const result = await client.login({ email, password: PASSWORD });
    expect(result).toMatchObject({ status: 'two_factor_required', methods: ['email'] });
    if (result.status !== 'two_factor_required') throw new Error('unreachable');
    const mailsBefore = server.outbox.messages.length;
    await client.sendTwoFactorCode({ challenge: result.challenge, method: 'email' });
    expect(server.outbox.messages.length).toBe(mailsBefore + 1);

    const signedIn = await client.completeTwoFactorLogin({ challenge: result.challenge, code: mailedCode()!, method: 'email' });
    expect(signedIn.account.email.address).toBe(email);
  });
});
