import { readFile } from 'node:fs/promises';
import { assembleEngine } from '../src/assemble-engine.ts';
import { parseConfig } from '../src/config/config.ts';
import type { Engine } from '../src/core/engine.ts';
import type { Stores } from '../src/core/ports.ts';
import type { Turn } from '../src/core/turn.ts';
import { loadSupportConfig } from '../src/handoff/support-config.ts';
import { createEmbeddedStores } from '../src/store/embedded/embedded-stores.ts';
import { loadIntents } from '../src/understanding/load-intents.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import { banking77NotFound, readBanking77 } from '../tools/eval/banking77-data.ts';
import { parseLabelledCsv } from '../tools/eval/parse-csv.ts';
import { buildKnowledgeFromRows } from '../tools/eval/run-eval.ts';

/** Result of one engine run: throughput and per-turn latency. */
export interface EngineRun {
  label: string;
  phrasings: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** The shipped defaults (MATCH_THRESHOLD, MATCH_MARGIN), as the bot runs without settings. */
const defaults = parseConfig({});

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** An Engine as the bot runs without settings (shipped thresholds, config/support.yaml). */
export async function benchEngineOn(understanding: Understanding, stores: Stores): Promise<Engine> {
  return assembleEngine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support: await loadSupportConfig('config/support.yaml'),
    thresholds: { threshold: defaults.MATCH_THRESHOLD, margin: defaults.MATCH_MARGIN },
  }).engine;
}

/** The i-th customer message of a run: web turns round-robin over `conversations` conversations. */
export function benchTurn(prefix: string, i: number, conversations: number, messages: string[]): Turn {
  const conv = `${prefix}-${i % conversations}`;
  return {
    id: `${conv}-${i}`,
    conversation: { channel: 'web', conversationId: `web:${conv}`, address: {} },
    customer: { id: conv },
    text: messages[i % messages.length] ?? 'hello',
    receivedAt: Date.now(),
  };
}

/**
 * Sends `turns` customer messages round-robin over `conversations` conversations, one at a time
 * (one core), and measures each handle() call. Messages are real questions, so the mix exercises
 * answers, "did you mean", rephrase requests and intake the way customers do.
 */
export async function runEngine(options: {
  label: string;
  understanding: Understanding;
  stores: Stores;
  messages: string[];
  turns: number;
  conversations: number;
}): Promise<EngineRun> {
  const engine = await benchEngineOn(options.understanding, options.stores);
  const times: number[] = [];
  const warmup = Math.min(500, options.turns / 10);
  for (let i = 0; i < options.turns + warmup; i++) {
    const turn = benchTurn(`bench-${options.label}`, i, options.conversations, options.messages);
    const t0 = performance.now();
    await engine.handle(turn);
    if (i >= warmup) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const measured = times.reduce((a, b) => a + b, 0);
  return {
    label: options.label,
    phrasings: options.understanding.phrasingCount,
    turns: times.length,
    turnsPerSecond: Math.round((times.length / measured) * 1000),
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

async function readRows(path: string) {
  return parseLabelledCsv(await readFile(path, 'utf8'));
}

/** Markdown section: engine throughput on the default knowledge and on 10k phrasings. */
export async function benchEngine(
  options: { turns?: number } = {},
): Promise<{ markdown: string; runs: EngineRun[] }> {
  const turns = options.turns ?? 20_000;
  const own = (await readRows('test/fixtures/questions.csv')).map((r) => r.text);
  const defaultKnowledge = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  const intents = await loadIntents('intents');
  const banking = await readBanking77();
  const skipped = banking ? undefined : banking77NotFound('the run "10k phrasings (BANKING77)"');
  if (skipped) process.stderr.write(`${skipped}\n`);
  const large = banking && Understanding.fromData(buildKnowledgeFromRows(banking.train).entries, intents);

  const runs: EngineRun[] = [];
  runs.push(
    await runEngine({
      label: 'default knowledge, embedded store (memory)',
      understanding: defaultKnowledge,
      stores: await createEmbeddedStores(),
      messages: own,
      turns,
      conversations: 1000,
    }),
  );
  const dataDir = `/tmp/support-bot-bench-${process.pid}`;
  const journalled = await createEmbeddedStores({ dataDir });
  runs.push(
    await runEngine({
      label: 'default knowledge, embedded store (data dir)',
      understanding: defaultKnowledge,
      stores: journalled,
      messages: own,
      turns,
      conversations: 1000,
    }),
  );
  await journalled.close();
  if (banking && large) {
    runs.push(
      await runEngine({
        label: '10k phrasings (BANKING77), embedded store (memory)',
        understanding: large,
        stores: await createEmbeddedStores(),
        messages: banking.test.map((r) => r.text),
        turns,
        conversations: 1000,
      }),
    );
  }

  const lines = [
    '## Engine',
    '',
    `\`npm run bench\` (engine part: \`npx tsx bench/engine-bench.ts\`), ${turns} turns per run after warm-up,`,
    'one at a time on one core, round-robin over 1,000 conversations, real questions as messages.',
    '',
    '| run | phrasings | turns/s | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.phrasings} | ${r.turnsPerSecond} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} |`,
    ),
    ...(skipped ? ['', skipped] : []),
  ];
  return { markdown: lines.join('\n'), runs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { markdown } = await benchEngine();
  process.stdout.write(`${markdown}\n`);
}
