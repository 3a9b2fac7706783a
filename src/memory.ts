/**
 * `latchkey/memory`: the Storage port and a rate limiter kept in this process's memory, for tests and
 * development. Everything is gone when the process ends.
 *
 * @module latchkey/memory
 */
export { memoryStorage } from './adapters/storage/memory/index.js';
export { memoryRateLimiter, type MemoryRateLimiter, type MemoryRateLimiterOptions } from './adapters/rate-limit/memory.js';
