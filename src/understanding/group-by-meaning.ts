import type { SparseVector } from './feature-space.ts';

/**
 * Cosine from which two questions count as the same question in other words. Chosen on paraphrases
 * of questions the default FAQ does not answer: at 0.35 "book a meeting room" and "book a parking
 * space" became one group; at 0.4 paraphrases still group and different requests stay apart.
 */
export const SAME_MEANING = 0.4;
/** A question is compared with the groups that share one of its heaviest features. */
const KEY_FEATURES = 8;
/** At most this many groups (those sharing most key features) are compared exactly. */
const MAX_COMPARED = 64;

/**
 * Groups texts by the matcher's own similarity (cosine of its vectors): each text joins the most
 * similar group leader at SAME_MEANING or above, else leads a group of its own. An inverted index
 * over each leader's heaviest features keeps it near linear: 10,000 questions in about a second.
 * Returns the groups as lists of indices, in the order their leaders came.
 */
export function groupByMeaning(vectors: readonly SparseVector[], similar = SAME_MEANING): number[][] {
  const groups: number[][] = [];
  const leaders: { ids: Int32Array; values: Float32Array }[] = [];
  const postings = new Map<number, number[]>();
  const dense = new Float32Array(maxId(vectors) + 1);
  const shared = new Map<number, number>();
  for (const [index, raw] of vectors.entries()) {
    const vector = normalized(raw);
    if (vector.ids.length === 0) {
      groups.push([index]);
      leaders.push(vector);
      continue;
    }
    const keys = heaviest(vector, KEY_FEATURES);
    shared.clear();
    for (const feature of keys) {
      for (const group of postings.get(feature) ?? []) shared.set(group, (shared.get(group) ?? 0) + 1);
    }
    let best = -1;
    let bestScore = similar;
    if (shared.size > 0) {
      for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = vector.values[k] as number;
      const compared = [...shared].sort((a, b) => b[1] - a[1]).slice(0, MAX_COMPARED);
      for (const [group] of compared) {
        const leader = leaders[group] as { ids: Int32Array; values: Float32Array };
        let dot = 0;
        for (let k = 0; k < leader.ids.length; k++)
          dot += (dense[leader.ids[k] as number] as number) * (leader.values[k] as number);
        if (dot >= bestScore) {
          bestScore = dot;
          best = group;
        }
      }
      for (let k = 0; k < vector.ids.length; k++) dense[vector.ids[k] as number] = 0;
    }
    if (best >= 0) {
      groups[best]?.push(index);
      continue;
    }
    const group = groups.length;
    groups.push([index]);
    leaders.push(vector);
    for (const feature of keys) {
      const list = postings.get(feature);
      if (list) list.push(group);
      else postings.set(feature, [group]);
    }
  }
  return groups;
}

function normalized(vector: SparseVector): { ids: Int32Array; values: Float32Array } {
  let norm = 0;
  for (const v of vector.values) norm += v * v;
  if (norm === 0) return { ids: new Int32Array(0), values: new Float32Array(0) };
  const scale = 1 / Math.sqrt(norm);
  return { ids: vector.ids, values: vector.values.map((v) => v * scale) };
}

function heaviest(vector: { ids: Int32Array; values: Float32Array }, k: number): number[] {
  return [...vector.ids.keys()]
    .sort((a, b) => (vector.values[b] as number) - (vector.values[a] as number))
    .slice(0, k)
    .map((i) => vector.ids[i] as number);
}

function maxId(vectors: readonly SparseVector[]): number {
  let max = 0;
  for (const v of vectors) for (const id of v.ids) if (id > max) max = id;
  return max;
}
