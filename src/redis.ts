/**
 * `latchkey/redis`: a RateLimiter whose counters live in Redis, shared by every instance of the app, with
 * an in-memory fallback while Redis is down. The app passes its own ioredis client (an optional peer
 * dependency): this entry loads no Redis driver itself.
 *
 * @module latchkey/redis
 */
export { redisRateLimiter, type RedisClient, type RedisRateLimiterOptions } from './adapters/rate-limit/redis.js';
