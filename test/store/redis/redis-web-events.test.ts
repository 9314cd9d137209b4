import { afterEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../../src/core/ports.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';

const relay = (text: string): Reply => ({ type: 'relay', from: 'Erika', text, actions: [], language: 'de' });
const prefix = uniqueRedisPrefix('web-events');
const opened: Stores[] = [];

/** One bot process's stores on the shared Redis. */
async function processStores(webEventRecheckMs?: number): Promise<Stores> {
  const stores = await createRedisStores({ url: redisTestUrl(), prefix, webEventRecheckMs });
  opened.push(stores);
  return stores;
}

afterEach(async () => {
  for (const stores of opened.splice(0)) await stores.close();
  await deleteRedisKeys(redisTestUrl(), prefix);
});

describe('pushed web replies shared through Redis', () => {
  it('a reply pushed by one process reaches a long poll in another, woken by the notification', async () => {
    const a = await processStores();
    // No re-reading within the test's time limit: only the notification can wake this poll.
    const b = await processStores(120_000);
    await a.webEvents.touch('web:z');
    expect(await b.webEvents.has('web:z')).toBe(true);
    const waiting = b.webEvents.waitFor('web:z', 0, 120_000).then(() => b.webEvents.since('web:z', 0));
    await new Promise((r) => setTimeout(r, 100));
    await a.webEvents.append('web:z', [relay('von Prozess A')]);
    expect((await waiting).events.map((e) => e.reply.text)).toEqual(['von Prozess A']);
    await b.webEvents.append('web:z', [relay('von Prozess B')]);
    expect((await a.webEvents.since('web:z', 1)).events.map((e) => [e.seq, e.reply.text])).toEqual([
      [2, 'von Prozess B'],
    ]);
  });
});
