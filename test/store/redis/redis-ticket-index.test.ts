import { describe, expect, it } from 'vitest';
import { ticketFigures } from '../../../src/core/ticket-figures.ts';
import { writeRecord } from '../../../src/store/record-schemas.ts';
import { redisStoreTestBed } from '../../support/redis.ts';
import { sampleTicket, TestClock } from '../../support/store-samples.ts';

const bed = redisStoreTestBed('redis-ticket-index');
const raw = () => bed.raw();

async function openStores() {
  const prefix = bed.nextPrefix();
  const warnings: string[] = [];
  const stores = await bed.open(prefix, {}, warnings);
  return { stores, prefix, warnings, data: `${prefix}{tickets}:data` };
}

const at = new TestClock().now();

describe('redis tickets: listings and status sets beside the records', () => {
  it('lists open tickets without reading the resolved ones', async () => {
    const { stores, data, warnings } = await openStores();
    await stores.tickets.create(sampleTicket('SUP-1001', at));
    await stores.tickets.create(sampleTicket('SUP-1002', at + 1, { status: 'resolved' }));
    await stores.tickets.create(sampleTicket('SUP-1003', at + 2));
    await stores.tickets.update('SUP-1003', (t) => ({ ...t, status: 'claimed', assignee: 'anna' }));
    // A damaged resolved ticket would be reported if a list of open ones read it.
    await raw().hset(data, 'SUP-1002', 'not a ticket');
    const waiting = await stores.tickets.list({ status: ['queued', 'claimed'] });
    expect(waiting.map((t) => t.id)).toEqual(['SUP-1003', 'SUP-1001']);
    expect(warnings).toEqual([]);
    expect((await stores.tickets.list({ status: ['claimed'] })).map((t) => t.id)).toEqual(['SUP-1003']);
    expect((await stores.tickets.list({ status: ['queued'] })).map((t) => t.id)).toEqual(['SUP-1001']);
  });

  it('indexes tickets an older version wrote (record only) when it first lists them', async () => {
    const { stores, data, prefix } = await openStores();
    await raw().hset(data, 'SUP-1001', writeRecord(sampleTicket('SUP-1001', at)));
    await raw().hset(data, 'SUP-1002', writeRecord(sampleTicket('SUP-1002', at + 1, { status: 'resolved' })));
    expect((await stores.tickets.list({ status: ['queued'] })).map((t) => t.id)).toEqual(['SUP-1001']);
    expect((await stores.tickets.list()).map((t) => t.id)).toEqual(['SUP-1002', 'SUP-1001']);
    expect(await raw().smembers(`${prefix}{tickets}:status:resolved`)).toEqual(['SUP-1002']);
  });

  it('goes by the record when an older version changed a ticket behind the index', async () => {
    const { stores, data } = await openStores();
    await stores.tickets.create(sampleTicket('SUP-1001', at));
    await raw().hset(data, 'SUP-1001', writeRecord(sampleTicket('SUP-1001', at, { status: 'resolved' })));
    expect(await stores.tickets.list({ status: ['queued'] })).toEqual([]);
  });

  it("lists the tickets' figures for reports without reading the records", async () => {
    const { stores, data, warnings } = await openStores();
    await stores.tickets.create(sampleTicket('SUP-1001', at, { billable: true }));
    await stores.tickets.create(sampleTicket('SUP-1002', at + 1, { status: 'resolved' }));
    const resolved = await stores.tickets.update('SUP-1002', (t) => ({
      ...t,
      timeEntries: [{ at, by: 'anna', minutes: 12 }],
    }));
    if (!resolved) throw new Error('not updated');
    const expected = [
      ticketFigures(resolved),
      ticketFigures(sampleTicket('SUP-1001', at, { billable: true })),
    ];
    // Damaged records would be reported (and left out) if the figures were read from them.
    await raw().hset(data, 'SUP-1001', 'not a ticket');
    await raw().hset(data, 'SUP-1002', 'not a ticket');
    expect(await stores.tickets.listFigures()).toEqual(expected);
    expect((await stores.tickets.listFigures({ status: ['resolved'] })).map((f) => f.minutesWorked)).toEqual([
      12,
    ]);
    // One customer's: the listings say whose (the figures do not carry the customer).
    expect((await stores.tickets.listFigures({ customerId: 'cust-1' })).map((f) => f.id)).toEqual([
      'SUP-1002',
      'SUP-1001',
    ]);
    expect(await stores.tickets.listFigures({ customerId: 'nobody' })).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('keeps figures for tickets an older version wrote with a listing but without figures', async () => {
    const { stores, prefix } = await openStores();
    await stores.tickets.create(sampleTicket('SUP-1001', at));
    await stores.tickets.create(sampleTicket('SUP-1002', at + 1, { status: 'resolved' }));
    await raw().del(`${prefix}{tickets}:figures`);
    expect((await stores.tickets.listFigures()).map((f) => [f.id, f.status])).toEqual([
      ['SUP-1002', 'resolved'],
      ['SUP-1001', 'queued'],
    ]);
    expect((await raw().hkeys(`${prefix}{tickets}:figures`)).sort()).toEqual(['SUP-1001', 'SUP-1002']);
  });

  it('filters by queue and customer on the listings', async () => {
    const { stores } = await openStores();
    await stores.tickets.create(sampleTicket('SUP-1001', at, { queue: 'network' }));
    await stores.tickets.create(sampleTicket('SUP-1002', at + 1, { queue: 'general' }));
    const network = await stores.tickets.list({ queue: 'network', status: ['queued'] });
    expect(network.map((t) => t.id)).toEqual(['SUP-1001']);
    expect(await stores.tickets.list({ customerId: 'nobody' })).toEqual([]);
  });
});
