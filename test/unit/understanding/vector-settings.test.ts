import { describe, expect, it } from 'vitest';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { vectorOptions } from '../../../src/understanding/word-vectors.ts';

// WORD_VECTORS and SENTENCE_VECTORS travel with each build, not through a module's state: two
// matchers with other settings live side by side in one process.
describe('vector settings', () => {
  it('opens the shipped files unless switched off, each setting on its own', () => {
    const shipped = vectorOptions();
    expect(shipped.wordVectors).not.toBeNull();
    expect(shipped.sentenceVectors).not.toBeNull();
    const wordsOff = vectorOptions({ WORD_VECTORS: 'off' });
    expect(wordsOff.wordVectors).toBeNull();
    expect(wordsOff.sentenceVectors).toBe(shipped.sentenceVectors);
    // Asking again reads nothing again: the same file, the same vectors.
    expect(vectorOptions().wordVectors).toBe(shipped.wordVectors);
  });

  it('builds with the settings it is given, beside a build with others', async () => {
    const sources = { knowledgeDir: 'knowledge', intentsDir: 'intents' };
    const [withVectors, without] = await Promise.all([
      Understanding.load({ ...sources, ranker: vectorOptions() }),
      Understanding.load({
        ...sources,
        ranker: vectorOptions({ WORD_VECTORS: 'off', SENTENCE_VECTORS: 'off' }),
      }),
    ]);
    const question = 'my laptop cannot reach the company network from home';
    const scored = (u: Understanding) => u.match(question).candidates.map((c) => c.score);
    expect(scored(withVectors)).not.toEqual(scored(without));
    // The first build is unchanged by the second one's settings.
    const again = await Understanding.load({ ...sources, ranker: vectorOptions() });
    const ids = (u: Understanding) => u.match(question).candidates.map((c) => c.id);
    expect(ids(again)).toEqual(ids(withVectors));
    scored(again).forEach((score, i) => {
      expect(score).toBeCloseTo(scored(withVectors)[i] ?? Number.NaN, 6);
    });
  });
});
