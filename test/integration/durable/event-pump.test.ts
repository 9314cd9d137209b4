import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import type { Ticket, TicketEvent } from '../../../src/core/ticket.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';
import { DurableReplySink } from '../../../src/handoff/durable/durable-reply-sink.ts';
import {
  DurableTicketEventHub,
  type TicketEventDelivery,
} from '../../../src/handoff/durable/durable-ticket-events.ts';
import { EventPump } from '../../../src/handoff/durable/event-pump.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import type { Stores } from '../../../src/store/ports.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { sampleTicket, TestClock } from '../../support/store-samples.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('event-pump');
let counter = 0;
afterAll(() => deleteRedisKeys(url, filePrefix));

/** Two handles on one shared store, as two processes would have; the embedded one shares itself. */
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
  describe(`event pump on ${store.name}`, () => {
    let clock: TestClock;
    let a: Stores;
    let b: Stores;
    const pumps: EventPump[] = [];

    const pump = (stores: Stores, consumer: string): EventPump => {
      const p = new EventPump({
        events: stores.events,
        effects: stores.effects,
        group: 'bot',
        consumer,
        reclaimAfterMs: 0,
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

    it('makes each effect once while two consumers share the work', async () => {
      await setup();
      const done: string[] = [];
      const p1 = pump(a, 'p1');
      const p2 = pump(b, 'p2');
      for (const [p, who] of [
        [p1, 'p1'],
        [p2, 'p2'],
      ] as const) {
        p.register({
          name: 'card',
          type: 'ticket',
          key: (e) => String((e.payload as { n: number }).n),
          handle: async (e) => void done.push(`${(e.payload as { n: number }).n}@${who}`),
        });
      }
      for (let n = 0; n < 150; n++) await (n % 2 ? a : b).events.append('ticket', { n });
      // Both drain at the same time, repeatedly, like two processes polling.
      for (let round = 0; round < 5; round++) await Promise.all([p1.drain(), p2.drain()]);
      const numbers = done.map((d) => Number(d.split('@')[0]));
      expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 150 }, (_, n) => n));
      expect(await a.events.pendingCount('bot')).toBe(0);
    });

    it('retries a failed effect without repeating the ones that worked', async () => {
      await setup();
      const p = pump(a, 'p1');
      const cards: number[] = [];
      const mails: number[] = [];
      let failMail = true;
      p.register({ name: 'card', type: 'ticket', key: (e) => e.id, handle: async () => void cards.push(1) });
      p.register({
        name: 'mail',
        type: 'ticket',
        key: (e) => e.id,
        handle: async () => {
          if (failMail) {
            failMail = false;
            throw new Error('mail server away');
          }
          mails.push(1);
        },
      });
      await a.events.append('ticket', {});
      expect(await p.drain()).toBe(0);
      expect(await a.events.pendingCount('bot')).toBe(1);
      expect(await p.drain()).toBe(1);
      expect(cards).toHaveLength(1);
      expect(mails).toHaveLength(1);
      expect(await a.events.pendingCount('bot')).toBe(0);
    });

    it('finishes events a dead consumer took, and flags an effect it had started as a retry', async () => {
      await setup();
      const id = await a.events.append('ticket', { n: 1 });
      await a.events.append('ticket', { n: 2 });
      // The dead process took both events and had claimed the first effect when it died.
      await a.events.read('bot', 'dead');
      await a.effects.claim(`card:${id}`, 1_000);
      clock.advance(1_000);
      const seen: string[] = [];
      const p = pump(b, 'survivor');
      p.register({
        name: 'card',
        type: 'ticket',
        key: (e) => e.id,
        handle: async (e, claim) => void seen.push(`${(e.payload as { n: number }).n}:${claim}`),
      });
      await p.drain();
      expect(seen).toEqual(['1:retry', '2:claimed']);
      expect(await b.events.pendingCount('bot')).toBe(0);
    });

    it('keeps deliveries to one conversation in order across a failure', async () => {
      await setup();
      const p = pump(a, 'p1');
      const delivered: string[] = [];
      let failures = 2;
      const sink = new DurableReplySink(a, p, {
        deliver: async (to, replies) => {
          if (to.conversationId === 'web:c1' && failures > 0) {
            failures--;
            throw new Error('customer channel away');
          }
          delivered.push(`${to.conversationId}:${replies.map((r) => r.text).join()}`);
        },
      });
      // Each deliver tries at once: the first fails, the second finds the first failing again
      // and must not overtake it.
      await sink.deliver(ref('web:c1'), [notice('eins')]);
      await sink.deliver(ref('web:c1'), [notice('zwei')]);
      expect(delivered).toEqual([]);
      await sink.deliver(ref('web:c2'), [notice('anders')]);
      expect(delivered).toEqual(['web:c1:eins', 'web:c1:zwei', 'web:c2:anders']);
      expect(await a.events.pendingCount('bot')).toBe(0);
    });

    it('tells each ticket listener once, with the stored ticket and an idempotency key', async () => {
      await setup();
      const p = pump(a, 'p1');
      const hub = new DurableTicketEventHub(a, p);
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
      // The same event appended twice (a spool replay) is still one effect per listener.
      await a.events.append('ticket-event', { ticketId: 'SUP-1001', event: ticket.events[0] });
      await p.drain();
      await p.drain();
      expect(heard.map((h) => h.listener).sort()).toEqual(['cards', 'log']);
      expect(heard[0]?.ticket).toEqual(ticket);
      const cards = heard.find((h) => h.listener === 'cards');
      expect(cards?.delivery?.key).toMatch(/^ticket-listener:SlackCards:SUP-1001:created:/);
      expect(cards?.delivery?.retry).toBe(false);
    });
  });
}
