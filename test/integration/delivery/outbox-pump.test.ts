import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UndeliverableError } from '../../../src/core/delivery.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Ticket, TicketEvent } from '../../../src/core/ticket.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';
import { OutboxPump } from '../../../src/delivery/outbox-pump.ts';
import { OutboxReplySink } from '../../../src/delivery/outbox-reply-sink.ts';
import {
  OutboxTicketEventHub,
  type TicketEventDelivery,
} from '../../../src/delivery/outbox-ticket-events.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { sampleTicket, TestClock } from '../../support/store-samples.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('outbox-pump');
let counter = 0;
afterAll(() => deleteRedisKeys(url, filePrefix));

/** Two handles on one shared store, as two processes have; the embedded one shares itself. */
interface SharedStore {
  name: string;
  open(clock: TestClock): Promise<{ a: Stores; b: Stores }>;
}

const shared: SharedStore[] = [
  {
    name: 'embedded',
    open: async (clock) => {
      const stores = await createEmbeddedStores({ clock });
      return { a: stores, b: stores };
    },
  },
  {
    name: 'redis',
    open: async (clock) => {
      const prefix = `${filePrefix}${++counter}:`;
      return {
        a: await createRedisStores({ url, prefix, clock }),
        b: await createRedisStores({ url, prefix, clock }),
      };
    },
  },
];

const ref = (id: string): ConversationRef => ({ channel: 'web', conversationId: id, address: {} });
const notice = (text: string): Reply => ({ type: 'notice', text, actions: [], language: 'de' });

