import { errorMessage, type Logger } from './core/logger.ts';
import { openRedisSentenceVectors } from './store/redis/redis-sentence-vectors.ts';
import {
  assertSentenceEncoderInstalled,
  cachedEncoder,
  loadSentenceEncoder,
  loadSentenceEncoderWorker,
  SENTENCE_DIMENSIONS,
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
    /**
     * Load the model only when a phrasing needs embedding (`support-bot build-index`, which answers
     * no message): with the shipped knowledge that is never, and loading it took a second.
     */
    onlyIfNeeded?: boolean | undefined;
  },
): Promise<{ embedded: number; close(): Promise<void> }> {
  const { log } = options;
  assertSentenceEncoderInstalled();
  // The shipped knowledge's vectors first (never copied into the stores after them), then DATA_DIR.
  const stores = localSentenceVectorStores({
    dims: SENTENCE_DIMENSIONS,
    modelId: SENTENCE_MODEL_ID,
    dataDir: options.dataDir,
    log,
  });
  const redis = options.redis
    ? await openRedisSentenceVectors({ ...options.redis, modelId: SENTENCE_MODEL_ID, log })
    : undefined;
  if (redis) stores.push(redis.store);
  const cache = new SentenceVectorCache({ modelId: SENTENCE_MODEL_ID, stores, log });
  // The model lives in a worker thread, loaded on the other core while start-up goes on: phrasings
  // and messages are embedded there, so the event loop answering messages is never held by a
  // call into the model (10–20 ms for a message). This thread loads it only should the worker fail.
  const worker = loadSentenceEncoderWorker(loadSentenceEncoder, { startNow: !options.onlyIfNeeded });
  await understanding.useSentenceEncoder(cachedEncoder(worker), { cache, phrasings: worker });
  return {
    embedded: cache.embedded,
    close: async () => {
      await worker.close();
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
