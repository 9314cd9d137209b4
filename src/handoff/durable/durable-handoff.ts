import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ReplySink } from '../../core/delivery.ts';
import { type Logger, silentLogger } from '../../core/logger.ts';
import type { Stores } from '../../store/ports.ts';
import { DurableReplySink } from './durable-reply-sink.ts';
import { DurableTicketEventHub } from './durable-ticket-events.ts';
import { EventPump } from './event-pump.ts';

export interface DurableHandoffOptions {
  stores: Stores;
  /** Where proactive replies finally go (the DeliveryRouter with the channels registered). */
  deliverTo: ReplySink;
  log?: Logger | undefined;
  /** This process among the running ones; default host, pid and a random part. */
  consumer?: string | undefined;
  /** See EventPump: reclaim of events a dead process left, effect lease. Defaults 30 s each. */
  reclaimAfterMs?: number | undefined;
  leaseMs?: number | undefined;
  pollMs?: number | undefined;
  /** How long a turn waits for ticket listeners and deliveries before the pump takes over. Default 2 s. */
  inlineWaitMs?: number | undefined;
}

export interface DurableHandoff {
  /** Pass to Engine, AgentDesk and SlaWatcher as `ticketEvents`; subscribe listeners with a name. */
  ticketEvents: DurableTicketEventHub;
  /** Pass to Engine and AgentDesk as `delivery`. */
  delivery: DurableReplySink;
  pump: EventPump;
  start(): void;
  stop(): Promise<void>;
}

/** The consumer group every bot process shares. */
export const BOT_CONSUMER_GROUP = 'support-bot';

/**
 * The hand-off path that survives processes: ticket events and proactive replies go through the
 * stores' durable event log and are processed by whichever process is alive, each effect once.
 */
export function createDurableHandoff(options: DurableHandoffOptions): DurableHandoff {
  const log = options.log ?? silentLogger;
  const pump = new EventPump({
    events: options.stores.events,
    effects: options.stores.effects,
    group: BOT_CONSUMER_GROUP,
    consumer: options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    log,
    reclaimAfterMs: options.reclaimAfterMs,
    leaseMs: options.leaseMs,
    pollMs: options.pollMs,
  });
  const ticketEvents = new DurableTicketEventHub(options.stores, pump, log, options.inlineWaitMs);
  const delivery = new DurableReplySink(options.stores, pump, options.deliverTo, options.inlineWaitMs);
  return {
    ticketEvents,
    delivery,
    pump,
    start: () => pump.start(),
    stop: () => pump.stop(),
  };
}
