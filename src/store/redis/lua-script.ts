import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { RuntimeError } from '../../core/errors.ts';

/** The scripts, one file each; found beside this file, also from the compiled bundle (bin/compile-ahead.js). */
const LUA_DIR = new URL('./lua/', import.meta.url);

/**
 * A script's source from lua/<name>.lua, read once. `{{part}}` takes the text of lua/<part>.lua
 * (a tail several scripts share) or, when there is no such file, `values[part]`.
 */
function readScript(name: string, values: Record<string, string>): string {
  const source = readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8');
  return source.replace(/\{\{([\w-]+)\}\}/g, (_, part: string) => {
    if (existsSync(new URL(`${part}.lua`, LUA_DIR))) return readScript(part, values);
    const value = values[part];
    if (value === undefined) throw new Error(`lua/${name}.lua: nothing to put in for {{${part}}}`);
    return value;
  });
}

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

/** The script of lua/<name>.lua, which takes `numberOfKeys` keys (-1: any number). */
export function luaScript(
  name: string,
  numberOfKeys: number,
  values: Record<string, string> = {},
): LuaScript {
  return new LuaScript(readScript(name, values), numberOfKeys);
}
