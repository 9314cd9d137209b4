import { performance } from 'node:perf_hooks';
import type { FaqEntry } from '../src/core/faq-entry.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import type { IntentDefinition } from '../src/understanding/intent-definition.ts';
import { loadIntents } from '../src/understanding/load-intents.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import { banking77NotFound, readBanking77 } from '../tools/eval/banking77-data.ts';
import { buildKnowledgeFromRows } from '../tools/eval/run-eval.ts';

/**
 * `npx tsx bench/rebuild-bench.ts`: how long a run-time index rebuild stalls the event loop,
 * blocking (replaceEntries) against sliced (replaceEntriesAsync). A 5 ms ticker records the
 * longest gap between its ticks while the rebuild runs.
 */
const root = new URL('../', import.meta.url).pathname;
const ROUNDS = 3;

interface Gap {
  buildMs: number;
  maxGapMs: number;
}

async function measureGap(rebuild: () => unknown): Promise<Gap> {
  let last = performance.now();
  let maxGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  maxGap = 0;
  last = performance.now();
  const started = performance.now();
  await rebuild();
  const buildMs = performance.now() - started;
  // One more tick, so a stall at the very end of the build is counted too.
  await new Promise((resolve) => setTimeout(resolve, 10));
  clearInterval(ticker);
  return { buildMs, maxGapMs: maxGap };
}

async function benchRebuild(
  name: string,
  entries: FaqEntry[],
  intents: IntentDefinition[],
): Promise<string[]> {
  const u = Understanding.fromData(entries, intents);
  const rows: string[] = [];
  for (const mode of ['replaceEntries', 'replaceEntriesAsync'] as const) {
    const gaps: Gap[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      gaps.push(
        await measureGap(() =>
          mode === 'replaceEntries' ? u.replaceEntries(entries) : u.replaceEntriesAsync(entries),
        ),
      );
    }
    const worst = Math.max(...gaps.map((g) => g.maxGapMs));
    const build = gaps.map((g) => g.buildMs).sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] ?? 0;
    rows.push(`| ${name} | ${u.phrasingCount} | ${mode} | ${build.toFixed(0)} | ${worst.toFixed(0)} |`);
  }
  return rows;
}

const rows: string[] = [];
rows.push(
  ...(await benchRebuild(
    'default knowledge',
    await loadKnowledge(`${root}knowledge`),
    await loadIntents(`${root}intents`),
  )),
);
const banking = await readBanking77();
const skipped = banking ? undefined : banking77NotFound('the rows "BANKING77 train"');
if (skipped) process.stderr.write(`${skipped}\n`);
if (banking) {
  const data = buildKnowledgeFromRows(banking.train);
  rows.push(...(await benchRebuild('BANKING77 train', data.entries, data.intents)));
}
process.stdout.write(
  [
    `Index rebuild at run time, ${ROUNDS} rounds each (median build, worst event-loop gap):`,
    '',
    '| knowledge | phrasings | call | build ms | max event-loop gap ms |',
    '|---|---|---|---|---|',
    ...rows,
    ...(skipped ? ['', skipped] : []),
    '',
  ].join('\n'),
);
