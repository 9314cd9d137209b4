import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitDecision, RateLimitPolicy, RateLimits } from '../core/web-ports.ts';

function decide(consume: () => Promise<unknown>): Promise<RateLimitDecision> {
  return consume().then(
    (): RateLimitDecision => ({ allowed: true }),
    (rejection: unknown): RateLimitDecision => {
      // The library rejects with a RateLimiterRes when no point is left, with an Error otherwise.
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      }
      throw rejection;
    },
  );
}

/** Limits in this process's memory (the embedded store: one process owns the data directory). */
export function memoryRateLimits(): RateLimits {
  return {
    limit(name: string, policy: RateLimitPolicy): RateLimit {
      const limiter = new RateLimiterMemory({
        keyPrefix: name,
        points: policy.points,
        duration: policy.durationSeconds,
      });
      return { consume: (key) => decide(() => limiter.consume(key)) };
    },
  };
}

/**
 * Limits in Redis, so a client spread over several processes meets one limit. A key already over
 * its limit is answered from memory until its window ends (a flood costs Redis nothing more), and
 * while Redis is away each process limits on its own instead of failing the request.
 */
export function redisRateLimits(redis: Redis, prefix: string): RateLimits {
  return {
    limit(name: string, policy: RateLimitPolicy): RateLimit {
      const options = { points: policy.points, duration: policy.durationSeconds };
      const limiter = new RateLimiterRedis({
        ...options,
        storeClient: redis,
        keyPrefix: `${prefix}rl:${name}`,
        rejectIfRedisNotReady: true,
        inMemoryBlockOnConsumed: policy.points,
        inMemoryBlockDuration: policy.durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix: `${name}:insurance` }),
      });
      return { consume: (key) => decide(() => limiter.consume(key)) };
    },
  };
}
