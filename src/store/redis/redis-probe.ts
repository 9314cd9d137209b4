import { Redis } from 'ioredis';

/** What a deployment check reads of a Redis: the settings that keep the bot's state safe. */
export interface RedisSettings {
  /** AOF persistence: state survives a Redis restart. */
  aofEnabled: boolean;
  /** `noeviction` keeps Redis from dropping keys under memory pressure. */
  maxmemoryPolicy: string;
}

/** `field:value` lines of an INFO section, as a map. */
function parseInfo(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * Connects once, without retries, each step bounded by `timeoutMs`, and reads the persistence and
 * memory settings. Rejects with the socket's own error (ECONNREFUSED, ENOTFOUND) when there is one:
 * it says more than the rejected connect().
 */
export async function probeRedis(url: string, timeoutMs: number): Promise<RedisSettings> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let socketError: unknown;
  redis.on('error', (error) => {
    socketError = error;
  });
  try {
    await redis.connect();
    const persistence = parseInfo(await redis.info('persistence'));
    const memory = parseInfo(await redis.info('memory'));
    return {
      aofEnabled: persistence.get('aof_enabled') === '1',
      maxmemoryPolicy: memory.get('maxmemory_policy') ?? 'unknown',
    };
  } catch (error) {
    throw socketError ?? error;
  } finally {
    redis.disconnect();
  }
}
