import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import type { MatchResult } from '../../../src/core/match.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { RedisSentenceVectors } from '../../../src/store/redis/redis-sentence-vectors.ts';
import { connectRedis } from '../../../src/store/redis/redis-stores.ts';
import type { IntentDefinition } from '../../../src/understanding/intent-definition.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import type { SentenceEncoder } from '../../../src/understanding/sentence-encoder.ts';
import {
  EMBED_BATCH,
  SentenceVectorCache,
  SentenceVectorFile,
  type SentenceVectorStore,
  vectorKey,
} from '../../../src/understanding/sentence-vector-cache.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';

/**
 * The phrasings' sentence vectors kept between builds (sentence-vector-cache.ts), with the
 * default knowledge. The encoder is a real, deterministic one written here (each word's hash
 * spread over 64 dimensions, summed and made unit length): what matters is which texts reach it.
 */
const DIMS = 64;
const root = new URL('../../../', import.meta.url).pathname;
const dirs: string[] = [];

function hashedWordsEncoder(): SentenceEncoder & { texts: string[]; calls: number[] } {
  const encoder = {
    dimensions: DIMS,
    texts: [] as string[],
    calls: [] as number[],
    async embed(texts: readonly string[]) {
      encoder.texts.push(...texts);
      encoder.calls.push(texts.length);
      return texts.map((text) => {
        const vector = new Float32Array(DIMS);
        for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
          const digest = createHash('sha256').update(word).digest();
          for (let d = 0; d < DIMS; d++)
            vector[d] = (vector[d] as number) + ((digest[d % 32] as number) - 127.5);
        }
        let norm = 0;
        for (const x of vector) norm += x * x;
        return vector.map((x) => (norm > 0 ? x / Math.sqrt(norm) : 0));
      });
    },
  };
  return encoder;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sentence-vectors-'));
  dirs.push(dir);
  return dir;
}

let entries: FaqEntry[];
let intents: IntentDefinition[];
const questions = [
  'my vpn keeps dropping when I work from home',
  'how can I get a new laptop',
  'I forgot my password and cannot log in',
  'the printer on my floor does not print',
  'who do I call when the network is down',
];

beforeAll(async () => {
  entries = await loadKnowledge(`${root}knowledge`);
  intents = await loadIntents(`${root}intents`);
});

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function buildWith(stores: SentenceVectorStore[], knowledge = entries) {
  const encoder = hashedWordsEncoder();
  const cache = new SentenceVectorCache({ modelId: 'test-model', stores });
  const understanding = Understanding.fromData(knowledge, intents);
  await understanding.useSentenceEncoder(encoder, { cache });
  const built = encoder.texts.length;
  const answers: MatchResult[] = [];
  for (const q of questions) answers.push(await understanding.matchAsync(q));
  return { understanding, built, calls: encoder.calls, cache, answers };
}

describe('sentence vector cache', () => {
  it('a second build from the same DATA_DIR embeds nothing and ranks as the first', async () => {
    const dir = tempDir();
    const first = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
    expect(first.built).toBeGreaterThan(500);
    expect(first.cache.embedded).toBe(first.built);
    // The build goes to the model in batches, the event loop getting a turn between them.
    expect(Math.max(...first.calls)).toBeLessThanOrEqual(EMBED_BATCH);
    const second = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
    expect(second.built).toBe(0);
    expect(second.answers).toEqual(first.answers);
    // It is the sentence index that ranks: without it some answers differ.
    const plain = Understanding.fromData(entries, intents);
    expect(questions.map((q) => plain.match(q))).not.toEqual(first.answers);
  });

  it('an edited entry embeds only its new phrasing, in one more file beside the first', async () => {
    const dir = tempDir();
    await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
    const before = readdirSync(dir);
    const firstFile = readFileSync(join(dir, before[0] as string));
    expect(before).toHaveLength(1);
    expect(statSync(join(dir, before[0] as string)).mode & 0o777).toBe(0o600);
    const edited = entries.map((e) =>
      e.id === 'vpn-setup' && e.language === 'en'
        ? { ...e, questions: [...e.questions, 'tunnel to the office will not come up'] }
        : e,
    );
    const after = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })], edited);
    expect(after.built).toBe(1);
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    // The first file is not rewritten for one more vector.
    expect(readFileSync(join(dir, before[0] as string)).equals(firstFile)).toBe(true);
  });

  it('a damaged file is removed and its vectors embedded again', async () => {
    const dir = tempDir();
    const first = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
    const [name] = readdirSync(dir);
    const file = join(dir, name as string);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const again = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
    expect(again.built).toBe(first.built);
    expect(again.answers).toEqual(first.answers);
  });

  it('merges many small files into one', async () => {
    const dir = tempDir();
    const store = new SentenceVectorFile({ dir, dims: DIMS });
    const encoder = hashedWordsEncoder();
    const cache = new SentenceVectorCache({ modelId: 'test-model', stores: [store] });
    for (let i = 0; i < 12; i++) await cache.embed(encoder, [`phrasing number ${i}`]);
    expect(readdirSync(dir).length).toBeLessThanOrEqual(8);
    const reread = new SentenceVectorFile({ dir, dims: DIMS });
    const keys = Array.from({ length: 12 }, (_, i) => vectorKey('test-model', `phrasing number ${i}`));
    expect((await reread.read(keys)).every((v) => v?.length === DIMS)).toBe(true);
    // Whitespace does not make another text; the model makes another key.
    expect(vectorKey('test-model', '  phrasing   number 1 ')).toBe(keys[1]);
    expect(vectorKey('other-model', 'phrasing number 1')).not.toBe(keys[1]);
  });

  it('a build given up halfway keeps what it embedded, so the build after it embeds only the rest', async () => {
    const store = new SentenceVectorFile({ dir: tempDir(), dims: DIMS });
    const cache = new SentenceVectorCache({ modelId: 'test-model', stores: [store] });
    const encoder = { ...hashedWordsEncoder(), batch: 4 };
    const texts = Array.from({ length: 20 }, (_, i) => `question ${i} about the printer`);
    const counting = hashedWordsEncoder();
    const first = { dimensions: DIMS, batch: 4, embed: (t: readonly string[]) => counting.embed(t) };
    expect(await cache.embed(first, texts, { superseded: () => counting.calls.length >= 2 })).toBeUndefined();
    expect(counting.texts).toHaveLength(8);
    const vectors = await cache.embed(encoder, texts);
    expect(vectors).toHaveLength(20);
    expect(encoder.texts).toHaveLength(12);
    expect(encoder.texts.filter((t) => counting.texts.includes(t))).toEqual([]);
  });

  it('with Redis, a process with an empty DATA_DIR reads what another embedded, and keeps it on disk', async () => {
    const url = redisTestUrl();
    const prefix = uniqueRedisPrefix('sentence-vectors');
    const redis = await connectRedis({ url });
    try {
      const shared = new RedisSentenceVectors(redis, { prefix, modelId: 'test-model' });
      const first = await buildWith([new SentenceVectorFile({ dir: tempDir(), dims: DIMS }), shared]);
      expect(first.built).toBeGreaterThan(500);
      const dir = tempDir();
      const second = await buildWith([new SentenceVectorFile({ dir, dims: DIMS }), shared]);
      expect(second.built).toBe(0);
      expect(second.answers).toEqual(first.answers);
      // Copied from Redis into the local file: without Redis the next start embeds nothing either.
      const third = await buildWith([new SentenceVectorFile({ dir, dims: DIMS })]);
      expect(third.built).toBe(0);
    } finally {
      await redis.quit();
      await deleteRedisKeys(url, prefix);
    }
  });
});