for (const store of shared) {
  describe(`outbox pump on ${store.name}`, () => {
    let clock: TestClock;
    let a: Stores;
    let b: Stores;
    const pumps: OutboxPump[] = [];

    const pump = (stores: Stores, consumer: string, leaseMs = 30_000): OutboxPump => {
      const p = new OutboxPump({
        outbox: stores.outbox,
        consumer,
        log: silentLogger,
        now: () => clock.now(),
        leaseMs,
      });
      pumps.push(p);
      return p;
    };

    const setup = async () => {
      clock = new TestClock();
      ({ a, b } = await store.open(clock));
    };

    afterEach(async () => {
      for (const p of pumps.splice(0)) await p.stop();
      await a.close();
      if (b !== a) await b.close();
    });

    it('delivers each item once while two processes share the work, in order per lane', async () => {
      await setup();
      const done: string[] = [];
      const p1 = pump(a, 'p1');
      const p2 = pump(b, 'p2');
      for (const [p, who] of [
        [p1, 'p1'],
        [p2, 'p2'],
      ] as const) {
        p.register('card', async (item) => {
          // A slow platform: the other process must not take the same lane meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 1));
          done.push(`${(item.payload as { n: number }).n}@${who}`);
        });
      }
      const items = Array.from({ length: 150 }, (_, n) => ({
        id: `i${n}`,
        lane: `lane-${n % 7}`,
        kind: 'card',
        payload: { n },
      }));
      await (store.name === 'redis' ? b : a).outbox.add(items);
      for (let round = 0; round < 40 && done.length < 150; round++)
        await Promise.all([p1.drain(), p2.drain()]);
      const numbers = done.map((d) => Number(d.split('@')[0]));
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, n) => n));
      for (let lane = 0; lane < 7; lane++) {
        const inLane = numbers.filter((n) => n % 7 === lane);
        expect(inLane).toEqual([...inLane].sort((x, y) => x - y));
      }
      expect(await a.outbox.size()).toEqual({ items: 0, retrying: 0 });
    });

    it('retries a failed item after its backoff; the lane waits, other lanes go on', async () => {
      await setup();
      const p = pump(a, 'p1');
      const delivered: string[] = [];
      let failures = 2;
      const sink = new OutboxReplySink(a.outbox, p, {
        deliver: async (to, replies) => {
          if (to.conversationId === 'web:c1' && failures > 0) {
            failures--;
            throw new Error('customer channel away');
          }
          delivered.push(`${to.conversationId}:${replies.map((r) => r.text).join()}`);
        },
      });
      await sink.deliver(ref('web:c1'), [notice('eins'), notice('zwei')]);
      await sink.deliver(ref('web:c2'), [notice('anders')]);
      expect(delivered).toEqual(['web:c2:anders']);
      // First retry after one second, then two: nothing overtakes "eins".
      clock.advance(1_000);
      await p.drain();
      expect(delivered).toEqual(['web:c2:anders']);
      clock.advance(2_000);
      await p.drain();
      await p.drain();
      expect(delivered).toEqual(['web:c2:anders', 'web:c1:eins', 'web:c1:zwei']);
      expect(await a.outbox.size()).toEqual({ items: 0, retrying: 0 });
    });

    it("waits for its own replies only, not for a slow delivery of another conversation's", async () => {
      await setup();
      const p = pump(a, 'p1');
      let release = () => {};
      const slow = new Promise<void>((resolve) => {
        release = resolve;
      });
      const delivered: string[] = [];
      const sink = new OutboxReplySink(
        a.outbox,
        p,
        {
          deliver: async (to, replies) => {
            // A post paced by the platform: it takes long, and holds nobody else up.
            if (to.conversationId === 'web:slow') await slow;
            delivered.push(`${to.conversationId}:${replies.map((r) => r.text).join()}`);
          },
        },
        10_000,
      );
      const first = sink.deliver(ref('web:slow'), [notice('langsam')]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await Promise.race([
        sink.deliver(ref('web:fast'), [notice('schnell')]).then(() => 'delivered'),
        new Promise((resolve) => setTimeout(() => resolve('waited'), 1_000)),
      ]);
      expect(second).toBe('delivered');
      expect(delivered).toEqual(['web:fast:schnell']);
      release();
      await first;
      expect(delivered).toEqual(['web:fast:schnell', 'web:slow:langsam']);
    });

    it('adds a delivery once under one key, also when it is sent again after delivery', async () => {
      await setup();
      const p = pump(a, 'p1');
      const delivered: string[] = [];
      const sink = new OutboxReplySink(a.outbox, p, {
        deliver: async (_to, replies) => void delivered.push(...replies.map((r) => r.text)),
      });
      await sink.deliver(ref('web:k'), [notice('einmal')], 'turn:42');
      await sink.deliver(ref('web:k'), [notice('einmal')], 'turn:42');
      await p.drain();
      expect(delivered).toEqual(['einmal']);
    });

    it('drops an item the platform refuses for good, and the lane goes on', async () => {
      await setup();
      const p = pump(a, 'p1');
      p.register('msg', async (item) => {
        if (item.id === 'bad') throw new UndeliverableError('channel_not_found');
      });
      await a.outbox.add([
        { id: 'bad', lane: 'l', kind: 'msg', payload: {} },
        { id: 'good', lane: 'l', kind: 'msg', payload: {} },
      ]);
      await p.drain();
      await p.drain();
      expect(await a.outbox.size()).toEqual({ items: 0, retrying: 0 });
    });

    it("hands a dead process's lane to a survivor after the lease, marked interrupted", async () => {
      await setup();
      await a.outbox.add([{ id: 'card-1', lane: 'ticket:SUP-1', kind: 'card', payload: {} }]);
      // The dead process took the lane and never finished.
      expect(await a.outbox.take('dead', 10, 5_000)).toHaveLength(1);
      const seen: string[] = [];
      const survivor = pump(b, 'survivor', 5_000);
      survivor.register('card', async (item) => void seen.push(`${item.id}:${item.interrupted}`));
      await survivor.drain();
      expect(seen).toEqual([]);
      clock.advance(5_000);
      await survivor.drain();
      expect(seen).toEqual(['card-1:true']);
    });

    it('tells each ticket listener once, with the stored ticket and an idempotency key', async () => {
      await setup();
      const p = pump(a, 'p1');
      const hub = new OutboxTicketEventHub(a, p, silentLogger);
      const heard: {
        listener: string;
        ticket: Ticket;
        event: TicketEvent;
        delivery?: TicketEventDelivery;
      }[] = [];
      class SlackCards {
        async onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery) {
          heard.push({ listener: 'cards', ticket, event, delivery });
        }
      }
      hub.subscribe(new SlackCards());
      hub.subscribe(
        { onTicketEvent: async (ticket, event) => void heard.push({ listener: 'log', ticket, event }) },
        'log',
      );
      const ticket = sampleTicket('SUP-1001', clock.now());
      await a.tickets.create(ticket);
      await hub.onTicketEvent(ticket, ticket.events[0] as TicketEvent);
      // Changed after the event was added: listeners get the ticket as stored when they run.
      await a.tickets.update('SUP-1001', (t) => ({ ...t, priority: 'P1' }));
      await hub.onTicketEvent(ticket, ticket.events[0] as TicketEvent);
      await p.drain();
      await p.drain();
      expect(heard.map((h) => h.listener).sort()).toEqual(['cards', 'log']);
      expect(heard.every((h) => h.ticket.id === 'SUP-1001')).toBe(true);
      expect(heard.find((h) => h.listener === 'cards')?.delivery).toMatchObject({
        key: expect.stringContaining('ticket:SlackCards:SUP-1001'),
        retry: false,
      });
    });
  });
}
