import type { Auth } from './auth.js';
import { systemClock } from './clock.js';
import type { AuthContext } from './context.js';
import { EventBus } from './events/event-bus.js';
import { newId } from './lib/ids.js';
import { createKeyedHash } from './lib/keyed-hash.js';
import { randomToken } from './lib/random.js';
import { createSealedBox } from './lib/sealed-box.js';
import { operations } from './operations.js';
import { type AuthOptions, parseOptions } from './options.js';
import type { Logger, Mailer, PasswordHasher, RateLimiter, SmsSender } from './ports.js';
import { VerifiedTokens } from './internal/tokens/verified-tokens.js';
import { webCryptoJwsSigner } from './internal/tokens/web-crypto-jws-signer.js';
import { KeyRing } from './internal/tokens/key-ring.js';
import { GroupCache } from './internal/groups/group-cache.js';
import { WebhookDispatcher } from './internal/webhooks/dispatcher.js';
import { unconfiguredWebhookSender } from './internal/webhooks/unconfigured-sender.js';

export type { Auth, AuthInstanceOptions } from './auth.js';

/**
 * What the core needs: the options, with every port given. The `latchkey` entry's `createAuth` fills in
 * the defaults (scrypt hasher, in-memory limiter, console mailer in development …) and calls this.
 */
export type CoreAuthOptions = AuthOptions & {
  secret: string;
  passwordHasher: PasswordHasher;
  rateLimiter: RateLimiter;
  mailer: Mailer;
  sms: SmsSender;
  logger: Logger;
};

/**
 * Creates a latchkey instance from options whose ports are all given: the core knows no adapter.
 * Options are validated here, so a typo fails at start-up with the name of the option.
 *
 * @throws TypeError naming the first invalid option, or a missing port
 * @example
 * ```ts
 * const auth = createCoreAuth({ storage, secret, passwordHasher, rateLimiter, mailer, sms, logger })
 * ```
 */
export function createAuth(options: CoreAuthOptions): Auth {
  const parsed = parseOptions(options);
  for (const port of ['secret', 'passwordHasher', 'rateLimiter', 'mailer', 'sms', 'logger'] as const) {
    if (parsed[port] === undefined) throw new TypeError(`latchkey: invalid option \`${port}\`: is required`);
  }
  const { secret, previousSecrets, ...visible } = parsed;
  // The current secret seals and hashes; previous ones (newest first) still open and match old data.
  const secrets = [secret!, ...previousSecrets];
  const logger = parsed.logger!;
  let dummyHash: Promise<string> | undefined;
  const ctx: AuthContext = {
    options: parsed,
    storage: parsed.storage,
    hasher: parsed.passwordHasher!,
    rateLimiter: parsed.rateLimiter!,
    mailer: parsed.mailer!,
    sms: parsed.sms!,
    accountSecrets: createSealedBox(secrets, 'latchkey/account-secrets'),
    hashCode: createKeyedHash(secrets, 'latchkey/codes'),
    clock: parsed.clock ?? systemClock,
    logger,
    events: new EventBus(logger),
    keys: new KeyRing(() => ctx, createSealedBox(secrets, 'latchkey/signing-keys')),
    signer: parsed.jwsSigner ?? webCryptoJwsSigner,
    verifiedTokens: new VerifiedTokens(parsed.verifiedTokenCache),
    dummyHash: () => (dummyHash ??= ctx.hasher.hash(randomToken(16))),
    knownGroups: new Set(),
    groupCache: new GroupCache(),
    instanceId: newId('ins'),
    webhooks: new WebhookDispatcher(() => ctx, parsed.webhookSender ?? unconfiguredWebhookSender, {
      pollIntervalMs: parsed.webhooks.pollInterval,
      leaseSeconds: parsed.webhooks.leaseSeconds,
      batch: parsed.webhooks.batch,
    }),
  };

  const facade: Record<string, unknown> = { options: Object.freeze(visible), events: ctx.events, logger };
  for (const [name, operation] of Object.entries(operations)) {
    const run = operation as (ctx: AuthContext, ...args: unknown[]) => unknown;
    facade[name] = (...args: unknown[]) => run(ctx, ...args);
  }
  return facade as Auth;
}
