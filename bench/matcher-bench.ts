import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { FaqEntry } from '../src/core/faq-entry.ts';
import type { Matcher } from '../src/core/match.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import type { IntentDefinition } from '../src/understanding/intent-definition.ts';
import { loadIntents } from '../src/understanding/load-intents.ts';
import { banking77NotFound, readBanking77 } from '../tools/eval/banking77-data.ts';
import { parseLabelledCsv } from '../tools/eval/parse-csv.ts';
import { buildKnowledgeFromRows, buildMatcher, type RankerKind } from '../tools/eval/run-eval.ts';

const root = new URL('../', import.meta.url).pathname;

interface Measured {
  name: string;
  ranker: RankerKind;
  entries: number;
  phrasings: number;
  buildMs: number;
  buildCpuMs: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerQuery: number;
  rssMb: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function measure(
  name: string,
  ranker: RankerKind,
  data: { entries: FaqEntry[]; intents: IntentDefinition[] },
  queries: string[],
): Measured {
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const built = buildMatcher(data.entries, data.intents, ranker);
  const buildCpuMs = process.cpuUsage(cpuBefore).user / 1000;
  const rssMb = Math.max(0, process.memoryUsage().rss - rssBefore) / 1e6;
  const matcher: Matcher = built.matcher;
  for (const q of queries.slice(0, 100)) matcher.match(q);
  const times: number[] = [];
  const cpuQueries = process.cpuUsage();
  for (const q of queries) {
    const started = performance.now();
    matcher.match(q);
    times.push(performance.now() - started);
  }
  const cpuMsPerQuery = process.cpuUsage(cpuQueries).user / 1000 / Math.max(1, queries.length);
  times.sort((a, b) => a - b);
  return {
    name,
    ranker,
    entries: built.entries,
    phrasings: built.phrasings,
    buildMs: built.buildMs,
    buildCpuMs,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    cpuMsPerQuery,
    rssMb,
  };
}

/** Matcher build time and per-query latency: default knowledge and 10k BANKING77 phrasings, fuse.js beside. */
export async function benchMatcher(): Promise<string> {
  const results: Measured[] = [];
  const questionsPath = `${root}test/fixtures/questions.csv`;
  if (existsSync(`${root}knowledge`) && existsSync(`${root}intents`) && existsSync(questionsPath)) {
    const data = {
      entries: await loadKnowledge(`${root}knowledge`),
      intents: await loadIntents(`${root}intents`),
    };
    const queries = parseLabelledCsv(await readFile(questionsPath, 'utf8')).map((r) => r.text);
    for (const ranker of ['default', 'fuse'] as const)
      results.push(measure('default knowledge', ranker, data, queries));
  }
  const banking = await readBanking77();
  const skipped = banking
    ? undefined
    : banking77NotFound('the rows "BANKING77 train (10k phrasings)" and "synthetic 5,000 entries"');
  if (skipped) process.stderr.write(`${skipped}\n`);
  if (banking) {
    const data = buildKnowledgeFromRows(banking.train);
    const queries = banking.test.map((r) => r.text);
    for (const ranker of ['default', 'fuse'] as const) {
      // fuse.js needs about a second per query here; 300 queries give its order of magnitude.
      results.push(
        measure(
          'BANKING77 train (10k phrasings)',
          ranker,
          data,
          ranker === 'fuse' ? queries.slice(0, 300) : queries,
        ),
      );
    }
    // 5,000 entries of two phrasings each: the centroid ranker takes over from the dense classifier.
    const split = banking.train.map((r, i) => ({ text: r.text, label: `${r.label}-${i % 65}` }));
    results.push(measure('synthetic 5,000 entries', 'default', buildKnowledgeFromRows(split), queries));
  }
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.ranker} | ${r.entries} | ${r.phrasings} | ${r.buildMs.toFixed(0)} (${r.buildCpuMs.toFixed(0)} CPU) | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.cpuMsPerQuery.toFixed(3)} | ${r.rssMb.toFixed(0)} |`,
  );
  return [
    '## Matcher',
    '',
    `Measured by \`npx tsx bench/matcher-bench.ts\` (Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)} at the end). Wall clock per query, with the process CPU time beside it, since other processes share the machine; RSS growth is the resident memory the build added (rows run in one process, so later rows reuse memory freed by earlier ones).`,
    '',
    '| knowledge | ranker | entries | phrasings | build ms | p50 ms | p99 ms | CPU ms/query | RSS growth MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(skipped ? ['', skipped] : []),
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchMatcher().then(
    (section) => process.stdout.write(`${section}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
