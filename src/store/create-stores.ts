import type { Stores } from '../core/ports.ts';
import { createEmbeddedStores } from './embedded/embedded-stores.ts';
import { createFailoverStores } from './failover/failover-stores.ts';
import type { StoreOptions } from './store-options.ts';

export interface CreateStoresOptions extends StoreOptions {
  /** Set: every store lives in Redis (several bot processes can share it). Unset: the embedded store. */
  redisUrl?: string | undefined;
  /** Key prefix in Redis (REDIS_PREFIX). */
  redisPrefix?: string | undefined;
  /** The embedded store's directory; with Redis, where the local spool is kept while Redis is away. */
  dataDir?: string | undefined;
}

/** The stores main.ts wires in: Redis when REDIS_URL is set, else the embedded default. */
export async function createStores(options: CreateStoresOptions): Promise<Stores> {
  if (options.redisUrl) {
    return createFailoverStores({ ...options, url: options.redisUrl, prefix: options.redisPrefix ?? 'sb:' });
  }
  return createEmbeddedStores(options);
}
