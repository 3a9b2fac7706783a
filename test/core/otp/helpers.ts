import { memoryRateLimiter } from '../../../src/adapters/rate-limit/memory.js';
import { silentLogger } from '../../../src/adapters/logger/silent.js';
import type { AuthContext } from '../../../src/core/context.js';
import { EventBus } from '../../../src/core/events/event-bus.js';
import { createKeyedHash } from '../../../src/core/lib/keyed-hash.js';
import { parseOptions } from '../../../src/core/options.js';
import type { AccountRecord, Storage } from '../../../src/core/ports.js';
import { registerAndLogin, TEST_SECRET, type TestAuth } from '../helpers.js';
import { proxyStorage } from '../../support/storage-proxy.js';

export const PHONE = '+447400123456';
export const OTHER_PHONE = '+14155552671';

/** A context for calling the primitives directly, over the instance's storage, clock and outboxes. */
export function otpContext(t: TestAuth): AuthContext {
  return {
    options: parseOptions({ storage: t.storage, secret: TEST_SECRET }),
    storage: t.storage,
    clock: t.clock,
    rateLimiter: memoryRateLimiter(),
    mailer: t.outbox,
    sms: t.sms,
    hashCode: createKeyedHash(TEST_SECRET, 'latchkey/codes'),
    logger: silentLogger,
    events: new EventBus(silentLogger),
    // No dispatcher runs here: events go to the outbox only.
    webhooks: { start() {}, stop: async () => {}, wake() {} },
  } as unknown as AuthContext;
}

/** Registers and signs in Ada; returns her account id. */
export async function signUp(t: TestAuth, email = 'ada@example.com'): Promise<string> {
  return (await registerAndLogin(t.auth, { email })).account.id;
}

export async function readAccount(storage: Storage, accountId: string): Promise<AccountRecord> {
  const account = await storage.accounts.findById('default', accountId);
  if (!account) throw new Error('no such account');
  return account;
}

/** The code of the newest text message (to `to`, when given). */
export function lastSmsCode(t: TestAuth, to?: string): string {
  const message = t.sms.messages.filter((m) => to === undefined || m.to === to).at(-1);
  const code = message && /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error('no code texted');
  return code;
}

/** The code of the newest `one-time-code` mail. */
export function lastMailCode(t: TestAuth): string {
  const mail = t.outbox.messages.filter((m) => m.kind === 'one-time-code').at(-1);
  const code = mail && /Code: (\d{6})/.exec(mail.text)?.[1];
  if (!code) throw new Error('no code mailed');
  return code;
}

/** A wrong code that is surely not `code`. */
export const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Wraps a storage so that every argument any repository method receives is kept, as JSON. */
export function recordingStorage(inner: Storage): { storage: Storage; written: string[] } {
  const written: string[] = [];
  const storage = proxyStorage(inner, (_repository, _method, args, call) => {
    written.push(JSON.stringify(args));
    return call();
  });
  return { storage, written };
}
