import { afterAll } from 'vitest';
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
