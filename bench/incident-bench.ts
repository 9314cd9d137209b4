import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { ManualClock } from '../src/core/clock.ts';
import { queueReplies } from '../src/delivery/outbox-reply-sink.ts';
import { ServiceCatalogue } from '../src/handoff/service-catalogue.ts';
import { IncidentDesk } from '../src/incidents/incident-desk.ts';
import { createEmbeddedStores } from '../src/store/embedded/embedded-stores.ts';
import type { Stores } from '../src/store/ports.ts';
import { createRedisStores } from '../src/store/redis/redis-stores.ts';

/**
 * `npx tsx bench/incident-bench.ts [reports] [redis-url]`: a flood of customer reports linked to
 * one incident at once, then its end queued for every one of them: on the embedded store (one
 * process), and with a Redis URL on two connections as two processes would. Prints Markdown.
 */
const REPORTS = Number(process.argv[2] ?? 500);
const redisUrl = process.argv[3];
const clock = new ManualClock(Date.UTC(2026, 11, 7, 9));
const services = new ServiceCatalogue({
  mail: { name: { de: 'E-Mail', en: 'e-mail' }, words: { de: ['Outlook'], en: ['email'] } },
});
const deskOn = (stores: Stores) =>
  new IncidentDesk({
    stores,
    services,
    delivery: queueReplies(stores.outbox),
    clock,
    timeZone: 'Europe/Berlin',
  });

async function run(label: string, processes: Stores[]): Promise<string> {
  const desks = processes.map(deskOn);
  const [first] = desks;
  if (!first) throw new Error('no desk');
  const declared = await first.declare(
    { kind: 'incident', service: 'mail', status: { de: 'gestört', en: 'down' } },
    'bench',
  );
  if (!declared.ok) throw new Error(declared.message);
  const id = declared.announcement.id;
  const started = performance.now();
  const linked = await Promise.all(
    Array.from({ length: REPORTS }, (_, n) =>
      (desks[n % desks.length] as IncidentDesk).link(id, {
        conversationId: `web:b${n}`,
        customerId: `web-user:b${n}`,
        ref: { channel: 'web', conversationId: `web:b${n}`, address: {} },
        language: 'de',
        at: clock.now(),
      }),
    ),
  );
  const linkMs = performance.now() - started;
  const endStarted = performance.now();
  await first.end(id, 'bench');
  const endMs = performance.now() - endStarted;
  const told = (await processes[0]?.outbox.size())?.items ?? 0;
  return `| ${label} | ${linked.filter(Boolean).length} of ${REPORTS} | ${Math.round(linkMs)} ms | ${Math.round(endMs)} ms | ${told} |`;
}

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}; \`npx tsx bench/incident-bench.ts ${REPORTS}${redisUrl ? ' redis://…' : ''}\`.`,
  '',
  '| store | reports linked | all linked | end told (queued) | notices in the outbox |',
  '|---|---:|---:|---:|---:|',
];
const embedded = await createEmbeddedStores({ clock });
lines.push(await run('embedded, one process', [embedded]));
await embedded.close();
if (redisUrl) {
  const prefix = `bench:incidents:${Date.now()}:`;
  const two = [
    await createRedisStores({ url: redisUrl, prefix, clock }),
    await createRedisStores({ url: redisUrl, prefix, clock }),
  ];
  lines.push(await run('Redis, two connections', two));
  await Promise.all(two.map((s) => s.close()));
  // The bench's keys go again.
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
process.stdout.write(`${lines.join('\n')}\n`);
