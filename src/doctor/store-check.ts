import { access, constants, mkdir } from 'node:fs/promises';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { type Finding, finding, unreachableReason } from './finding.ts';

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
 * The store a deployment uses. With Redis: reachable, AOF on (state survives a Redis restart)
 * and no eviction (state is never dropped silently). Without: the data directory is writable.
 */
export async function checkStore(
  config: Pick<Config, 'REDIS_URL' | 'DATA_DIR'>,
  timeoutMs: number,
): Promise<Finding[]> {
  if (!config.REDIS_URL) return [await checkDataDir(config.DATA_DIR)];
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the rejected connect().
  let socketError: unknown;
  redis.on('error', (error) => {
    socketError = error;
  });
  const where = new URL(config.REDIS_URL).host;
  try {
    await redis.connect();
    const persistence = parseInfo(await redis.info('persistence'));
    const memory = parseInfo(await redis.info('memory'));
    const findings = [finding('store', 'ok', `Redis at ${where} answers`)];
    findings.push(
      persistence.get('aof_enabled') === '1'
        ? finding('store', 'ok', 'Redis persistence: AOF on')
        : finding(
            'store',
            'problem',
            'Redis AOF is off: tickets and conversations are lost when Redis restarts; set `appendonly yes` (and `appendfsync everysec`)',
          ),
    );
    const policy = memory.get('maxmemory_policy') ?? 'unknown';
    findings.push(
      policy === 'noeviction'
        ? finding('store', 'ok', 'Redis maxmemory-policy: noeviction')
        : finding(
            'store',
            'problem',
            `Redis maxmemory-policy is ${policy}: under memory pressure Redis drops keys silently; set \`maxmemory-policy noeviction\``,
          ),
    );
    return findings;
  } catch (error) {
    const reason = unreachableReason(socketError ?? error, timeoutMs);
    return [finding('store', 'problem', `Redis at ${where} not reachable: ${reason}`)];
  } finally {
    redis.disconnect();
  }
}

async function checkDataDir(dataDir: string): Promise<Finding> {
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK);
    return finding(
      'store',
      'warning',
      `embedded store in ${dataDir}: fine for one process; set REDIS_URL to run several replicas`,
    );
  } catch (error) {
    return finding('store', 'problem', `DATA_DIR ${dataDir} is not writable: ${unreachableReason(error, 0)}`);
  }
}
