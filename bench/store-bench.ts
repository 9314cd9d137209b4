import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import type { Stores } from '../src/core/ports.ts';
import { createStores } from '../src/store/create-stores.ts';
import { createRedisStores } from '../src/store/redis/redis-stores.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import { parseLabelledCsv } from '../tools/eval/parse-csv.ts';
import { benchEngineOn, benchTurn, type EngineRun, percentile, runEngine } from './engine-bench.ts';

/**
 * Like a bot server under load: `inFlight` turns at a time (each on its own conversation), so
 * Redis round trips of one turn overlap with the work of others. turns/s from wall time.
 */
async function runConcurrent(options: {
  label: string;
  understanding: Understanding;
  stores: Stores;
  messages: string[];
  turns: number;
  conversations: number;
  inFlight: number;
}): Promise<EngineRun> {
  const engine = await benchEngineOn(options.understanding, options.stores);
  const times: number[] = [];
  let next = 0;
  const turnAt = (i: number) => benchTurn('bench-c', i, options.conversations, options.messages);
  const lane = async (): Promise<void> => {
    while (next < options.turns) {
      const turn = turnAt(next++);
      const t0 = performance.now();
      await engine.handle(turn);
      times.push(performance.now() - t0);
    }
  };
  // Warm-up, not measured.
  for (let i = 0; i < 500; i++) await engine.handle(turnAt(options.turns + i));
  const started = performance.now();
  await Promise.all(Array.from({ length: options.inFlight }, lane));
  const elapsed = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    label: options.label,
    phrasings: options.understanding.phrasingCount,
    turns: times.length,
    turnsPerSecond: Math.round((times.length / elapsed) * 1000),
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

export interface StoreBenchOptions {
  /** REDIS_URL as the entry point read it; default a Redis on 127.0.0.1:6379. */
  redisUrl?: string | undefined;
  turns?: number | undefined;
}

/** Deletes the bench's keys: SCAN over the prefix, DEL in batches. */
async function cleanUp(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Markdown section: engine turns with Redis as the store (one process, local Redis): plain
 * Redis stores, and the production set-up (Redis with the local spool, as `REDIS_URL` gives).
 */
export async function benchStores(options: StoreBenchOptions = {}): Promise<string> {
  const url = options.redisUrl ?? 'redis://127.0.0.1:6379';
  const turns = options.turns ?? 10_000;
  const header = ['## Stores: engine turns with Redis', ''];
  if (!(await reachable(url))) {
    return [...header, `Not measured: no Redis answered at ${url} (set REDIS_URL).`].join('\n');
  }
  const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  const messages = parseLabelledCsv(await readFile('test/fixtures/questions.csv', 'utf8')).map((r) => r.text);
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const spoolDir = `/tmp/support-bot-store-bench-${process.pid}`;
  const runs: EngineRun[] = [];
  const measure = async (label: string, open: () => Promise<Stores>, inFlight: number) => {
    const stores = await open();
    try {
      const run = { label, understanding, stores, messages, turns, conversations: 1000 };
      runs.push(inFlight === 1 ? await runEngine(run) : await runConcurrent({ ...run, inFlight }));
    } finally {
      await stores.close();
    }
  };
  const plain = (n: number) => () => createRedisStores({ url, prefix: `${prefix}plain${n}:` });
  const production = (n: number) => () =>
    createStores({ redisUrl: url, redisPrefix: `${prefix}failover${n}:`, dataDir: `${spoolDir}-${n}` });
  try {
    await measure('Redis stores, 1 turn at a time', plain(1), 1);
    await measure('Redis with local spool (REDIS_URL set), 1 turn at a time', production(1), 1);
    await measure('Redis stores, 4 turns in flight', plain(4), 4);
    await measure('Redis with local spool (REDIS_URL set), 4 turns in flight', production(4), 4);
    await measure('Redis stores, 8 turns in flight', plain(8), 8);
    await measure('Redis with local spool (REDIS_URL set), 8 turns in flight', production(8), 8);
  } finally {
    await cleanUp(url, prefix);
    for (const n of [1, 4, 8]) rmSync(`${spoolDir}-${n}`, { recursive: true, force: true });
  }
  return [
    ...header,
    `\`npm run bench\` (store part: \`npx tsx bench/store-bench.ts\`), ${turns} turns per run after warm-up,`,
    'one process, round-robin over 1,000 conversations, default knowledge, real questions, Redis on the',
    'same machine. "1 turn at a time": each turn waits for the previous (latency of a lone turn, every',
    'Redis round trip on the critical path). "4 in flight": a server under load, turns/s from wall time;',
    '"8 in flight": a bot busy with many conversations at once, so Redis round trips overlap more.',
    'Target: at least 2,000 turns/s and p99 at most 10 ms.',
    '',
    '| store | turns/s | p50 ms | p99 ms | target |',
    '|---|---:|---:|---:|---|',
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.turnsPerSecond} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${
          r.turnsPerSecond >= 2000 && r.p99Ms <= 10 ? 'met' : 'missed'
        } |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchStores({ redisUrl: process.env.REDIS_URL })}\n`);
}
