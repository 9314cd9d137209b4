import { describe, expect, it } from 'vitest';
import { redisStoreTestBed } from '../../support/redis.ts';
import { TestClock } from '../../support/store-samples.ts';

const bed = redisStoreTestBed('redis-outbox-lanes');
const raw = () => bed.raw();

async function openStores() {
  const prefix = bed.nextPrefix();
  const clock = new TestClock();
  const stores = await bed.open(prefix, { clock }, []);
  return { stores, clock, ready: `${prefix}{outbox}:ready`, leased: `${prefix}{outbox}:leased` };
}

const item = (lane: string, id: string) => ({ lane, id, kind: 'reply', payload: { text: id } });

describe('redis outbox: a held lane is out of the due lanes', () => {
  it('keeps a lane under way out of `ready`, so other takes do not read it, and puts it back when done', async () => {
    const { stores, ready, leased } = await openStores();
    await stores.outbox.add([item('lane-a', 'a1'), item('lane-a', 'a2'), item('lane-b', 'b1')]);
    const [first] = await stores.outbox.take('p1', 1, 30_000);
    expect(first?.id).toBe('a1');
    expect(await raw().zrange(ready, '0', '-1')).toEqual(['lane-b']);
    expect(await raw().zrange(leased, '0', '-1')).toEqual(['lane-a']);
    // Another process gets the other lane only, and nothing is due while it is held.
    expect((await stores.outbox.take('p2', 10, 30_000)).map((i) => i.id)).toEqual(['b1']);
    expect(await stores.outbox.take('p2', 10, 30_000)).toEqual([]);
    expect(await raw().zcard(ready)).toBe(0);
    await stores.outbox.done(first as NonNullable<typeof first>, 'p1');
    expect((await stores.outbox.take('p2', 10, 30_000)).map((i) => i.id)).toEqual(['a2']);
  });

  it('hands a dead holder’s lane to another process once its lease has run out', async () => {
    const { stores, clock } = await openStores();
    await stores.outbox.add([item('lane-c', 'c1')]);
    expect((await stores.outbox.take('dead', 1, 50)).map((i) => i.id)).toEqual(['c1']);
    expect(await stores.outbox.take('alive', 1, 30_000)).toEqual([]);
    clock.advance(51);
    const taken = await stores.outbox.take('alive', 1, 30_000);
    expect(taken.map((i) => [i.id, i.interrupted])).toEqual([['c1', true]]);
    // Items added to a held lane wait for it; after `done` they are due at once.
    await stores.outbox.add([item('lane-c', 'c2')]);
    expect(await stores.outbox.take('other', 1, 30_000)).toEqual([]);
    await stores.outbox.done(taken[0] as NonNullable<(typeof taken)[0]>, 'alive');
    expect((await stores.outbox.take('other', 1, 30_000)).map((i) => i.id)).toEqual(['c2']);
  });
});
