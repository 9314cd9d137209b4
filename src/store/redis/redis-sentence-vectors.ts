import type { Redis } from 'ioredis';
import { errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import { RedisKeys } from './redis-keys.ts';
import { createRedisClient } from './redis-stores.ts';

/** Fields per HMGET / HSET: one command stays small while thousands of phrasings are read. */
const CHUNK = 500;

/**
 * The phrasings' sentence vectors in one Redis hash (field: the vector's key, value: its float32
 * bytes), shared by every process of the bot: a process started on a new machine reads what the
 * others embedded. Redis being away is a miss, never an error: the texts are embedded again.
 * (Structurally the understanding's SentenceVectorStore; the store layer does not import it.)
 */
export class RedisSentenceVectors {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #log: Logger;

  constructor(redis: Redis, options: { prefix: string; modelId: string; log?: Logger | undefined }) {
    this.#redis = redis;
    this.#key = new RedisKeys(options.prefix).sentenceVectors(options.modelId);
    this.#log = options.log ?? silentLogger;
  }

  async read(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const out: (Float32Array | undefined)[] = [];
    try {
      for (let i = 0; i < keys.length; i += CHUNK) {
        const values = await this.#redis.hmgetBuffer(this.#key, ...keys.slice(i, i + CHUNK));
        for (const value of values) out.push(value && value.length % 4 === 0 ? toVector(value) : undefined);
      }
      return out;
    } catch (error) {
      this.#log.warn('sentence vectors not read from redis', { error: errorMessage(error) });
      return keys.map(() => undefined);
    }
  }

  async write(entries: readonly { key: string; vector: Float32Array }[]): Promise<void> {
    try {
      for (let i = 0; i < entries.length; i += CHUNK) {
        const args: (string | Buffer)[] = [];
        for (const e of entries.slice(i, i + CHUNK))
          args.push(e.key, Buffer.from(e.vector.buffer, e.vector.byteOffset, e.vector.byteLength));
        await this.#redis.hset(this.#key, ...args);
      }
    } catch (error) {
      this.#log.warn('sentence vectors not written to redis', { error: errorMessage(error) });
    }
  }
}

/**
 * Its own connection (the stores are opened later, and may fail over to the disk); undefined,
 * logged, when Redis cannot be reached now: the vectors are then kept in DATA_DIR only.
 */
export async function openRedisSentenceVectors(options: {
  url: string;
  prefix: string;
  modelId: string;
  log?: Logger | undefined;
}): Promise<{ store: RedisSentenceVectors; close(): Promise<void> } | undefined> {
  const redis = createRedisClient({ url: options.url, warn: (message) => options.log?.warn(message) });
  try {
    await redis.connect();
    return {
      store: new RedisSentenceVectors(redis, options),
      close: async () => {
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  } catch (error) {
    redis.disconnect();
    options.log?.warn('sentence vectors kept in DATA_DIR only: redis not reachable', {
      error: errorMessage(error),
    });
    return undefined;
  }
}

function toVector(bytes: Buffer): Float32Array {
  const vector = new Float32Array(bytes.length / 4);
  Buffer.from(vector.buffer).set(bytes);
  return vector;
}
