import { assembleEngine } from '../../src/assemble-engine.ts';
/**
 * One bot process for the multi-process tests: the real Engine, AgentDesk, SlaWatcher and the
 * durable hand-off path on shared Redis stores. The test drives it over IPC (turns, clock, SLA
 * checks); its agents' channel is an HTTP stand-in (AGENT_CHANNEL_URL) that records ticket cards.
 * Started with `node --import tsx test/support/bot-worker.ts`.
 */
import { ManualClock } from '../../src/core/clock.ts';
import { DeliveryRouter } from '../../src/core/delivery.ts';
import type { Ticket, TicketEvent } from '../../src/core/ticket.ts';
import type { Turn } from '../../src/core/turn.ts';
import { createOutboxDelivery } from '../../src/delivery/outbox-delivery.ts';
import type { TicketEventDelivery } from '../../src/delivery/outbox-ticket-events.ts';
import { SlaWatcher } from '../../src/handoff/sla-watcher.ts';
import { loadSupportConfig } from '../../src/handoff/support-config.ts';
import { createStores } from '../../src/store/create-stores.ts';
import { Understanding } from '../../src/understanding/understanding.ts';
import { shippedThresholds } from './shipped-thresholds.ts';

export type WorkerCommand =
  | { kind: 'turn'; turn: Turn }
  | { kind: 'clock'; now: number }
  | { kind: 'sla' }
  | { kind: 'pending' };

export type WorkerRequest = WorkerCommand & { id: number };

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

const env = process.env;
const name = env.WORKER_NAME ?? 'worker';
const agentChannel = env.AGENT_CHANNEL_URL ?? '';

/** Posts a ticket card to the agents' channel; a retried attempt first checks the channel for its key. */
class AgentChannelCards {
  async onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery): Promise<void> {
    const key = delivery?.key ?? `${ticket.id}:${event.type}:${event.at}`;
    if (delivery?.retry) {
      const found = await fetch(`${agentChannel}/cards?key=${encodeURIComponent(key)}`);
      if (((await found.json()) as { count: number }).count > 0) return;
    }
    const response = await fetch(`${agentChannel}/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, ticketId: ticket.id, type: event.type, sla: event.sla, worker: name }),
    });
    if (!response.ok) throw new Error(`agent channel answered ${response.status}`);
  }
}

async function main(): Promise<void> {
  const clock = new ManualClock(Number(env.START_TIME));
  // The stores keep real time: leases and reclaims are about processes being alive. The engine's
  // clock (ticket times, SLA checks) is the test's.
  const stores = await createStores({
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    dataDir: env.DATA_DIR,
    warn: () => undefined,
  });
  const [understanding, support] = await Promise.all([
    Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' }),
    loadSupportConfig('config/support.yaml'),
  ]);
  const router = new DeliveryRouter();
  router.register('web', { deliver: async () => undefined });
  const handoff = createOutboxDelivery({
    stores,
    deliverTo: router,
    consumer: name,
    // Short, so a killed process's lanes come back soon; renewed while a delivery is under way.
    leaseMs: 3_000,
    pollMs: 20,
    inlineWaitMs: Number(env.INLINE_WAIT_MS ?? 2_000),
  });
  handoff.ticketEvents.subscribe(new AgentChannelCards(), 'agent-channel');
  const engine = assembleEngine({
    matcher: understanding,
    knowledge: understanding,
    stores,
    support,
    thresholds: shippedThresholds(),
    clock,
    ticketEvents: handoff.ticketEvents,
  }).engine;
  const watcher = new SlaWatcher({ stores, support, ticketEvents: handoff.ticketEvents, clock });
  handoff.start();

  process.on('message', (message: WorkerRequest) => {
    const run = async (): Promise<unknown> => {
      switch (message.kind) {
        case 'turn':
          return engine.handle(message.turn);
        case 'clock':
          clock.set(message.now);
          return null;
        case 'sla':
          return (await watcher.check()).length;
        case 'pending':
          return (await stores.outbox.size()).items;
      }
    };
    run().then(
      (result) => process.send?.({ id: message.id, ok: true, result } satisfies WorkerResponse),
      (error: unknown) =>
        process.send?.({ id: message.id, ok: false, error: String(error) } satisfies WorkerResponse),
    );
  });
  process.send?.({ id: 0, ok: true, result: 'ready' } satisfies WorkerResponse);
}

await main();
