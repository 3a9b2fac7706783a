import { consoleLogger } from './adapters/logger/console.js';
import { consoleMailer } from './adapters/mail/console.js';
import { unconfiguredMailer } from './adapters/mail/unconfigured.js';
import { importedHashes } from './adapters/password/imported-hashes.js';
import { scryptHasher } from './adapters/password/scrypt.js';
import { commonPasswordPolicy } from './adapters/password-policy/common.js';
import { memoryRateLimiter } from './adapters/rate-limit/memory.js';
import { consoleSmsSender } from './adapters/sms/console.js';
import { unconfiguredSmsSender } from './adapters/sms/unconfigured.js';
import { nodeJwsSigner } from './adapters/signing/node.js';
import { createWebhookSender } from './adapters/webhooks/sender.js';
import type { Auth } from './core/auth.js';
import { systemClock } from './core/clock.js';
import { createAuth as createCoreAuth } from './core/create-auth.js';
import { randomToken } from './core/lib/random.js';
import type { AuthOptions } from './core/options.js';
import type { Logger } from './core/ports.js';

const DEVELOPMENT_ENVIRONMENTS = new Set(['development', 'test']);

/**
 * Creates a latchkey instance, filling in every port the options leave out: scrypt password hashing on
 * latchkey's own threads (which also verifies imported bcrypt, argon2 and PBKDF2 hashes: `importedHashes`),
 * access tokens signed with node:crypto on the calling thread (`nodeJwsSigner`), a refusal of the 10,000
 * most common passwords (`commonPasswordPolicy`; `passwordPolicy: []` turns it
 * off), an in-memory rate limiter, latchkey's console logger, and mail and text
 * messages printed to the console in development (elsewhere, none are sent until you choose a mailer),
 * and a webhook sender that refuses private and metadata addresses (and plain http outside development).
 * Options are validated here, so a typo fails at start-up with the name of the option, not at the first
 * login.
 *
 * @throws TypeError naming the first invalid option (also: no `secret` outside development)
 * @example
 * ```ts
 * import { createAuth } from 'latchkey'
 * import { memoryStorage } from 'latchkey/memory'
 *
 * const auth = createAuth({ storage: memoryStorage(), secret: process.env.LATCHKEY_SECRET })
 * ```
 */
export function createAuth(options: AuthOptions): Auth {
  const given: Partial<AuthOptions> = typeof options === 'object' && options !== null ? options : {};
  const logger = given.logger ?? consoleLogger();
  return createCoreAuth({
    ...(options as AuthOptions),
    logger,
    secret: given.secret ?? developmentSecret(logger),
    passwordHasher: given.passwordHasher ?? importedHashes(scryptHasher()),
    jwsSigner: given.jwsSigner ?? nodeJwsSigner(),
    passwordPolicy: given.passwordPolicy ?? commonPasswordPolicy(),
    rateLimiter: given.rateLimiter ?? memoryRateLimiter({ clock: given.clock ?? systemClock }),
    mailer: given.mailer ?? defaultMailer(logger),
    sms: given.sms ?? defaultSmsSender(logger),
    webhookSender: given.webhookSender ?? createWebhookSender({ production: !developing(), allow: given.webhooks?.allow ?? [] }),
  });
}

/** Mails printed to the console in development; elsewhere an app must choose a mailer to send any. */
function defaultMailer(logger: Logger) {
  return globalThis.process?.env?.NODE_ENV === 'development' ? consoleMailer() : unconfiguredMailer(logger);
}

/** Text messages printed to the console in development; elsewhere an app must choose a sender. */
function defaultSmsSender(logger: Logger) {
  return globalThis.process?.env?.NODE_ENV === 'development' ? consoleSmsSender() : unconfiguredSmsSender(logger);
}

/** NODE_ENV is `development` or `test`: the only places plain-http webhook endpoints are accepted. */
function developing(): boolean {
  const environment = globalThis.process?.env?.NODE_ENV;
  return environment !== undefined && DEVELOPMENT_ENVIRONMENTS.has(environment);
}

function developmentSecret(logger: Logger): string {
  const environment = globalThis.process?.env?.NODE_ENV;
  if (!environment || !DEVELOPMENT_ENVIRONMENTS.has(environment)) {
    throw new TypeError(
      'latchkey: invalid option `secret`: required outside development (set it to 32+ random characters, or NODE_ENV=development)',
    );
  }
  logger.warn('no `secret` option: using a random one, so signing keys stored now cannot be read after a restart');
  return randomToken(32);
}
