import type { AuthOptions, Logger } from '../../../src/index.js';
import { softwareAuthenticator, type SoftwareAuthenticator } from '../../../src/testing/webauthn/software-authenticator.js';
import { createTestAuth, PASSWORD, type TestAuth } from '../helpers.js';

export const ORIGIN = 'http://localhost:3000';
export const WEBAUTHN = { rpID: 'localhost', origins: [ORIGIN] };

/** A logger that keeps what it was told, to assert on warnings. */
export interface RecordingLogger extends Logger {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export interface PasskeyAuth extends TestAuth {
  logger: RecordingLogger;
}

/** A test instance with passkeys on (`rpID: 'localhost'`, origin `http://localhost:3000`). */
export function createPasskeyAuth(
  webauthn: Partial<NonNullable<AuthOptions['webauthn']>> = {},
  overrides: Partial<AuthOptions> = {},
): PasskeyAuth {
  const logger = recordingLogger();
  return { ...createTestAuth({ webauthn: { ...WEBAUTHN, ...webauthn }, logger, ...overrides }), logger };
}

export interface Member {
  accountId: string;
  email: string;
  authenticator: SoftwareAuthenticator;
}

/** Registers an account (no passkey yet) with its own authenticator. */
export async function member(t: TestAuth, email = 'ada@example.com', group?: string): Promise<Member> {
  const account = await t.auth.register({ email, password: PASSWORD, group });
  return { accountId: account.id, email, authenticator: softwareAuthenticator({ origin: ORIGIN }) };
}

/** Registers an account and a passkey for it; returns the passkey's id too. */
export async function memberWithPasskey(
  t: TestAuth,
  email = 'ada@example.com',
  group = 'default',
): Promise<Member & { credentialId: string }> {
  const m = await member(t, email, group);
  const options = await t.auth.webauthnRegistrationOptions({ group, accountId: m.accountId });
  const credential = m.authenticator.register(options);
  const { id } = await t.auth.verifyWebauthnRegistration({ group, accountId: m.accountId, password: PASSWORD, credential });
  return { ...m, credentialId: id };
}

/** The account's login history, newest first. */
export async function history(t: TestAuth, accountId: string, group = 'default') {
  return (await t.storage.loginAttempts.listByAccount(group, accountId, { limit: 100 })).data;
}

/** The stored passkey. */
export async function storedPasskey(t: TestAuth, id: string, group = 'default') {
  const record = await t.storage.webauthnCredentials.findById(group, id);
  if (!record) throw new Error('no such passkey');
  return record;
}
