import { describe, expect, it } from 'vitest';
import { IdempotencyCache } from '../../../../src/channels/web/idempotency-cache.ts';

describe('IdempotencyCache', () => {
  it('runs once per key and gives a concurrent retry the same result', async () => {
    const cache = new IdempotencyCache<number>();
    let runs = 0;
    let release: (v: number) => void = () => {};
    const produce = () =>
      new Promise<number>((resolve) => {
        runs++;
        release = resolve;
      });
    const first = cache.run('k', produce);
    const retry = cache.run('k', produce);
    release(42);
    expect(await first).toBe(42);
    expect(await retry).toBe(42);
    expect(await cache.run('k', produce)).toBe(42);
    expect(runs).toBe(1);
  });

  it('forgets a failed attempt so the retry runs again', async () => {
    const cache = new IdempotencyCache<string>();
    await expect(cache.run('k', () => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    expect(await cache.run('k', async () => 'second try')).toBe('second try');
  });

  it('expires by age and stays within its size', async () => {
    let now = 0;
    const cache = new IdempotencyCache<number>(1_000, 3, () => now);
    await cache.run('a', async () => 1);
    now = 2_000;
    expect(await cache.run('a', async () => 2)).toBe(2);
    for (const key of ['b', 'c', 'd', 'e']) await cache.run(key, async () => 0);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
