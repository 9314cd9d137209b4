/**
 * Makes the held-back out-of-scope benchmark from BANKING77's training rows (the simulation of a
 * CLINC-style set BENCHMARKS.md reports):
 *
 *   npx tsx scripts/make-oos-split.ts [OUT_DIR]     (default /tmp/oos-split)
 *   npm run eval -- --train OUT_DIR/oos_train.csv --val OUT_DIR/oos_val.csv --test OUT_DIR/oos_test.csv
 *
 * 20 % of each label's training rows are held out (seed 7); 17 labels drawn at random become
 * out of scope: their rows leave the training rows and are labelled `oos` where held out; the
 * held-out rows are split in half into validation (the threshold is chosen there) and test rows.
 * The BANKING77 test rows are not used. The files are derived data and not committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { banking77NotFound, readBanking77 } from '../tools/eval/banking77-data.ts';

const OUT_OF_SCOPE_LABELS = 17;
const HELD_OUT = 0.2;
const SEED = 7;

/** xorshift32: the same rows on every machine and Node version. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const outDir = process.argv[2] ?? '/tmp/oos-split';
const data = await readBanking77();
if (!data) {
  process.stderr.write(`${banking77NotFound('the out-of-scope split')}\n`);
  process.exit(1);
}
const random = seeded(SEED);
const byLabel = new Map<string, string[]>();
for (const row of data.train) byLabel.set(row.label, [...(byLabel.get(row.label) ?? []), row.text]);
const outOfScope = new Set(shuffle([...byLabel.keys()].sort(), random).slice(0, OUT_OF_SCOPE_LABELS));
const train: [string, string][] = [];
const heldOut: [string, string][] = [];
for (const label of [...byLabel.keys()].sort()) {
  const texts = shuffle(byLabel.get(label) ?? [], random);
  const cut = Math.round(texts.length * HELD_OUT);
  const asked = outOfScope.has(label) ? 'oos' : label;
  for (const text of texts.slice(0, cut)) heldOut.push([text, asked]);
  if (!outOfScope.has(label)) for (const text of texts.slice(cut)) train.push([text, label]);
}
const mixed = shuffle(heldOut, random);
const half = Math.floor(mixed.length / 2);
mkdirSync(outDir, { recursive: true });
const write = (name: string, rows: [string, string][]) =>
  writeFileSync(join(outDir, name), stringify([['text', 'category'], ...rows]));
write('oos_train.csv', train);
write('oos_val.csv', mixed.slice(0, half));
write('oos_test.csv', mixed.slice(half));
const oos = heldOut.filter(([, label]) => label === 'oos').length;
process.stdout.write(
  `${outDir}: ${train.length} training rows (${byLabel.size - OUT_OF_SCOPE_LABELS} labels), ` +
    `${heldOut.length} held out (${oos} oos) as ${half} validation and ${mixed.length - half} test rows\n` +
    `out of scope: ${[...outOfScope].sort().join(', ')}\n`,
);
