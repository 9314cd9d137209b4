import { describe, expect, it } from 'vitest';
import type { SparseVector } from '../../../src/understanding/feature-space.ts';
import { LinearModel } from '../../../src/understanding/linear-model.ts';

/** Reproducible pseudo-random numbers in [0, 1). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Sparse vectors of 1 to 40 features, ids ascending, values positive; labels drawn alike. */
function sample(count: number, dimensions: number, labelCount: number, seed: number) {
  const random = generator(seed);
  const vectors: SparseVector[] = [];
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = Math.floor(random() * labelCount);
    const ids = new Set<number>();
    const n = 1 + Math.floor(random() * 40);
    // Features of the label's own range make the classes learnable.
    for (let k = 0; k < n; k++) {
      const own = random() < 0.5;
      ids.add(own ? (labels[i] as number) * 7 + Math.floor(random() * 7) : Math.floor(random() * dimensions));
    }
    const sorted = Int32Array.from([...ids].sort((a, b) => a - b));
    const values = Float32Array.from(sorted, () => 0.05 + random());
    vectors.push({ ids: sorted, values });
  }
  return { vectors, labels };
}

/**
 * Averaged passive-aggressive training written plainly (one feature and one label at a time):
 * the model must give these weights to the bit however it arranges the work.
 */
function referenceWeights(
  dimensions: number,
  C: number,
  vectors: SparseVector[],
  labels: Int32Array,
  epochs: number,
  runs: number,
  seed: number,
): Float32Array {
  const averaged = new Float32Array(dimensions * C);
  for (let run = 0; run < runs; run++) {
    const w = new Float64Array(dimensions * C);
    const u = new Float64Array(dimensions * C);
    const lastMargin = new Float64Array(vectors.length);
    const order = Int32Array.from(vectors.keys());
    let state = (seed + 7919 * run) >>> 0 || 1;
    const random = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    let t = 1;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (const i of order) {
        t++;
        if (epoch % 3 !== 0 && (lastMargin[i] as number) >= 1.2) continue;
        const v = vectors[i] as SparseVector;
        const y = labels[i] as number;
        const scores = new Float64Array(C);
        let norm = 0;
        v.ids.forEach((id, k) => {
          const x = v.values[k] as number;
          norm += x * x;
          for (let c = 0; c < C; c++) scores[c] = (scores[c] as number) + (w[id * C + c] as number) * x;
        });
        let worst = -1;
        let worstLoss = 0;
        let bestOther = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < C; c++) {
          if (c === y) continue;
          bestOther = Math.max(bestOther, scores[c] as number);
          const loss = 1 + (scores[c] as number) - (scores[y] as number);
          if (loss > worstLoss) [worstLoss, worst] = [loss, c];
        }
        lastMargin[i] = (scores[y] as number) - bestOther;
        if (worst < 0 || norm === 0) continue;
        const tau = Math.min(1, worstLoss / (2 * norm));
        v.ids.forEach((id, k) => {
          const step = (v.values[k] as number) * tau;
          for (const [c, sign] of [
            [y, 1],
            [worst, -1],
          ] as const) {
            w[id * C + c] = (w[id * C + c] as number) + sign * step;
            u[id * C + c] = (u[id * C + c] as number) + sign * t * step;
          }
        });
      }
    }
    for (let j = 0; j < w.length; j++)
      averaged[j] = (averaged[j] as number) + ((w[j] as number) - (u[j] as number) / t) / runs;
  }
  return averaged;
}

function denseWeights(model: LinearModel, dimensions: number): Float32Array {
  const C = model.labelCount;
  const dense = new Float32Array(dimensions * C);
  const rows = model.weightRows();
  for (let f = 0; f < dimensions; f++)
    for (let p = rows.start[f] as number; p < (rows.start[f + 1] as number); p++)
      dense[f * C + (rows.labels[p] as number)] = rows.weights[p] as number;
  return dense;
}

describe('LinearModel', () => {
  const cases = [
    { dimensions: 120, labelCount: 3, count: 60 },
    { dimensions: 300, labelCount: 13, count: 400 },
    { dimensions: 700, labelCount: 40, count: 900 },
  ];
  for (const { dimensions, labelCount, count } of cases) {
    it(`gives the weights of plain averaged passive-aggressive training (${labelCount} labels)`, () => {
      const { vectors, labels } = sample(count, dimensions, labelCount, labelCount);
      for (const [epochs, runs] of [
        [4, 2],
        [5, 1],
      ] as const) {
        const model = LinearModel.train(dimensions, labelCount, vectors, labels, {
          epochs,
          runs,
          seed: 11,
          maxOperations: Number.POSITIVE_INFINITY,
        });
        const expected = referenceWeights(dimensions, labelCount, vectors, labels, epochs, runs, 11);
        expect(denseWeights(model, dimensions)).toEqual(expected);
      }
    });
  }

  it('ranks the right label first on most training vectors', () => {
    const { vectors, labels } = sample(400, 300, 13, 5);
    const model = LinearModel.train(300, 13, vectors, labels);
    const scores = new Float64Array(13);
    let right = 0;
    vectors.forEach((v, i) => {
      model.scoreAll(v, scores);
      if (scores.indexOf(Math.max(...scores)) === labels[i]) right++;
    });
    expect(right / vectors.length).toBeGreaterThan(0.8);
  });

  it('starts from given weights: a label new since that model is learnt in the warm epochs', () => {
    const { vectors, labels } = sample(600, 300, 13, 9);
    const C = 13;
    const accuracy = (model: LinearModel, label?: number) => {
      const scores = new Float64Array(C);
      let right = 0;
      let seen = 0;
      vectors.forEach((v, i) => {
        if (label !== undefined && labels[i] !== label) return;
        seen++;
        model.scoreAll(v, scores);
        if (scores.indexOf(Math.max(...scores)) === labels[i]) right++;
      });
      return right / seen;
    };
    // The model before the change knew neither the samples of label 12 nor the label.
    const before = vectors.flatMap((v, i) => (labels[i] === 12 ? [] : [{ v, label: labels[i] as number }]));
    const old = LinearModel.train(
      300,
      C,
      before.map((b) => b.v),
      Int32Array.from(before, (b) => b.label),
    );
    expect(accuracy(old, 12)).toBe(0);
    const start = denseWeights(old, 300);
    const warm = LinearModel.train(300, C, vectors, labels, {}, start);
    const cold = LinearModel.train(300, C, vectors, labels);
    expect(accuracy(warm, 12)).toBeGreaterThan(0.7);
    expect(accuracy(warm)).toBeGreaterThanOrEqual(accuracy(cold) - 0.02);
    // Warm epochs only: fewer than the cold training's, so the result differs from it.
    expect(denseWeights(warm, 300)).not.toEqual(denseWeights(cold, 300));
    // No warm epoch: the start as it was.
    expect(denseWeights(LinearModel.train(300, C, vectors, labels, { warmEpochs: 0 }, start), 300)).toEqual(
      start,
    );
    expect(() => LinearModel.train(300, C, vectors, labels, {}, new Float32Array(10))).toThrow(RangeError);
  });
});
