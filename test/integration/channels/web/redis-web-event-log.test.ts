import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisWebEventLog } from '../../../../src/channels/web/redis-web-event-log.ts';
import type { Reply } from '../../../../src/core/reply.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../../support/redis.ts';

const relay = (text: string): Reply => ({ type: 'relay', from: 'Erika', text, actions: [], language: 'de' });

let prefix: string;
const open: RedisWebEventLog[] = [];

async function processLog(
  options: { maxEventsPerConversation?: number; recheckMs?: number } = {},
): Promise<RedisWebEventLog> {
  const log = await RedisWebEventLog.open({ url: redisTestUrl(), prefix, recheckMs: 5_000, ...options });
  open.push(log);
  return log;
}

beforeEach(() => {
  prefix = uniqueRedisPrefix('web-events');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await deleteRedisKeys(redisTestUrl(), prefix);
});

describe('RedisWebEventLog', () => {
  it('shares events between processes, in order, with cursors', async () => {
    const a = await processLog();
    const b = await processLog();
    expect(await b.has('web:x')).toBe(false);
    await a.touch('web:x');
    expect(await b.has('web:x')).toBe(true);
    expect(await b.since('web:x', 0)).toEqual({ events: [], cursor: 0 });
    const added = await a.append('web:x', [relay('eins'), relay('zwei')]);
    expect(added.map((e) => e.seq)).toEqual([1, 2]);
    await b.append('web:x', [relay('drei')]);
    const all = await a.since('web:x', 0);
    expect(all.events.map((e) => [e.seq, e.reply.text])).toEqual([
      [1, 'eins'],
      [2, 'zwei'],
      [3, 'drei'],
    ]);
    expect(all.cursor).toBe(3);
    expect((await b.since('web:x', 2)).events.map((e) => e.seq)).toEqual([3]);
  });

  it('keeps the reply exactly as pushed, empty arrays included', async () => {
    const a = await processLog();
    const reply: Reply = { type: 'notice', text: 'Gelöst – "danke"', actions: [], language: 'de' };
    await a.append('web:y', [reply]);
    expect((await a.since('web:y', 0)).events[0]?.reply).toEqual(reply);
  });

  it('wakes a long poll in another process when a reply is pushed', async () => {
    const a = await processLog();
    // No rechecking within the test's time limit: only the notification can wake this poll.
    const b = await processLog({ recheckMs: 120_000 });
    await a.touch('web:z');
    const waiting = b.waitFor('web:z', 0, 120_000).then(() => b.since('web:z', 0));
    await new Promise((r) => setTimeout(r, 50));
    await a.append('web:z', [relay('von Prozess A')]);
    expect((await waiting).events.map((e) => e.reply.text)).toEqual(['von Prozess A']);
  });

  it('keeps a bounded number of events', async () => {
    const a = await processLog({ maxEventsPerConversation: 2 });
    await a.append('web:w', [relay('1'), relay('2'), relay('3')]);
    expect((await a.since('web:w', 0)).events.map((e) => e.seq)).toEqual([2, 3]);
  });

  it('releases long polls on shutdown', async () => {
    const a = await processLog();
    await a.touch('web:v');
    const waiting = a.waitFor('web:v', 0, 60_000).then(() => 'released');
    a.wakeAll();
    expect(await waiting).toBe('released');
  });
});
