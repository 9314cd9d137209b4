import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { sentenceVectorOf } from '../../../src/understanding/distilled-sentence-vectors.ts';
import { IntentRanker } from '../../../src/understanding/intent-ranker.ts';
import type { LabelledText } from '../../../src/understanding/ranker-types.ts';
import { runSteps } from '../../../src/understanding/run-steps.ts';
import { reorderByMeaning, SentenceIndex } from '../../../src/understanding/sentence-index.ts';
import { englishSentenceWordVectors, type WordVectors } from '../../../src/understanding/word-vectors.ts';

const table = englishSentenceWordVectors() as WordVectors;

function vectorOf(text: string): Float32Array {
  const vector = sentenceVectorOf(table, text.toLowerCase().split(' '));
  if (!vector) throw new Error(`no vector for "${text}"`);
  return vector;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let d = 0; d < a.length; d++) dot += (a[d] as number) * (b[d] as number);
  return dot;
}

describe('sentence vectors', () => {
  it('ship with the matcher: the 50,000 words of the word vectors in 128 dimensions', () => {
    expect(table).not.toBeNull();
    expect(table.size).toBe(50_000);
    expect(table.dimensions).toBe(128);
  });

  it('make unit vectors, and none for a text without a known word', () => {
    expect(cosine(vectorOf('I forgot my password'), vectorOf('I forgot my password'))).toBeCloseTo(1, 5);
    expect(sentenceVectorOf(table, ['xqzvw', 'passwortzurucksetzung'])).toBeNull();
    expect(sentenceVectorOf(table, [])).toBeNull();
  });

  it('put paraphrases without shared content words closer than unrelated sentences', () => {
    const question = vectorOf('my card was never delivered');
    expect(cosine(question, vectorOf('when will the card arrive'))).toBeGreaterThan(
      cosine(question, vectorOf('what exchange rate do you use')) + 0.1,
    );
    const refund = vectorOf('please reimburse me');
    expect(cosine(refund, vectorOf('I want my money back'))).toBeGreaterThan(
      cosine(refund, vectorOf('the printer does not print')) + 0.1,
    );
  });

  it('reorder candidates by meaning while each place keeps its score', () => {
    const index = [
      { label: 'arrival', vector: vectorOf('when will my card arrive') },
      { label: 'arrival', vector: vectorOf('my card still has not come') },
      { label: 'lost', vector: vectorOf('I lost my card') },
      { label: 'lost', vector: vectorOf('my card was stolen') },
    ];
    const built = runSteps(SentenceIndex.buildSteps(table.dimensions, index));
    const candidates = [
      { label: 'lost', score: 0.3 },
      { label: 'arrival', score: 0.28 },
      { label: 'unindexed', score: 0.1 },
    ];
    const ordered = reorderByMeaning(
      candidates,
      (c) => c.label,
      built,
      vectorOf('the card is not delivered yet'),
    );
    expect(ordered.map((c) => c.label)).toEqual(['arrival', 'lost', 'unindexed']);
    expect(ordered.map((c) => c.score)).toEqual([0.3, 0.28, 0.1]);
  });
});

const p = (label: string, ...texts: string[]): LabelledText[] =>
  texts.map((text) => ({ label, text, language: 'en' }));

const phrasings: LabelledText[] = [
  ...p(
    'card-arrival',
    'when will my card arrive',
    'my card still has not come',
    'how long does the card take to get here',
  ),
  ...p('card-lost', 'I lost my card', 'my card was stolen', 'someone took my card'),
  ...p('refund', 'I want my money back', 'how do I get a refund', 'can I return this and be repaid'),
  ...p(
    'exchange-rate',
    'what exchange rate do you use',
    'how much is the dollar in euros',
    'currency conversion rate',
  ),
  ...p('top-up', 'how do I add money to my account', 'top up my balance', 'put funds on the account'),
  { label: 'card-lost', text: 'Ich habe meine Karte verloren', language: 'de' },
];

describe('sentence index without phrasing vectors', () => {
  it('answers nearest 0 for every label while its classifier still tells them apart', () => {
    const rows = [
      { label: 'arrival', vector: vectorOf('when will my card arrive') },
      { label: 'arrival', vector: vectorOf('my card still has not come') },
      { label: 'refund', vector: vectorOf('I want my money back') },
      { label: 'refund', vector: vectorOf('how do I get a refund') },
    ];
    const build = (nearest: boolean) =>
      runSteps(SentenceIndex.buildSteps(table.dimensions, rows, { nearest }));
    const query = vectorOf('please give me my money back');
    const full = build(true);
    const lean = build(false);
    expect(full.nearest(query, 'refund')).toBeGreaterThan(0.3);
    expect(lean.nearest(query, 'refund')).toBe(0);
    expect(lean.has('refund')).toBe(true);
    expect(lean.classify(query, 'refund')).toBeGreaterThan(lean.classify(query, 'arrival'));
    expect(lean.classify(query, 'refund')).toBeCloseTo(full.classify(query, 'refund'), 6);
  });
});

describe('sentence meaning in the ranker', () => {
  it('puts the entry the sentence means first, with the scores the places had without it', () => {
    const on = IntentRanker.train(phrasings);
    const off = IntentRanker.train(phrasings, { sentenceVectors: null });
    const question = 'the card was never delivered';
    const withMeaning = on.rank(question, { hint: 'en' }).ranked;
    const without = off.rank(question, { hint: 'en' }).ranked;
    expect(without[0]?.label).toBe('card-lost');
    expect(withMeaning[0]?.label).toBe('card-arrival');
    expect(withMeaning.map((r) => r.score)).toEqual(without.map((r) => r.score));
  });

  it('leaves German questions as they are', () => {
    const on = IntentRanker.train(phrasings);
    const off = IntentRanker.train(phrasings, { sentenceVectors: null });
    const german = 'Karte verloren';
    expect(on.rank(german, { hint: 'de' }).ranked).toEqual(off.rank(german, { hint: 'de' }).ranked);
  });

  it('can be switched off by setting, and a missing file is refused', () => {
    expect(parseConfig({ SENTENCE_VECTORS: 'off' }).SENTENCE_VECTORS).toBe('off');
    expect(() => parseConfig({ SENTENCE_VECTORS: '/nonexistent/vectors.bin' })).toThrow(/SENTENCE_VECTORS/);
  });
});
