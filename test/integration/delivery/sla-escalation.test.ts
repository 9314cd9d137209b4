import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type AssembledBot, assembleBot } from '../../../src/assemble-bot.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { SlaEscalation } from '../../../src/handoff/sla-escalation.ts';
import { SlaWatcher } from '../../../src/handoff/sla-watcher.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import type { Stores } from '../../../src/store/ports.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import { defaultSupport, defaultUnderstanding, RecordingSink } from '../../unit/transcripts/chat-harness.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('sla-escalation');
let counter = 0;
afterAll(() => deleteRedisKeys(url, filePrefix));

/** Two handles on one shared store, as two processes have; the embedded one shares itself. */
const shared: { name: string; open(clock: ManualClock): Promise<[Stores, Stores]> }[] = [
  {
    name: 'embedded',
    open: async (clock) => {
      const stores = await createEmbeddedStores({ clock, warn: () => {} });
      return [stores, stores];
    },
  },
  {
    name: 'redis',
    open: async (clock) => {
      const prefix = `${filePrefix}${++counter}:`;
      return [
        await createRedisStores({ url, prefix, clock }),
        await createRedisStores({ url, prefix, clock }),
      ];
    },
  },
];

interface Process {
  bot: AssembledBot;
  watcher: SlaWatcher;
  sink: RecordingSink;
  escalation: SlaEscalation;
}

