export { scryptHasher } from './password/scrypt.js';
export { flexibleRateLimiter, type CreateFlexibleLimiter } from './rate-limit/flexible.js';
export { memoryRateLimiter, type MemoryRateLimiter, type MemoryRateLimiterOptions } from './rate-limit/memory.js';
export { consoleLogger } from './logger/console.js';
export { silentLogger } from './logger/silent.js';
export { consoleMailer, type ConsoleMailerOptions } from './mail/console.js';
export {
  outboxMailer,
  type OutboxMailer,
  type OutboxMailerOptions,
  type OutboxMessage,
  type OutboxWaitOptions,
} from './mail/outbox.js';
export { consoleSmsSender, type ConsoleSmsSenderOptions } from './sms/console.js';
export {
  outboxSmsSender,
  type OutboxSms,
  type OutboxSmsSender,
  type OutboxSmsSenderOptions,
  type OutboxSmsWaitOptions,
} from './sms/outbox.js';
export { unconfiguredSmsSender } from './sms/unconfigured.js';
