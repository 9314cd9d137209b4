import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { describeRestartContract, describeStoreContract } from '../store-contract.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-'));
let dirs = 0;
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describeStoreContract('embedded, in memory', {
  open: async (options) => ({ stores: await createEmbeddedStores(options) }),
});

describeStoreContract('embedded, data directory', {
  open: async (options) => {
    const dataDir = path.join(root, `contract-${++dirs}`);
    const stores = await createEmbeddedStores({ ...options, dataDir });
    return { stores, reopen: () => createEmbeddedStores({ ...options, dataDir }) };
  },
});

describeRestartContract('embedded, data directory', {
  open: async (options) => {
    const dataDir = path.join(root, `restart-${++dirs}`);
    const stores = await createEmbeddedStores({ ...options, dataDir });
    return { stores, reopen: () => createEmbeddedStores({ ...options, dataDir }) };
  },
});
