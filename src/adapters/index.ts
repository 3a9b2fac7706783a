/**
 * `latchkey/adapters`: implementations of the ports that need no optional dependency: the scrypt
 * password hasher, the node:crypto access-token signer, password policies (common and breached passwords), rate limiters, loggers, and
 * mailers and SMS senders for development and tests.
 *
 * @module latchkey/adapters
 */
export { scryptHasher, type ScryptHasherOptions } from './password/scrypt.js';
export { nodeJwsSigner } from './signing/node.js';
export { importedHashes, LEGACY_HASH_BOUNDS } from './password/imported-hashes.js';
export { commonPasswordPolicy, type CommonPasswordPolicyOptions } from './password-policy/common.js';
export { hibpPasswordPolicy, type HibpFetch, type HibpPasswordPolicyOptions } from './password-policy/hibp.js';
export { flexibleRateLimiter, type CreateFlexibleLimiter } from './rate-limit/flexible.js';
export { memoryRateLimiter, type MemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limit/memory.js';
export { consoleLogger, type ConsoleLoggerOptions, type LogLevel } from './logger/console.js';
export { silentLogger } from './logger/silent.js';
export { consoleMailer, type ConsoleMailerOptions } from './mail/console.js';
export {
  outboxMailer,
  type OutboxMailer,
  type OutboxMailerOptions,
  type OutboxMessage,
  type OutboxWaitOptions,
} from './mail/outbox.js';
export type { OutboxOptions } from './outbox.js';
export { consoleSmsSender, type ConsoleSmsSenderOptions } from './sms/console.js';
export {
  outboxSmsSender,
  type OutboxSms,
  type OutboxSmsSender,
  type OutboxSmsSenderOptions,
  type OutboxSmsWaitOptions,
} from './sms/outbox.js';
export { unconfiguredSmsSender } from './sms/unconfigured.js';
export {
  createWebhookSender,
  type ResolvedAddress,
  type WebhookLookup,
  type WebhookHttpSender,
  type WebhookSendRequest,
  type WebhookSendResult as WebhookSenderResult,
  type WebhookSenderOptions,
} from './webhooks/sender.js';
export {
  checkWebhookUrl,
  isForbiddenAddress,
  type WebhookAllowList,
  type WebhookUrlCheck,
  type WebhookUrlPolicyOptions,
} from './webhooks/url-policy.js';
