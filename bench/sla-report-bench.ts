import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { loadSlaReport, monthRange } from '../src/admin/reports/load-sla-report.ts';
import { buildSlaReport } from '../src/admin/reports/sla-report.ts';
import { formatSlaReport } from '../src/admin/reports/sla-report-format.ts';
import { ManualClock } from '../src/core/clock.ts';
import type { Stores } from '../src/core/ports.ts';
import { PRIORITIES, type Ticket } from '../src/core/ticket.ts';
import { ticketFigures } from '../src/core/ticket-figures.ts';
import { CustomerDirectory } from '../src/handoff/customer-directory.ts';
import { loadCustomersConfig } from '../src/handoff/customers-config.ts';
import { SlaClock } from '../src/handoff/sla-clock.ts';
import { loadSupportConfig } from '../src/handoff/support-config.ts';
import { createEmbeddedStores } from '../src/store/embedded/embedded-stores.ts';
import { createRedisStores } from '../src/store/redis/redis-stores.ts';

/**
 * `npx tsx bench/sla-report-bench.ts [count] [redis-url]`: the monthly SLA report over 100,000
 * tickets of one month (four organisations and customers without contract, all priorities,
 * reacted, resolved, escalated, rated, with recorded time and a short conversation each), built
 * from the tickets in memory, through the embedded store's listing and, with a Redis URL, through
 * Redis's (under a fresh key prefix, deleted afterwards). Prints Markdown for BENCHMARKS.md.
 */
const COUNT = Number(process.argv[2] ?? 100_000);
const redisUrl = process.argv[3];
const support = await loadSupportConfig('config/support.yaml');
const customersConfig = await loadCustomersConfig('config/customers.yaml', support);
const customers = new CustomerDirectory(customersConfig);
const sla = new SlaClock(support, customers);
const month = '2026-11';
const { from, to } = monthRange(month, sla);
const organisations = [undefined, ...customersConfig.organisations.map((o) => o.id)];

// A fixed pseudo-random sequence: every run reports over the same tickets.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

function ticket(i: number): Ticket {
  const createdAt = from + Math.floor(random() * (to - from));
  const organisation = organisations[i % organisations.length];
  const priority = PRIORITIES[Math.floor(random() * 4)] ?? 'P3';
  const due = sla.dueTimes('general', priority, createdAt, organisation);
  const reacted = random() < 0.9;
  const resolved = reacted && random() < 0.8;
  const firstReactionAt = reacted ? createdAt + Math.floor(random() * 4 * 3_600_000) : undefined;
  const resolvedAt =
    resolved && firstReactionAt ? firstReactionAt + Math.floor(random() * 40 * 3_600_000) : undefined;
  return {
    id: `SUP-${1000 + i}`,
    queue: 'general',
    level: random() < 0.05 ? 3 : 2,
    priority,
    status: resolved ? 'resolved' : reacted ? 'claimed' : 'queued',
    ...(resolved ? { closedReason: 'resolved' as const } : {}),
    details: { summary: `Problem ${i}` },
    // What a handed-off conversation holds: a few lines each way.
    transcript: Array.from({ length: 8 }, (_, n) => ({
      at: createdAt - (8 - n) * 30_000,
      from: n % 2 === 0 ? ('customer' as const) : ('bot' as const),
      text: `Line ${n} of conversation ${i}: the VPN drops every few minutes since this morning.`,
    })),
    candidates: [],
    language: 'de',
    customer: { id: `cust-${i % 5000}` },
    conversation: { channel: 'web', conversationId: `web:${i}`, address: {} },
    billable: random() < 0.3,
    createdAt,
    updatedAt: createdAt,
    ...due,
    firstReactionAt,
    resolvedAt,
    ...(organisation ? { organisation } : {}),
    ...(random() < 0.4 ? { rating: 1 + Math.floor(random() * 5) } : {}),
    timeEntries: [{ at: createdAt, by: 'agent', minutes: 1 + Math.floor(random() * 90) }],
    events: [{ at: createdAt, type: 'created' }],
  };
}

const tickets = Array.from({ length: COUNT }, (_, i) => ticket(i));
const figures = tickets.map(ticketFigures);
const now = to + 3_600_000;

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

// A fresh SLA clock per run: its calendars' day caches start empty, as in a fresh request.
const inMemory = [1, 2, 3, 4, 5].map(() =>
  time(() =>
    buildSlaReport({
      month,
      from,
      to,
      tickets: figures,
      customers,
      sla: new SlaClock(support, customers),
      balances: new Map(),
      bot: { conversations: 0, handoffs: 0 },
      now,
    }),
  ),
);
const sorted = inMemory.map((r) => r.ms).sort((a, b) => a - b);
const report = inMemory[0]?.value;

const clock = new ManualClock(now);

/** Three reports through a store's listing, after writing every ticket into it. */
async function throughStore(stores: Stores): Promise<number[]> {
  for (let i = 0; i < tickets.length; i += 500) {
    await Promise.all(tickets.slice(i, i + 500).map((t) => stores.tickets.create(t)));
  }
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await loadSlaReport({ month }, { stores, support, customers, clock });
    runs.push(performance.now() - start);
  }
  return runs;
}

const embedded = await createEmbeddedStores({ clock, warn: () => {} });
const storeRuns = await throughStore(embedded);
await embedded.close();
let redisRuns: number[] | undefined;
if (redisUrl) {
  const prefix = `bench-sla-${process.pid}:`;
  const redis = await createRedisStores({ url: redisUrl, prefix, clock, warn: () => {} });
  try {
    redisRuns = await throughStore(redis);
  } finally {
    await redis.close();
    const raw = new Redis(redisUrl);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    raw.disconnect();
  }
}
const csv = time(() => (report ? formatSlaReport(report, 'csv') : ''));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
process.stdout.write(
  [
    `## SLA report`,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; \`npx tsx bench/sla-report-bench.ts${redisUrl ? ` ${COUNT} redis://…` : ''}\`.`,
    '',
    `| ${COUNT.toLocaleString('en')} tickets of one month | median | best | worst |`,
    '|---|---:|---:|---:|',
    `| report from the tickets' figures in memory (5 runs) | ${median(sorted).toFixed(0)} ms | ${sorted[0]?.toFixed(0)} ms | ${sorted.at(-1)?.toFixed(0)} ms |`,
    `| report through the embedded store's listing (3 runs) | ${median(storeRuns).toFixed(0)} ms | ${Math.min(...storeRuns).toFixed(0)} ms | ${Math.max(...storeRuns).toFixed(0)} ms |`,
    ...(redisRuns
      ? [
          `| report through Redis's listing (3 runs) | ${median(redisRuns).toFixed(0)} ms | ${Math.min(...redisRuns).toFixed(0)} ms | ${Math.max(...redisRuns).toFixed(0)} ms |`,
        ]
      : []),
    `| CSV of the report (${report?.rows.length ?? 0} rows) | ${csv.ms.toFixed(1)} ms | | |`,
    '',
  ].join('\n'),
);