for (const store of shared) {
  describe(`escalation at an SLA breach, two processes on ${store.name}`, () => {
    const processes: Process[] = [];
    const opened: Stores[] = [];
    afterEach(async () => {
      for (const p of processes.splice(0)) await p.bot.stop();
      for (const s of new Set(opened.splice(0))) await s.close();
    });

    async function startProcess(stores: Stores, clock: ManualClock, name: string): Promise<Process> {
      const customers = await loadCustomersConfig('config/customers.yaml');
      const bot = await assembleBot({
        understanding: await defaultUnderstanding(),
        support: await defaultSupport(),
        customers,
        stores,
        thresholds: shippedThresholds(),
        outbox: { consumer: name, pollMs: 20, baseBackoffMs: 50 },
        clock,
      });
      const sink = new RecordingSink();
      bot.delivery.register('web', sink);
      const escalation = new SlaEscalation({
        stores,
        desk: bot.agentDesk,
        customers: bot.engine.customers,
        log: silentLogger,
      });
      escalation.register(bot.outbox.pump);
      const watcher = new SlaWatcher({
        stores,
        support: bot.support,
        customers: bot.engine.customers,
        escalation,
        ticketEvents: bot.outbox.ticketEvents,
        clock,
      });
      await bot.start();
      const started = { bot, watcher, sink, escalation };
      processes.push(started);
      return started;
    }

    it('moves the ticket along the contract’s path once, whichever process sees the breach', async () => {
      // Monday 2 November 2026, 10:00 Berlin.
      const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
      const [storesA, storesB] = await store.open(clock);
      opened.push(storesA, storesB);
      const a = await startProcess(storesA, clock, 'process-a');
      const b = await startProcess(storesB, clock, 'process-b');
      const turn = (id: string, text?: string, action?: Turn['action']): Turn => ({
        id,
        conversation: { channel: 'web', conversationId: 'web:escalation-1', address: {} },
        customer: { id: 'slack:T0MUSTER:U7', name: 'Petra' },
        text,
        action,
        receivedAt: clock.now(),
      });
      await a.bot.engine.handle(turn('t1', 'ich möchte mit einem Menschen sprechen'));
      const replies = await a.bot.engine.handle(
        turn('t2', undefined, {
          type: 'submit-form',
          label: 'Senden',
          values: {
            summary: 'Server im Keller antwortet nicht',
            system: 'Fileserver',
            error: '',
            since: 'heute',
            impact: 'team',
            urgency: 'hinders',
            contact: 'petra@muster-bau.example',
          },
        }),
      );
      const reply = replies.find((r) => r.type === 'ticket');
      if (reply?.type !== 'ticket') throw new Error('no ticket');
      const id = reply.ticket.id;
      const before = await storesA.tickets.get(id);
      expect(before).toMatchObject({
        organisation: 'muster-bau',
        queue: 'general',
        level: 2,
        priority: 'P2',
      });

      // Past the reaction time (business tier P2: 60 business minutes), both processes check at once.
      clock.advance(2 * 60 * 60_000);
      await Promise.all([a.watcher.check(), b.watcher.check(), a.watcher.check(), b.watcher.check()]);
      for (let i = 0; i < 200; i++) {
        await Promise.all([a.bot.outbox.idle(), b.bot.outbox.idle()]);
        const { items } = await storesA.outbox.size();
        if (items === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const after = await storesA.tickets.get(id);
      expect(after).toMatchObject({ queue: 'network', level: 3, status: 'queued' });
      const escalated = after?.events.filter((e) => e.type === 'escalated') ?? [];
      expect(escalated).toHaveLength(1);
      expect(escalated[0]).toMatchObject({ by: 'sla-escalation', queue: 'network', level: 3 });
      expect(escalated[0]?.text).toMatch(
        /SLA reaction time breached; leads: Service-Lead Nord \(<@U0LEADNORD>\)/,
      );
      expect(after?.events.filter((e) => e.type === 'sla-breached')).toHaveLength(1);
      expect(await storesA.queues.list('network')).toEqual([id]);
      expect(await storesA.queues.list('general')).toEqual([]);
      // The customer heard of it once, from whichever process delivered it.
      const told = [...a.sink.to('web:escalation-1'), ...b.sink.to('web:escalation-1')].filter((r) =>
        /Spezialisten|specialists/.test(r.text),
      );
      expect(told).toHaveLength(1);
      // Checking again later changes nothing.
      clock.advance(60_000);
      await Promise.all([a.watcher.check(), b.watcher.check()]);
      await Promise.all([a.bot.outbox.idle(), b.bot.outbox.idle()]);
      expect((await storesA.tickets.get(id))?.events.filter((e) => e.type === 'escalated')).toHaveLength(1);
    }, 60_000);

    it('calls the leads in at the warning where the contract says so, once, without moving the ticket', async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
      const [storesA, storesB] = await store.open(clock);
      opened.push(storesA, storesB);
      const a = await startProcess(storesA, clock, 'process-a');
      const b = await startProcess(storesB, clock, 'process-b');
      const turn = (id: string, text?: string, action?: Turn['action']): Turn => ({
        id,
        conversation: { channel: 'web', conversationId: 'web:escalation-2', address: {} },
        customer: {
          id: 'teams:k1',
          name: 'Klara',
          identity: { teamsTenant: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f' },
        },
        text,
        action,
        receivedAt: clock.now(),
      });
      await a.bot.engine.handle(turn('k1', 'ich möchte mit einem Menschen sprechen'));
      const replies = await a.bot.engine.handle(
        turn('k2', undefined, {
          type: 'submit-form',
          label: 'Senden',
          values: {
            summary: 'Aktenablage nicht erreichbar',
            system: 'DMS',
            error: '',
            since: 'heute',
            impact: 'team',
            urgency: 'hinders',
            contact: 'klara@kanzlei-beispiel.example',
          },
        }),
      );
      const reply = replies.find((r) => r.type === 'ticket');
      if (reply?.type !== 'ticket') throw new Error('no ticket');
      const ticket = await storesA.tickets.get(reply.ticket.id);
      if (!ticket) throw new Error('ticket gone');
      expect(ticket.organisation).toBe('kanzlei-beispiel');
      // Both processes see the warning due at once.
      await Promise.all([
        a.escalation.plan(ticket, 'sla-warning', 'reaction'),
        b.escalation.plan(ticket, 'sla-warning', 'reaction'),
      ]);
      for (let i = 0; i < 200; i++) {
        await Promise.all([a.bot.outbox.idle(), b.bot.outbox.idle()]);
        if ((await storesA.outbox.size()).items === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const after = await storesA.tickets.get(ticket.id);
      const notes = after?.events.filter((e) => e.type === 'internal-note') ?? [];
      expect(notes).toHaveLength(1);
      expect(notes[0]?.text).toMatch(/SLA warning \(reaction time\).*Service-Lead Süd please take a look/);
      expect(after).toMatchObject({ queue: ticket.queue, level: 2 });
    }, 60_000);
  });
}
