/**
 * Builds src/understanding/word-vectors/default-knowledge-sentences.bin: the sentence vectors of
 * the shipped knowledge's English phrasings (see shipped-sentence-vectors.ts), so a fresh start
 * embeds none of them. Run it after changing an English phrasing in knowledge/ or intents/
 * (a test says when it is due); about 5 seconds, nothing downloaded:
 *
 *   npx tsx scripts/build-shipped-sentence-vectors.ts [out]
 */
import { writeFileSync } from 'node:fs';
import { loadSentenceEncoder, SENTENCE_MODEL_ID } from '../src/understanding/sentence-encoder.ts';
import { encodeSegment, vectorKey } from '../src/understanding/sentence-vector-cache.ts';
import { SHIPPED_SENTENCE_VECTORS } from '../src/understanding/shipped-sentence-vectors.ts';
import { Understanding } from '../src/understanding/understanding.ts';

const out = process.argv[2] ?? SHIPPED_SENTENCE_VECTORS;
const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
const byKey = new Map<string, string>();
for (const p of understanding.sentencePhrasings()) byKey.set(vectorKey(SENTENCE_MODEL_ID, p.text), p.text);
// Sorted by key: the same knowledge gives the same file.
const keys = [...byKey.keys()].sort();
const encoder = await loadSentenceEncoder();
const vectors = await encoder.embed(keys.map((key) => byKey.get(key) as string));
const entries = keys.map((key, i) => ({ key, vector: vectors[i] as Float32Array }));
writeFileSync(out, await encodeSegment(encoder.dimensions, entries));
process.stdout.write(`${entries.length} phrasing vectors written to ${out}\n`);
