import { describe, expect, it } from 'vitest';
import { runSteps } from '../../../src/understanding/run-steps.ts';
import { rescoreByMeaning, SentenceIndex } from '../../../src/understanding/sentence-index.ts';

/** Unit vectors in 3 dimensions: one direction per label, the message between them. */
function unit(...xs: number[]): Float32Array {
  const norm = Math.hypot(...xs);
  return Float32Array.from(xs, (x) => x / norm);
}

const index = runSteps(
  SentenceIndex.buildSteps(
    3,
    [
      { label: 'a', vector: unit(1, 0, 0) },
      { label: 'b', vector: unit(0, 1, 0) },
      { label: 'c', vector: unit(0, 0, 1) },
    ],
    { nearest: true },
  ),
);
const scoring = { classifierWeight: 0, nearestWeight: 2, share: 0.75 };

describe('rescoreByMeaning', () => {
  it('raises the candidate the meaning favours by its lead, lowers the others, and scores never rise down the list', () => {
    const query = unit(0.8, 1, 0.1);
    const out = rescoreByMeaning(
      [
        { id: 'a', score: 0.5 },
        { id: 'b', score: 0.45 },
        { id: 'c', score: 0.1 },
      ],
      (c) => c.id,
      index,
      query,
      scoring,
    );
    expect(out.map((c) => c.id)).toEqual(['b', 'a', 'c']);
    const lead = index.nearest(query, 'b') - index.nearest(query, 'a');
    expect(out[0]?.score).toBeCloseTo(0.45 + 0.75 * lead, 6);
    expect(out[1]?.score).toBeCloseTo(0.5 - 0.75 * lead, 6);
    expect((out[0]?.score ?? 0) - (out[1]?.score ?? 0)).toBeGreaterThan(0.45 - 0.5 + lead);
    const scores = out.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('keeps the score of a candidate without phrasings in the index, and with share 0 only orders', () => {
    const out = rescoreByMeaning(
      [
        { id: 'a', score: 0.6 },
        { id: 'unknown', score: 0.5 },
      ],
      (c) => c.id,
      index,
      unit(1, 0.1, 0),
      { ...scoring, share: 0 },
    );
    expect(out).toEqual([
      { id: 'a', score: 0.6 },
      { id: 'unknown', score: 0.5 },
    ]);
  });
});
