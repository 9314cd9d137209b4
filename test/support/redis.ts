import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { Stores } from '../../src/core/ports.ts';
import { createRedisStores, type RedisStoreOptions } from '../../src/store/redis/redis-stores.ts';
import { TestClock } from './store-samples.ts';

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

/**
 * Redis store tests of one file: a raw client for looking at (and tampering with) keys, stores
 * opened on fresh prefixes and closed after each test, and every key removed after the file.
 */
export function redisStoreTestBed(name: string) {
  const url = redisTestUrl();
  const filePrefix = uniqueRedisPrefix(name);
  const opened: Stores[] = [];
  let raw: Redis | undefined;
  let n = 0;
  beforeAll(() => {
    raw = new Redis(url);
  });
  afterEach(async () => {
    for (const stores of opened.splice(0)) await stores.close();
  });
  afterAll(async () => {
    raw?.disconnect();
    await deleteRedisKeys(url, filePrefix);
  });
  return {
    raw: (): Redis => {
      if (!raw) throw new Error('the raw client exists inside tests only');
      return raw;
    },
    /** A fresh prefix, so the stores opened with it see only each other's keys. */
    nextPrefix: (): string => `${filePrefix}${++n}:`,
    /** Stores on `prefix` with a test clock, collecting warnings. */
    async open(prefix: string, options: Partial<RedisStoreOptions> = {}, warnings: string[] = []) {
      const stores = await createRedisStores({
        clock: new TestClock(),
        warn: (message) => warnings.push(message),
        ...options,
        url,
        prefix,
      });
      opened.push(stores);
      return stores;
    },
  };
}
