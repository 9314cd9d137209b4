import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../../src/core/logger.ts';
import {
  loadSentenceEncoder,
  SENTENCE_MODEL_ID,
  type SentenceEncoder,
} from '../../../src/understanding/sentence-encoder.ts';
import { SentenceVectorCache, vectorKey } from '../../../src/understanding/sentence-vector-cache.ts';
import {
  localSentenceVectorStores,
  ShippedSentenceVectors,
} from '../../../src/understanding/shipped-sentence-vectors.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';

/**
 * The sentence vectors shipped for the default knowledge: they must be those of its English
 * phrasings as they are now (else a fresh start embeds again, seconds per start), and what the
 * model gives for them.
 */
const root = new URL('../../../', import.meta.url).pathname;
let understanding: Understanding;
let encoder: SentenceEncoder;

beforeAll(async () => {
  [understanding, encoder] = await Promise.all([
    Understanding.load({ knowledgeDir: join(root, 'knowledge'), intentsDir: join(root, 'intents') }),
    loadSentenceEncoder(),
  ]);
}, 60_000);

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (message: string) => warnings.push(message) };
}

describe('shipped sentence vectors', () => {
  it('hold every English phrasing of knowledge/ and intents/, and nothing else', async () => {
    const keys = [
      ...new Set(understanding.sentencePhrasings().map((p) => vectorKey(SENTENCE_MODEL_ID, p.text))),
    ];
    const shipped = new ShippedSentenceVectors({ dims: encoder.dimensions });
    const found = await shipped.read(keys);
    const missing = understanding.sentencePhrasings().filter((_, i) => !found[i]);
    expect(
      missing.map((p) => p.text),
      'run `npx tsx scripts/build-shipped-sentence-vectors.ts` after changing English phrasings',
    ).toStrictEqual([]);
    expect(keys.length).toBeGreaterThan(500);
  });

  it('are what the model gives for those phrasings', async () => {
    const texts = understanding
      .sentencePhrasings()
      .map((p) => p.text)
      .filter((_, i) => i % 97 === 0);
    const fresh = await encoder.embed(texts);
    const shipped = await new ShippedSentenceVectors({ dims: encoder.dimensions }).read(
      texts.map((t) => vectorKey(SENTENCE_MODEL_ID, t)),
    );
    texts.forEach((_, i) => {
      const a = fresh[i] as Float32Array;
      const b = shipped[i] as Float32Array;
      let dot = 0;
      for (let d = 0; d < a.length; d++) dot += (a[d] as number) * (b[d] as number);
      expect(dot).toBeGreaterThan(0.99999);
    });
  });

  it('let a start on the default knowledge embed nothing, and never take writes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-shipped-'));
    const stores = localSentenceVectorStores({
      dims: encoder.dimensions,
      modelId: SENTENCE_MODEL_ID,
      dataDir,
    });
    const cache = new SentenceVectorCache({ modelId: SENTENCE_MODEL_ID, stores });
    const counting: SentenceEncoder = {
      dimensions: encoder.dimensions,
      embed: (texts) => encoder.embed(texts),
    };
    const phrasings = understanding.sentencePhrasings().map((p) => p.text);
    await cache.embed(counting, [...phrasings, 'a phrasing the default knowledge does not have']);
    expect(cache.embedded).toBe(1);
    // The new one went to DATA_DIR only: a second cache over the same stores embeds nothing.
    const again = new SentenceVectorCache({
      modelId: SENTENCE_MODEL_ID,
      stores: localSentenceVectorStores({ dims: encoder.dimensions, modelId: SENTENCE_MODEL_ID, dataDir }),
    });
    await again.embed(counting, ['a phrasing the default knowledge does not have']);
    expect(again.embedded).toBe(0);
    const shipped = await new ShippedSentenceVectors({ dims: encoder.dimensions }).read([
      vectorKey(SENTENCE_MODEL_ID, 'a phrasing the default knowledge does not have'),
    ]);
    expect(shipped).toStrictEqual([undefined]);
  });

  it('are a miss with a warning when the file is missing or damaged, never an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-shipped-'));
    const damaged = join(dir, 'damaged.bin');
    writeFileSync(damaged, 'SBSV and then nothing sensible');
    for (const file of [join(dir, 'missing.bin'), damaged]) {
      const log = recordingLog();
      const store = new ShippedSentenceVectors({ dims: encoder.dimensions, file, log });
      expect(await store.read(['00'])).toStrictEqual([undefined]);
      expect(log.warnings).toStrictEqual([
        'shipped sentence vectors not read; the phrasings are embedded instead',
      ]);
    }
  });
});
