import type { SparseVector } from './feature-space.ts';
import { CELLS_PER_STEP, fitRun } from './passive-aggressive-run.ts';
import { type BuildSteps, runSteps } from './run-steps.ts';

export interface LinearModelOptions {
  epochs: number;
  /** Independent runs with different shuffles whose weights are averaged (less order noise). */
  runs: number;
  /** Largest step of one passive-aggressive update (PA-I aggressiveness). */
  aggressiveness: number;
  /** Seed of the shuffling, so training is reproducible. */
  seed: number;
  /**
   * Budget of multiply-adds (phrasing features × labels per epoch and run). Big knowledge bases
   * get fewer runs, then fewer epochs (at least two), so a build stays within a few seconds.
   */
  maxOperations: number;
  /**
   * Epochs of a warm start (see trainSteps' `start`): one run from the previous model's weights.
   * The first epoch scores every phrasing; the later ones only those not won by a safe margin.
   */
  warmEpochs: number;
}

export const DEFAULT_LINEAR_OPTIONS: LinearModelOptions = {
  epochs: 4,
  runs: 2,
  aggressiveness: 1,
  seed: 7,
  maxOperations: 1.2e9,
  warmEpochs: 2,
};

/** Share of non-zero weights up to which they are kept as sparse rows (else dense). */
const SPARSE_UP_TO = 0.4;

/** Non-zero weights feature by feature: labels and weights of feature f from start[f] to start[f + 1]. */
export interface WeightRows {
  start: Int32Array;
  labels: Int32Array;
  weights: Float32Array;
}

/** A trained model as plain data (see index-cache.ts): its weights, dense or as sparse rows. */
export interface LinearModelSnapshot {
  labelCount: number;
  dense: Float32Array | null;
  rowStart: Int32Array;
  rowLabels: Int32Array;
  rowWeights: Float32Array;
}

/** Scores every label for a vector; what the ranker's first stage needs. */
export interface LabelScorer {
  readonly labelCount: number;
  /** Writes a score per label into `out` (length labelCount). */
  scoreAll(vector: SparseVector, out: Float64Array): void;
}

/**
 * Multiclass linear classifier (Crammer–Singer hinge loss) trained by averaged passive-aggressive
 * updates: for each phrasing, the right label is pulled up and the most violating wrong label
 * pushed down until the right one leads by a margin of 1. Averaging the weights over all steps
 * makes a few epochs generalise like a converged SVM. Weights are a dense features × labels
 * matrix, so the ranker only uses this model while that matrix is small (see IntentRanker).
 */
export class LinearModel implements LabelScorer {
  readonly labelCount: number;
  /** Dense features × labels weights, or null when the sparse rows below are used. */
  readonly #weights: Float32Array | null;
  /**
   * The non-zero weights feature by feature (labels and values from #rowStart[f]): an update
   * only touches the right label and its strongest rival, so most features end up with a few
   * labels, and scoring a message touches only those.
   */
  readonly #rowStart: Int32Array;
  readonly #rowLabels: Int32Array;
  readonly #rowWeights: Float32Array;

  private constructor(parts: LinearModelSnapshot) {
    this.labelCount = parts.labelCount;
    this.#weights = parts.dense;
    this.#rowStart = parts.rowStart;
    this.#rowLabels = parts.rowLabels;
    this.#rowWeights = parts.rowWeights;
  }

