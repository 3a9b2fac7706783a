export { memoryStorage } from './adapters/storage/memory/index.js';
export { memoryRateLimiter, type MemoryRateLimiter, type MemoryRateLimiterOptions } from './adapters/rate-limit/memory.js';
