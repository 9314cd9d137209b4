import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { queueReplies } from '../../../src/delivery/outbox-reply-sink.ts';
import { ServiceCatalogue } from '../../../src/handoff/service-catalogue.ts';
import { IncidentDesk } from '../../../src/incidents/incident-desk.ts';
import type { Stores } from '../../../src/store/ports.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';

// Two bot processes on one Redis (two connections, one key prefix), each with its own desk: a
// customer's report and an admin's end race, two admins end at once, and still every linked
// customer is told exactly once, and no report is lost or linked after the end.
const url = redisTestUrl();
const prefix = uniqueRedisPrefix('incident-end-once');
const opened: Stores[] = [];
const clock = new ManualClock(Date.UTC(2026, 11, 7, 9));

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await deleteRedisKeys(url, prefix);
});

const services = new ServiceCatalogue({
  mail: { name: { de: 'E-Mail', en: 'e-mail' }, words: { de: ['Outlook'], en: ['email'] } },
});

async function process(): Promise<{ stores: Stores; desk: IncidentDesk }> {
  const stores = await createRedisStores({ url, prefix, clock });
  opened.push(stores);
  const desk = new IncidentDesk({
    stores,
    services,
    delivery: queueReplies(stores.outbox),
    clock,
    timeZone: 'Europe/Berlin',
  });
  return { stores, desk };
}

const link = (n: number) => ({
  conversationId: `web:c${n}`,
  customerId: `web-user:c${n}`,
  ref: { channel: 'web' as const, conversationId: `web:c${n}`, address: {} },
  language: (n % 2 === 0 ? 'de' : 'en') as 'de' | 'en',
  at: clock.now(),
});

describe('the end of an incident with two processes', () => {
  it('links every report made before the end, and tells each linked customer exactly once', async () => {
    const one = await process();
    const two = await process();
    const declared = await one.desk.declare(
      { kind: 'incident', service: 'mail', status: { de: 'Mail gestört', en: 'Mail down' } },
      'admin',
    );
    if (!declared.ok) throw new Error(declared.message);
    const id = declared.announcement.id;
    // Twenty customers report through either process at once.
    const linked = await Promise.all(
      Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? one : two).desk.link(id, link(n))),
    );
    expect(linked.every(Boolean)).toBe(true);
    expect((await two.desk.get(id))?.links).toHaveLength(20);

    // Both processes end it while a late report arrives.
    const [endOne, endTwo, late] = await Promise.all([
      one.desk.end(id, 'admin-1'),
      two.desk.end(id, 'admin-2'),
      two.desk.link(id, link(99)),
    ]);
    expect(endOne.ok && endTwo.ok).toBe(true);
    const stored = await one.desk.get(id);
    // The late report either made it before the end (and is told) or was refused (and is not linked).
    expect(stored?.links.some((l) => l.conversationId === 'web:c99')).toBe(late);
    expect(stored?.updates.filter((u) => u.at === stored.endedAt)).toHaveLength(1);

    const items = await one.stores.outbox.take('test', 1000, 60_000);
    const told = items.map(
      (item) => (item.payload as { ref: { conversationId: string } }).ref.conversationId,
    );
    expect(told.sort()).toEqual(stored?.links.map((l) => l.conversationId).sort());
    expect(new Set(told).size).toBe(told.length);
    const texts = items.map((item) => (item.payload as { reply: { text: string; language: string } }).reply);
    expect(texts.find((r) => r.language === 'de')?.text).toBe('Die Störung von E-Mail ist behoben.');
    expect(texts.find((r) => r.language === 'en')?.text).toBe('The incident with e-mail is resolved.');
    expect(await one.desk.link(id, link(100))).toBe(false);
  });
});
