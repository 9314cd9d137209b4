import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ReplySink } from '../core/delivery.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import { OutboxInbox } from './outbox-inbox.ts';
import { OutboxPump } from './outbox-pump.ts';
import { OutboxReplySink } from './outbox-reply-sink.ts';
import { OutboxTicketEventHub } from './outbox-ticket-events.ts';

export interface OutboxDeliveryOptions {
  stores: Stores;
  /** Where replies finally go: the DeliveryRouter with the channels registered. */
  deliverTo: ReplySink;
  log?: Logger | undefined;
  /** This process among the running ones; default host, pid and a random part. */
  consumer?: string | undefined;
  now?: (() => number) | undefined;
  pollMs?: number | undefined;
  leaseMs?: number | undefined;
  baseBackoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
  /** How long a turn waits for its effects before the pump takes over. Default 2 s for replies, 250 ms for ticket events. */
  inlineWaitMs?: number | undefined;
}

export interface OutboxDelivery {
  /** Pass to Engine, AgentDesk and SlaWatcher as `ticketEvents`; subscribe listeners with a name. */
  ticketEvents: OutboxTicketEventHub;
  /** Pass to Engine and AgentDesk as `delivery`; channels send their turns' replies through it too. */
  replies: OutboxReplySink;
  /** Platform events kept before they are acknowledged (Slack's Events API). */
  inbox: OutboxInbox;
  pump: OutboxPump;
  start(): void;
  stop(): Promise<void>;
  /** Resolves once nothing is due: every item delivered, or waiting for a retry later (tests, drain). */
  idle(): Promise<void>;
}

/** The one outbox of every customer-visible effect, with this process's pump. */
export function createOutboxDelivery(options: OutboxDeliveryOptions): OutboxDelivery {
  const log = options.log ?? silentLogger;
  const pump = new OutboxPump({
    outbox: options.stores.outbox,
    consumer: options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    log,
    now: options.now,
    pollMs: options.pollMs,
    leaseMs: options.leaseMs,
    baseBackoffMs: options.baseBackoffMs,
    maxBackoffMs: options.maxBackoffMs,
  });
  const ticketEvents = new OutboxTicketEventHub(options.stores, pump, log, options.inlineWaitMs);
  const replies = new OutboxReplySink(options.stores.outbox, pump, options.deliverTo, options.inlineWaitMs);
  const idle = async (): Promise<void> => {
    for (;;) {
      await pump.flush(2_000);
      const { items, retrying } = await options.stores.outbox.size();
      if (items <= retrying) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const inbox = new OutboxInbox(options.stores.outbox, pump);
  return { ticketEvents, replies, inbox, pump, start: () => pump.start(), stop: () => pump.stop(), idle };
}
