export { scryptHasher } from './password/scrypt.js';
export { memoryRateLimiter } from './rate-limit/memory.js';
export { consoleLogger } from './logger/console.js';
export { silentLogger } from './logger/silent.js';
