import { describe, expect, it } from 'vitest';
import type { Language } from '../../../src/core/language.ts';
import type { SparseVector } from '../../../src/understanding/feature-space.ts';
import { PhrasingRows } from '../../../src/understanding/phrasing-rows.ts';
import { runSteps } from '../../../src/understanding/run-steps.ts';

const DIMENSIONS = 400;

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A unit vector of `n` distinct features in the order drawn (not sorted, as the feature space gives). */
function vector(random: () => number, n: number): SparseVector {
  const ids = new Set<number>();
  // Features below 40 are frequent, as common character n-grams are.
  while (ids.size < n)
    ids.add(random() < 0.5 ? Math.floor(random() * 40) : Math.floor(random() * DIMENSIONS));
  const values = Float32Array.from(ids, () => 0.1 + random());
  let norm = 0;
  for (const v of values) norm += v * v;
  for (let k = 0; k < values.length; k++) values[k] = (values[k] as number) / Math.sqrt(norm);
  return { ids: Int32Array.from(ids), values };
}

// Label 0: many phrasings in both languages; 1: many, English only; 2: a few German ones; 3: a
// few of each; 4: duplicates of one phrasing.
const counts: [number, number][] = [
  [60, 90],
  [0, 120],
  [5, 0],
  [3, 4],
  [0, 50],
];
const random = generator(3);
const vectors: SparseVector[] = [];
const labelOf: number[] = [];
const languages: Language[] = [];
const duplicate = vector(random, 30);
counts.forEach(([de, en], label) => {
  for (let i = 0; i < de + en; i++) {
    const language: Language = i < de ? 'de' : 'en';
    vectors.push(label === 4 ? duplicate : vector(random, 5 + Math.floor(random() * 60)));
    labelOf.push(label);
    languages.push(language);
  }
});
const rows = runSteps(
  PhrasingRows.buildSteps(vectors, Int32Array.from(labelOf), languages, counts.length, DIMENSIONS),
);

/** The highest cosine by scanning every phrasing of the label in the language, features in order. */
function scanned(dense: Float32Array, label: number, language: Language): number {
  const has = (l: Language) => vectors.some((_, i) => labelOf[i] === label && languages[i] === l);
  const wanted = has(language) ? language : language === 'de' ? 'en' : 'de';
  let best = 0;
  vectors.forEach((v, i) => {
    if (labelOf[i] !== label || languages[i] !== wanted) return;
    let dot = 0;
    v.ids.forEach((id, k) => {
      dot += (dense[id] as number) * (v.values[k] as number);
    });
    if (dot > best) best = dot;
  });
  return best;
}

describe('PhrasingRows', () => {
  const queries = [
    ...Array.from({ length: 30 }, () => vector(random, 10 + Math.floor(random() * 100))),
    duplicate,
    vector(random, 1),
    { ids: Int32Array.from([DIMENSIONS - 1]), values: Float32Array.from([1]) },
  ];
  it('gives the highest cosine of a scan over the label phrasings in the language, to the bit', () => {
    const dense = new Float32Array(DIMENSIONS);
    for (const query of queries) {
      query.ids.forEach((id, k) => {
        dense[id] = query.values[k] as number;
      });
      for (let label = 0; label < counts.length; label++) {
        for (const language of ['de', 'en'] as const) {
          expect(rows.nearest(query, dense, label, language)).toBe(scanned(dense, label, language));
        }
      }
      dense.fill(0);
    }
  });

  it('finds a phrasing equal to the message', () => {
    const dense = new Float32Array(DIMENSIONS);
    duplicate.ids.forEach((id, k) => {
      dense[id] = duplicate.values[k] as number;
    });
    expect(rows.nearest(duplicate, dense, 4, 'en')).toBeCloseTo(1, 6);
  });

  it('knows which languages a label has phrasings in, and which features they use', () => {
    expect(rows.hasPhrasingsIn(1, 'de')).toBe(false);
    expect(rows.hasPhrasingsIn(1, 'en')).toBe(true);
    expect(rows.hasPhrasingsIn(2, 'de')).toBe(true);
    expect(rows.featuresOf(4, () => true).has(duplicate.ids[0] as number)).toBe(true);
  });
});
