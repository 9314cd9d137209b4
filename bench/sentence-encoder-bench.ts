import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/config.ts';
import type { FaqEntry } from '../src/core/faq-entry.ts';
import {
  loadSentenceEncoder,
  loadSentenceEncoderWorker,
  SENTENCE_MODEL_ID,
} from '../src/understanding/sentence-encoder.ts';
import { SentenceVectorCache, SentenceVectorFile } from '../src/understanding/sentence-vector-cache.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import { vectorOptions } from '../src/understanding/word-vectors.ts';
import { banking77NotFound, readBanking77 } from '../tools/eval/banking77-data.ts';
import { buildKnowledgeFromRows } from '../tools/eval/run-eval.ts';

/**
 * The sentence encoder (SENTENCE_ENCODER=on) on BANKING77's 10,080 phrasings with the vectors
 * kept in a fresh data directory: a cold build (every phrasing embedded), a restart (none), an
 * edit of one entry (until it answers, and until trained afresh), and what a message costs (only close calls are embedded). CPU time is the
 * process's (all threads); the longest event-loop gap is what a 5 ms timer saw while building.
 *
 *   npx tsx bench/sentence-encoder-bench.ts [--shots N] [--in-thread] [--vector-cache DIR]
 */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Runs `work`, measuring wall and CPU time and the longest gap between two turns of the event loop. */
async function timed<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wallS: number; cpuS: number; gapMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 5);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(probe);
  return { value, wallS, cpuS: (used.user + used.system) / 1e6, gapMs };
}

export async function benchSentenceEncoder(shots?: number): Promise<string> {
  const data = await readBanking77();
  if (!data) return banking77NotFound('the sentence encoder bench');
  const { entries, intents } = buildKnowledgeFromRows(data.train, shots);
  const options = vectorOptions(parseConfig({}));
  // --vector-cache DIR: vectors kept there from an earlier run (the cold build then embeds none).
  const at = process.argv.indexOf('--vector-cache');
  const kept = at >= 0 ? process.argv[at + 1] : undefined;
  const dataDir = kept ?? mkdtempSync(join(os.tmpdir(), 'sb-encoder-bench-'));
  const encoder = await loadSentenceEncoder();
  // As the bot builds: phrasings in a worker thread (--in-thread: in this one, 8 per call).
  const phrasings = process.argv.includes('--in-thread') ? encoder : loadSentenceEncoderWorker(encoder);
  const lines: string[] = [];
  const build = async (knowledge: FaqEntry[]) => {
    const understanding = Understanding.fromData(knowledge, intents, options);
    const dir = join(dataDir, 'sentence-vectors');
    const cache = new SentenceVectorCache({
      modelId: SENTENCE_MODEL_ID,
      stores: [new SentenceVectorFile({ dir, dims: encoder.dimensions })],
    });
    const run = await timed(() => understanding.useSentenceEncoder(encoder, { cache, phrasings }));
    return { understanding, run, embedded: cache.embedded };
  };
  try {
    const count = Understanding.fromData(entries, intents, options).phrasingCount;
    const where = phrasings === encoder ? 'embedded in this thread' : 'embedded in a worker thread';
    lines.push(
      `BANKING77${shots ? ` ${shots} rows per label` : ''}: ${count} phrasings (${where}), ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}`,
    );
    const report = (name: string, r: Awaited<ReturnType<typeof build>>) =>
      lines.push(
        `${name}: ${r.embedded} embedded, ${r.run.cpuS.toFixed(1)} s CPU, ${r.run.wallS.toFixed(1)} s wall, longest event-loop gap ${r.run.gapMs.toFixed(0)} ms`,
      );
    report('cold build (sentence index)', await build(entries));
    const warm = await build(entries);
    report('restart, vectors kept', warm);
    const [first, ...rest] = entries;
    if (!first) throw new Error('no entries');
    const edited = [
      { ...first, questions: [...first.questions, 'a question phrased anew for the bench'] },
      ...rest,
    ];
    // Live: the quick indexes (trained on from the current ones) answer; settled: those trained
    // afresh, as a restart builds them, have replaced them.
    let sentenceLiveS = 0;
    const edit = await timed(async () => {
      const started = performance.now();
      await warm.understanding.replaceEntriesAsync(edited);
      const sparseLiveS = (performance.now() - started) / 1000;
      while (!warm.understanding.sentenceMeaningReady) await new Promise((resolve) => setTimeout(resolve, 5));
      sentenceLiveS = (performance.now() - started) / 1000;
      await warm.understanding.settled();
      return sparseLiveS;
    });
    lines.push(
      `edit of one entry: sparse index live after ${edit.value.toFixed(2)} s, sentence index ${sentenceLiveS.toFixed(2)} s; ` +
        `both trained afresh after ${edit.wallS.toFixed(2)} s wall (${edit.cpuS.toFixed(2)} s CPU), longest event-loop gap ${edit.gapMs.toFixed(0)} ms`,
    );

    const u = warm.understanding;
    const queries = data.test.map((r) => r.text);
    for (const q of queries.slice(0, 30)) await u.matchAsync(q);
    u.sentenceStats.asked = 0;
    u.sentenceStats.embedded = 0;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const q of queries) {
      const c = process.cpuUsage();
      const started = performance.now();
      await u.matchAsync(q);
      wall.push(performance.now() - started);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const mean = cpu.reduce((a, b) => a + b, 0) / cpu.length;
    lines.push(
      `per message (${queries.length} test rows, ${u.sentenceStats.embedded} embedded = ${((100 * u.sentenceStats.embedded) / queries.length).toFixed(1)} %): ` +
        `CPU p50 ${quantile(cpu, 0.5).toFixed(2)} ms, p99 ${quantile(cpu, 0.99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms; ` +
        `wall p50 ${quantile(wall, 0.5).toFixed(2)} ms, p99 ${quantile(wall, 0.99).toFixed(2)} ms`,
    );
  } finally {
    if ('close' in phrasings && typeof phrasings.close === 'function') await phrasings.close();
    if (!kept) rmSync(dataDir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--shots');
  const shots = at >= 0 ? Number(process.argv[at + 1]) : undefined;
  benchSentenceEncoder(shots).then((text) => process.stdout.write(`${text}\n`));
}
