import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { describeRestartContract, describeStoreContract, type StoreFixture } from '../store-contract.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('redis-stores');
let stores = 0;
afterAll(async () => {
  await deleteRedisKeys(url, filePrefix);
});

const fixture: StoreFixture = {
  open: async (options) => {
    const prefix = `${filePrefix}${++stores}:`;
    const open = () => createRedisStores({ ...options, url, prefix });
    return { stores: await open(), reopen: open };
  },
};

describeStoreContract('redis', fixture);
describeRestartContract('redis', fixture);

describe('redis announcements written by an earlier version', () => {
  it('reads the reports kept inside the announcement, and moves them apart at its next write', async () => {
    const prefix = `${filePrefix}earlier:`;
    const raw = new Redis(url);
    const stores = await createRedisStores({ url, prefix });
    try {
      const link = (n: number) => ({
        conversationId: `web:c${n}`,
        customerId: `web-user:c${n}`,
        ref: { channel: 'web' as const, conversationId: `web:c${n}`, address: { thread: [n] } },
        language: 'de' as const,
        at: 1_765_000_000_000 + n,
      });
      const earlier = {
        id: 'INC-1',
        kind: 'incident',
        service: 'mail',
        startsAt: 1_000,
        status: { de: 'gestört', en: 'down' },
        updates: [],
        links: [link(1), link(2), link(3)],
        createdAt: 1_000,
        createdBy: 'admin',
        revision: 'old',
      };
      await raw.hset(`${prefix}{announcements}`, 'INC-1', JSON.stringify(earlier));
      expect((await stores.announcements.get('INC-1'))?.links).toEqual(earlier.links);
      expect(await stores.announcements.addLink('INC-1', link(4))).toBe('added');
      expect((await stores.announcements.list())[0]?.links).toHaveLength(4);
      // Erasing one of the reports kept inside moves them all apart first, then removes it.
      expect(await stores.announcements.removeLinks('INC-1', ['web:c2'])).toBe(1);
      const stored = JSON.parse((await raw.hget(`${prefix}{announcements}`, 'INC-1')) as string);
      expect(stored.links).toEqual([]);
      expect(stored.updates).toEqual([]);
      const read = await stores.announcements.get('INC-1');
      expect(read?.links).toEqual([link(1), link(3), link(4)]);
    } finally {
      await stores.close();
      raw.disconnect();
    }
  });
});
