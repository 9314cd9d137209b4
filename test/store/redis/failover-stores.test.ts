import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createFailoverStores } from '../../../src/store/failover/failover-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { describeRestartContract, describeStoreContract, type StoreFixture } from '../store-contract.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('failover-stores');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-failover-'));
let stores = 0;
afterAll(async () => {
  await deleteRedisKeys(url, filePrefix);
  fs.rmSync(root, { recursive: true, force: true });
});

// With Redis there, the spooling wrapper must behave exactly like Redis itself.
const fixture: StoreFixture = {
  open: async (options) => {
    const n = ++stores;
    const open = () =>
      createFailoverStores({
        ...options,
        url,
        prefix: `${filePrefix}${n}:`,
        dataDir: path.join(root, `d${n}`),
      });
    return { stores: await open(), reopen: open };
  },
};

describeStoreContract('redis with local spool', fixture);
describeRestartContract('redis with local spool', fixture);
