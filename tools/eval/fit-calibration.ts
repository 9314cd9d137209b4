import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { OUT_OF_SCOPE_INTENT } from '../../src/understanding/intent-definition.ts';
import { IntentRanker } from '../../src/understanding/intent-ranker.ts';
import { buildPhrasings } from '../../src/understanding/label-phrasings.ts';
import { loadIntents } from '../../src/understanding/load-intents.ts';
import type { RankerOptions } from '../../src/understanding/ranker-options.ts';
import type { LabelledText } from '../../src/understanding/ranker-types.ts';
import type { ScoreSignals } from '../../src/understanding/score-calibration.ts';
import { englishWordVectors } from '../../src/understanding/word-vectors.ts';
import { type LabelledRow, readLabelledCsvFile } from './parse-csv.ts';

/**
 * Fits the logistic curves of score-calibration.ts:
 * `npx tsx tools/eval/fit-calibration.ts TRAIN.csv [KNOWLEDGE_DIR INTENTS_DIR]`.
 * The rows of a labelled set (and the phrasings of a knowledge base, if given) are split (by a fixed seed) into knowledge and held-out questions, and
 * several knowledge bases are built from them: many and few labels, many and few phrasings per
 * label, with the held-out questions of labels left out as out-of-scope questions. The target is
 * "the top candidate is right" (false for every out-of-scope question).
 */
interface Sample extends ScoreSignals {
  right: boolean;
  weight: number;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function scenario(
  rows: readonly LabelledRow[],
  labelCount: number,
  shots: number,
  seed: number,
  options: Partial<RankerOptions>,
): Sample[] {
  const random = seeded(seed);
  const byLabel = new Map<string, string[]>();
  for (const row of rows) byLabel.set(row.label, [...(byLabel.get(row.label) ?? []), row.text]);
  const labels = shuffle([...byLabel.keys()], random);
  const known = new Set(labels.slice(0, labelCount));
  const train: LabelledText[] = [];
  const heldOut: LabelledRow[] = [];
  for (const [label, texts] of byLabel) {
    const mixed = shuffle(texts, random);
    const cut = Math.max(1, Math.floor(mixed.length * 0.8));
    if (known.has(label))
      for (const text of mixed.slice(0, Math.min(cut, shots))) train.push({ label, text });
    for (const text of mixed.slice(cut)) heldOut.push({ label: known.has(label) ? label : 'oos', text });
  }
  const inScope = heldOut.filter((r) => r.label !== 'oos');
  // As many out-of-scope as in-scope questions, so neither side dominates the fit.
  const oos = shuffle(
    heldOut.filter((r) => r.label === 'oos'),
    random,
  ).slice(0, inScope.length);
  const ranker = IntentRanker.train(train, options);
  const questions = [...inScope, ...oos];
  return questions.flatMap((row) => {
    const top = ranker.rank(row.text).ranked[0];
    if (!top) return [];
    return [
      {
        margin: top.margin,
        nearest: top.nearest,
        centroid: top.centroid,
        alignment: top.alignment,
        coverage: top.coverage,
        right: top.label === row.label,
        weight: 1 / questions.length,
      },
    ];
  });
}

/**
 * Logistic regression on (margin, nearest, centroid), plus alignment where the samples have it,
 * by Newton's method.
 */
export function fitLogistic(samples: readonly Sample[], options: { coverage?: boolean } = {}): number[] {
  const withAlignment = samples.length > 0 && samples.every((s) => s.alignment !== undefined);
  const withCoverage = options.coverage === true;
  const features = (s: Sample) => [
    1,
    s.margin,
    s.nearest,
    s.centroid,
    ...(withAlignment ? [s.alignment ?? 0] : []),
    ...(withCoverage ? [s.coverage ?? 1] : []),
  ];
  const n = 4 + (withAlignment ? 1 : 0) + (withCoverage ? 1 : 0);
  let beta = new Array<number>(n).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(n).fill(0);
    const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const s of samples) {
      const x = features(s);
      const p = 1 / (1 + Math.exp(-x.reduce((sum, xi, i) => sum + xi * (beta[i] as number), 0)));
      for (let i = 0; i < n; i++) {
        gradient[i] = (gradient[i] as number) + s.weight * ((s.right ? 1 : 0) - p) * (x[i] as number);
        for (let j = 0; j < n; j++) {
          const row = hessian[i] as number[];
          row[j] = (row[j] as number) + s.weight * p * (1 - p) * (x[i] as number) * (x[j] as number);
        }
      }
    }
    // Small ridge keeps the step finite when a signal separates perfectly.
    for (let i = 0; i < n; i++) (hessian[i] as number[])[i] = ((hessian[i] as number[])[i] as number) + 1e-4;
    beta = beta.map((b, i) => b + (solve(hessian, gradient)[i] as number));
  }
  return beta;
}

function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, i) => [...row, vector[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs((a[r] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number))
        pivot = r;
    }
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col] as number[];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const factor = (row[col] as number) / (p[col] as number);
      for (let c = col; c <= n; c++) row[c] = (row[c] as number) - factor * (p[c] as number);
    }
  }
  return a.map((row, i) => (row[n] as number) / (row[i] as number));
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: fit-calibration.ts TRAIN.csv');
  const rows = await readLabelledCsvFile(path, 'TRAIN.csv');
  const [, , , knowledgeDir, intentsDir] = process.argv;
  let own: LabelledRow[] = [];
  if (knowledgeDir && intentsDir) {
    const phrasings = buildPhrasings(await loadKnowledge(knowledgeDir), await loadIntents(intentsDir));
    // The reject intent answers "no match" by itself; calibration is about the other labels.
    own = phrasings
      .filter((p) => !p.label.endsWith(`:${OUT_OF_SCOPE_INTENT}`))
      .map((p) => ({ label: p.label, text: p.text }));
  }
  const ownLabels = new Set(own.map((r) => r.label)).size;
  const vectors = englishWordVectors();
  for (const [kind, options] of [
    ['linear', { wordVectors: null }],
    ['centroid', { maxDenseCells: 0, wordVectors: null }],
    ['linear with meaning', { wordVectors: vectors }],
  ] as const) {
    if (kind.endsWith('meaning') && !vectors) continue;
    const all = [
      ...scenario(rows, 60, 1000, 1, options),
      ...scenario(rows, 60, 10, 2, options),
      ...scenario(rows, 12, 1000, 3, options),
      ...scenario(rows, 12, 5, 4, options),
      ...scenario(rows, 30, 20, 5, options),
      ...(own.length > 0
        ? [
            ...scenario(own, Math.round(ownLabels * 0.75), 1000, 6, options),
            ...scenario(own, Math.round(ownLabels * 0.75), 1000, 7, options),
            ...scenario(own, Math.round(ownLabels * 0.3), 1000, 8, options),
          ]
        : []),
    ];
    // The curves with meaning apply only where alignment exists (English questions).
    const samples = kind.endsWith('meaning') ? all.filter((s) => s.alignment !== undefined) : all;
    for (const coverage of [false, true]) {
      const beta = fitLogistic(samples, { coverage }).map((b) => Number(b.toFixed(3)));
      const withMeaning = kind.endsWith('meaning');
      const alignment = withMeaning ? `, alignment ${beta[4]}` : '';
      const covered = coverage ? `, coverage ${beta[withMeaning ? 5 : 4]}` : '';
      process.stdout.write(
        `${kind}: bias ${beta[0]}, margin ${beta[1]}, nearest ${beta[2]}, centroid ${beta[3]}${alignment}${covered} (${samples.length} questions)\n`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
