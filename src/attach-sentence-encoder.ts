import { errorMessage, type Logger } from './core/logger.ts';
import { openRedisSentenceVectors } from './store/redis/redis-sentence-vectors.ts';
import {
  loadSentenceEncoder,
  loadSentenceEncoderWorker,
  SENTENCE_MODEL_ID,
} from './understanding/sentence-encoder.ts';
import { SentenceVectorCache } from './understanding/sentence-vector-cache.ts';
import { localSentenceVectorStores } from './understanding/shipped-sentence-vectors.ts';
import type { Understanding } from './understanding/understanding.ts';

/**
 * SENTENCE_ENCODER=on (the default): loads the encoder and embeds the English phrasings, reusing
 * the vectors shipped for the default knowledge and those kept in DATA_DIR (and in Redis with
 * REDIS_URL), so a start embeds only what none of them has. Returns
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
  // The shipped knowledge's vectors first (never copied into the stores after them), then DATA_DIR.
  const stores = localSentenceVectorStores({
    dims: encoder.dimensions,
    modelId: SENTENCE_MODEL_ID,
    dataDir: options.dataDir,
    log,
  });
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

/** How long start-up waits for the sentence index before it answers without it meanwhile. */
export const SENTENCE_ENCODER_START_WAIT_MS = 15_000;

/**
 * attachSentenceEncoder for a server's start: waits up to `waitMs` (the shipped knowledge's
 * vectors make that well under a second). A knowledge base with thousands of new English
 * phrasings takes longer the first time (about a minute at 10k); the bot then starts answering
 * without sentence meaning and takes it up when the phrasings are embedded, rather than keep
 * customers waiting. A failure within the wait stops start-up; a later one is logged.
 */
export async function attachSentenceEncoderAtStart(
  understanding: Understanding,
  options: Parameters<typeof attachSentenceEncoder>[1] & { waitMs?: number | undefined },
): Promise<{ close(): Promise<void>; status(): SentenceEncoderStatus }> {
  const { log } = options;
  const started = Date.now();
  let status: SentenceEncoderStatus = { status: 'degraded', detail: 'embedding the phrasings' };
  const attaching = attachSentenceEncoder(understanding, options);
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    attaching,
    new Promise<'later'>((resolve) => {
      timer = setTimeout(() => resolve('later'), options.waitMs ?? SENTENCE_ENCODER_START_WAIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const ready = (attached: { embedded: number }) => {
    status = { status: 'ok' };
    log?.info('sentence encoder ready', { ms: Date.now() - started, embedded: attached.embedded });
  };
  if (waited !== 'later') {
    ready(waited);
    return { close: waited.close, status: () => status };
  }
  log?.info(
    'sentence encoder still embedding phrasings: English close calls are answered without it until then',
    {
      ms: Date.now() - started,
    },
  );
  const settled = attaching.then(
    (attached) => {
      ready(attached);
      return attached;
    },
    (error: unknown) => {
      status = { status: 'degraded', detail: `not attached: ${errorMessage(error)}` };
      log?.error('sentence encoder not attached: English close calls are answered without it', {
        error: errorMessage(error),
      });
      return undefined;
    },
  );
  return { close: async () => (await settled)?.close(), status: () => status };
}

/**
 * What `/readyz` says of the encoder: ok once it is attached; degraded (the bot answers, English
 * close calls without sentence meaning) while it embeds past the start's wait, or if it failed.
 */
export interface SentenceEncoderStatus {
  status: 'ok' | 'degraded';
  detail?: string | undefined;
}
