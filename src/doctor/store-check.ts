import { access, constants, mkdir } from 'node:fs/promises';
import type { Config } from '../config/config.ts';
import { probeRedis } from '../store/redis/redis-probe.ts';
import { type Finding, finding, unreachableReason } from './finding.ts';

/**
 * The store a deployment uses. With Redis: reachable, AOF on (state survives a Redis restart)
 * and no eviction (state is never dropped silently). Without: the data directory is writable.
 */
export async function checkStore(
  config: Pick<Config, 'REDIS_URL' | 'DATA_DIR'>,
  timeoutMs: number,
): Promise<Finding[]> {
  if (!config.REDIS_URL) return [await checkDataDir(config.DATA_DIR)];
  const where = new URL(config.REDIS_URL).host;
  try {
    const settings = await probeRedis(config.REDIS_URL, timeoutMs);
    const findings = [finding('store', 'ok', `Redis at ${where} answers`)];
    findings.push(
      settings.aofEnabled
        ? finding('store', 'ok', 'Redis persistence: AOF on')
        : finding(
            'store',
            'problem',
            'Redis AOF is off: tickets and conversations are lost when Redis restarts; set `appendonly yes` (and `appendfsync everysec`)',
          ),
    );
    const policy = settings.maxmemoryPolicy;
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
    const reason = unreachableReason(error, timeoutMs);
    return [finding('store', 'problem', `Redis at ${where} not reachable: ${reason}`)];
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
