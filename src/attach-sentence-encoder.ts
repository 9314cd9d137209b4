import type { Logger } from './core/logger.ts';
import { openRedisSentenceVectors } from './store/redis/redis-sentence-vectors.ts';
import {
  loadSentenceEncoder,
  loadSentenceEncoderWorker,
  SENTENCE_MODEL_ID,
} from './understanding/sentence-encoder.ts';
import {
  SentenceVectorCache,
  SentenceVectorFile,
  type SentenceVectorStore,
  sentenceVectorDir,
} from './understanding/sentence-vector-cache.ts';
import type { Understanding } from './understanding/understanding.ts';

/**
 * SENTENCE_ENCODER=on: loads the encoder and embeds the English phrasings, reusing the vectors
 * kept in DATA_DIR (and in Redis with REDIS_URL), so a restart embeds only what is new. Returns
 * what ends the worker thread and the Redis connection it opened.
 */
export async function attachSentenceEncoder(
  understanding: Understanding,
  options: {
    dataDir?: string | undefined;
    redis?: { url: string; prefix: string } | undefined;
    log?: Logger | undefined;
  },
): Promise<{ embedded: number; close(): Promise<void> }> {
  const { log } = options;
  const encoder = await loadSentenceEncoder();
  const stores: SentenceVectorStore[] = [];
  if (options.dataDir) {
    const dir = sentenceVectorDir(options.dataDir, SENTENCE_MODEL_ID);
    stores.push(new SentenceVectorFile({ dir, dims: encoder.dimensions, log }));
  }
  const redis = options.redis
    ? await openRedisSentenceVectors({ ...options.redis, modelId: SENTENCE_MODEL_ID, log })
    : undefined;
  if (redis) stores.push(redis.store);
  const cache = new SentenceVectorCache({ modelId: SENTENCE_MODEL_ID, stores, log });
  // Phrasings are embedded in a worker thread, messages here (one call of ~10 ms each).
  const phrasings = loadSentenceEncoderWorker(encoder);
  await understanding.useSentenceEncoder(encoder, { cache, phrasings });
  return {
    embedded: cache.embedded,
    close: async () => {
      await phrasings.close();
      await redis?.close();
    },
  };
}
