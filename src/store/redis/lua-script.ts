import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RuntimeError } from '../../core/errors.ts';

/**
 * A server-side script, sent by its SHA1 (EVALSHA) and loaded on first use or after the server
 * forgot it (NOSCRIPT, e.g. after a restart or failover).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(
    private readonly source: string,
    private readonly numberOfKeys: number,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    // -1: a script that takes any number of keys.
    if (this.numberOfKeys >= 0 && keys.length !== this.numberOfKeys) {
      throw new RuntimeError(
        'internal_error',
        `script expects ${this.numberOfKeys} keys, got ${keys.length}`,
      );
    }
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
