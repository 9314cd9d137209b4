import type { WordVectors } from './word-vectors.ts';

/**
 * Sentence vectors without running a sentence encoder. The shipped table
 * (word-vectors/en-sentence-128d.bin, built by scripts/build-sentence-vectors.ts) holds each
 * English word's share of a sentence vector, distilled from the Universal Sentence Encoder lite:
 * the encoder's vector of the word alone, centred and reduced to 128 dimensions, weighted by how
 * rare the word is. A text's vector is the sum of its words' rows, made unit length: a few
 * microseconds where the encoder takes 10 ms, and on BANKING77 10-shot about half the encoder's
 * gain (BENCHMARKS.md). It knows "delivered" is like "arrived" and that "the" says little, but not
 * word order or context.
 */
export function sentenceVectorOf(table: WordVectors, words: readonly string[]): Float32Array | null {
  const out = new Float32Array(table.dimensions);
  let known = false;
  for (const word of words) if (table.addTo(word, 1, out)) known = true;
  if (!known) return null;
  let norm = 0;
  for (let d = 0; d < out.length; d++) norm += (out[d] as number) * (out[d] as number);
  if (norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  for (let d = 0; d < out.length; d++) out[d] = (out[d] as number) * scale;
  return out;
}
