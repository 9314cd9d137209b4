import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** The Redis of this test run (see test/global-setup.ts). */
export function redisTestUrl(): string {
  return inject('redisUrl');
}

/** A key prefix no other test file uses, so files can share one Redis (also a developer's own). */
export function uniqueRedisPrefix(name: string): string {
  return `sbtest:${name}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under the prefix: a full SCAN loop, then DEL in batches. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
