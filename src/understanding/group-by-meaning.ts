import type { SparseVector } from './feature-space.ts';

/**
 * Cosine from which two questions count as the same question in other words. Chosen on paraphrases
 * of questions the default FAQ does not answer: at 0.3 "Mein Bildschirm flackert" and "Der Monitor
 * flackert ständig" group, but so do "my printer was stolen" and "my printer makes a noise"; from
 * 0.35 those stay apart while "Headset knistert" and its rewordings still group. Requests worded
 * alike apart from one noun ("book a meeting room" / "book a parking space") can still meet.
 */
export const SAME_MEANING = 0.35;
/** A question is compared with the groups that share one of its heaviest features. */
const KEY_FEATURES = 8;
/** At most this many groups (those sharing most key features) are compared exactly. */
const MAX_COMPARED = 64;

/**
 * Groups texts by the matcher's own similarity (cosine of its vectors): each text joins the most
 * similar group leader at SAME_MEANING or above, else leads a group of its own. An inverted index
 * over each leader's heaviest features keeps it near linear (BENCHMARKS.md: 10,000 questions).
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
  const values = vector.values;
  let norm = 0;
  for (const v of values) norm += v * v;
  if (norm === 0) return { ids: new Int32Array(0), values: new Float32Array(0) };
  const scale = 1 / Math.sqrt(norm);
  return { ids: vector.ids, values: values.map((v) => v * scale) };
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