  /** The model of trained dense weights (features × labels), kept sparse where most are zero. */
  static *#fromWeights(labelCount: number, weights: Float32Array): Generator<void, LinearModel> {
    const features = labelCount > 0 ? weights.length / labelCount : 0;
    let nonZero = 0;
    for (let j = 0; j < weights.length; j++) {
      if (weights[j] !== 0) nonZero++;
      if (j % CELLS_PER_STEP === CELLS_PER_STEP - 1) yield;
    }
    if (nonZero > SPARSE_UP_TO * weights.length) {
      return new LinearModel({
        labelCount,
        dense: weights,
        rowStart: new Int32Array(0),
        rowLabels: new Int32Array(0),
        rowWeights: new Float32Array(0),
      });
    }
    const rowStart = new Int32Array(features + 1);
    const rowLabels = new Int32Array(nonZero);
    const rowWeights = new Float32Array(nonZero);
    let at = 0;
    // Steps of about CELLS_PER_STEP cells: 12 million cells in one go held the event loop ~20 ms.
    const featuresPerStep = Math.max(1, Math.floor(CELLS_PER_STEP / Math.max(1, labelCount)));
    for (let f = 0; f < features; f++) {
      rowStart[f] = at;
      const base = f * labelCount;
      for (let c = 0; c < labelCount; c++) {
        const w = weights[base + c] as number;
        if (w === 0) continue;
        rowLabels[at] = c;
        rowWeights[at++] = w;
      }
      if (f % featuresPerStep === featuresPerStep - 1) yield;
    }
    rowStart[features] = at;
    return new LinearModel({ labelCount, dense: null, rowStart, rowLabels, rowWeights });
  }

  static restore(snapshot: LinearModelSnapshot): LinearModel {
    return new LinearModel(snapshot);
  }

  snapshot(): LinearModelSnapshot {
    return {
      labelCount: this.labelCount,
      dense: this.#weights,
      rowStart: this.#rowStart,
      rowLabels: this.#rowLabels,
      rowWeights: this.#rowWeights,
    };
  }

  static train(
    dimensions: number,
    labelCount: number,
    vectors: readonly SparseVector[],
    labels: Int32Array,
    options: Partial<LinearModelOptions> = {},
    start?: Float32Array,
  ): LinearModel {
    return runSteps(LinearModel.trainSteps(dimensions, labelCount, vectors, labels, options, start));
  }

  /**
   * `train` in small steps (see run-steps.ts). `start`: dense features × labels weights to start
   * from (a warm start after a small change of the phrasings): one run of `warmEpochs`, a fraction
   * of a cold training's cost, since phrasings the start already separates need no update.
   */
  static *trainSteps(
    dimensions: number,
    labelCount: number,
    vectors: readonly SparseVector[],
    labels: Int32Array,
    options: Partial<LinearModelOptions> = {},
    start?: Float32Array,
  ): BuildSteps<LinearModel> {
    const settings = { ...DEFAULT_LINEAR_OPTIONS, ...options };
    const { aggressiveness, seed } = settings;
    let { epochs, runs } = settings;
    let nonZeros = 0;
    for (const v of vectors) nonZeros += v.ids.length;
    const perEpoch = nonZeros * labelCount;
    while (runs > 1 && perEpoch * epochs * runs > settings.maxOperations) runs--;
    while (epochs > 2 && perEpoch * epochs * runs > settings.maxOperations) epochs--;
    if (start) {
      if (start.length !== dimensions * labelCount)
        throw new RangeError('the start weights do not match the dimensions and labels');
      runs = 1;
      epochs = settings.warmEpochs;
    }
    const averaged = new Float32Array(dimensions * labelCount);
    for (let run = 0; run < runs; run++) {
      const weights = yield* fitRun(
        dimensions,
        labelCount,
        vectors,
        labels,
        epochs,
        aggressiveness,
        seed + 7919 * run,
        start,
      );
      // Training on from trained weights grows them (the average has no early, small weights), so
      // the scores come out surer than the calibration was fitted for: such a model is scaled back
      // to the norm it started from (own questions: mean top score 0.842 unscaled, 0.823 scaled,
      // 0.825 trained afresh).
      const scale = start
        ? Math.sqrt((yield* squaredNorm(start)) / (yield* squaredNorm(weights))) || 1
        : 1 / runs;
      for (let j = 0; j < weights.length; j++) {
        averaged[j] = (averaged[j] as number) + (weights[j] as number) * scale;
        if (j % CELLS_PER_STEP === CELLS_PER_STEP - 1) yield;
      }
    }
    return yield* LinearModel.#fromWeights(labelCount, averaged);
  }

  /**
   * The non-zero weights as rows (labels ascending within a feature). Summing weight × value over
   * a vector's features in its order, skipping the zeros, gives the very scores of scoreAll.
   */
  weightRows(): WeightRows {
    const dense = this.#weights;
    if (!dense) return { start: this.#rowStart, labels: this.#rowLabels, weights: this.#rowWeights };
    const C = this.labelCount;
    const features = C > 0 ? dense.length / C : 0;
    const start = new Int32Array(features + 1);
    const labels: number[] = [];
    const weights: number[] = [];
    for (let f = 0; f < features; f++) {
      start[f] = labels.length;
      for (let c = 0; c < C; c++) {
        const w = dense[f * C + c] as number;
        if (w === 0) continue;
        labels.push(c);
        weights.push(w);
      }
    }
    start[features] = labels.length;
    return { start, labels: Int32Array.from(labels), weights: Float32Array.from(weights) };
  }

  /** The score of one label (what scoreAll writes at `label`). */
  scoreOne(vector: SparseVector, label: number): number {
    const C = this.labelCount;
    let sum = 0;
    const dense = this.#weights;
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const x = vector.values[k] as number;
      if (dense) {
        sum += (dense[id * C + label] as number) * x;
        continue;
      }
      const end = this.#rowStart[id + 1] as number;
      for (let p = this.#rowStart[id] as number; p < end; p++)
        if (this.#rowLabels[p] === label) sum += (this.#rowWeights[p] as number) * x;
    }
    return sum;
  }

  scoreAll(vector: SparseVector, out: Float64Array): void {
    const C = this.labelCount;
    out.fill(0);
    const dense = this.#weights;
    if (dense) {
      for (let k = 0; k < vector.ids.length; k++) {
        const base = (vector.ids[k] as number) * C;
        const x = vector.values[k] as number;
        for (let c = 0; c < C; c++) out[c] = (out[c] as number) + (dense[base + c] as number) * x;
      }
      return;
    }
    const start = this.#rowStart;
    const labels = this.#rowLabels;
    const weights = this.#rowWeights;
    for (let k = 0; k < vector.ids.length; k++) {
      const id = vector.ids[k] as number;
      const x = vector.values[k] as number;
      const end = start[id + 1] as number;
      for (let p = start[id] as number; p < end; p++) {
        const c = labels[p] as number;
        out[c] = (out[c] as number) + (weights[p] as number) * x;
      }
    }
  }
}

/** The sum of the squared weights, in steps. */
function* squaredNorm(weights: Float32Array | Float64Array): Generator<void, number> {
  let sum = 0;
  for (let j = 0; j < weights.length; j++) {
    sum += (weights[j] as number) ** 2;
    if (j % CELLS_PER_STEP === CELLS_PER_STEP - 1) yield;
  }
  return sum;
}
