import { afterAll, describe, expect, it } from 'vitest';
import { MatchSettings } from '../../../src/admin/tuning/match-settings.ts';
import type { Stores } from '../../../src/core/ports.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';

const url = redisTestUrl();
const prefix = uniqueRedisPrefix('match-settings');
const opened: Stores[] = [];
const running: MatchSettings[] = [];

afterAll(async () => {
  for (const settings of running) settings.stop();
  for (const stores of opened) await stores.close();
  await deleteRedisKeys(url, prefix);
});

async function process(): Promise<MatchSettings> {
  const stores = await createRedisStores({ url, prefix });
  opened.push(stores);
  const settings = new MatchSettings({ threshold: 0.4, margin: 0.35 }, stores.settings);
  running.push(settings);
  // No poll: what is under test is the change notification alone.
  await settings.start(0);
  return settings;
}

describe('the match threshold across processes sharing one Redis', () => {
  it('is set in one process and in force in the other without a restart', async () => {
    const [one, two] = [await process(), await process()];
    expect(two.threshold).toBe(0.4);
    const before = await one.set({ threshold: 0.55, margin: 0.3 });
    expect(before).toEqual({ threshold: 0.4, margin: 0.35 });
    expect(one.current).toEqual({ threshold: 0.55, margin: 0.3 });
    await expect.poll(() => two.current, { timeout: 10_000 }).toEqual({ threshold: 0.55, margin: 0.3 });
    // A process started later reads it at start.
    expect((await process()).threshold).toBe(0.55);
  });
});
