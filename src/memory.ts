export { memoryStorage } from './adapters/storage/memory/index.js';
export { memoryRateLimiter } from './adapters/rate-limit/memory.js';
