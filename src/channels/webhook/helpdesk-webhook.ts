import { createHash } from 'node:crypto';
import type { WebhookEndpoint } from '../../config/webhook-endpoints.ts';
import type { Clock } from '../../core/clock.ts';
import { UndeliverableError } from '../../core/delivery.ts';
import { DeliveryError } from '../../core/errors.ts';
import type { Ticket, TicketEvent } from '../../core/ticket.ts';
import {
  type IdempotentTicketListener,
  type TicketEventDelivery,
  ticketEventKey,
} from '../../delivery/outbox-ticket-events.ts';
import { webhookHeaders } from './standard-webhook-signature.ts';

/** The ticket events a helpdesk hears about, by their webhook type. */
const WEBHOOK_TYPES: Partial<Record<TicketEvent['type'], string>> = {
  created: 'ticket.created',
  claimed: 'ticket.claimed',
  'agent-message': 'ticket.replied',
  escalated: 'ticket.escalated',
  resolved: 'ticket.resolved',
  reopened: 'ticket.reopened',
  'time-recorded': 'ticket.time-recorded',
  'balance-low': 'contract.balance-low',
  // A helpdesk that mirrors tickets erases its copy too (DSGVO Art. 19).
  'personal-data-erased': 'ticket.personal-data-erased',
};

/** Retried with the outbox's backoff (1 s, doubling, at most 5 min apart) for three days, then dropped. */
const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

export function webhookTypeOf(event: TicketEvent): string | undefined {
  // One ticket event for both marks of a block-hour balance; helpdesks subscribe to each apart.
  if (event.type === 'balance-low' && event.text === 'out') return 'contract.balance-exhausted';
  return WEBHOOK_TYPES[event.type];
}

/** The JSON body: `{type, timestamp, data}`, data the ticket as a helpdesk mirrors it. */
export function webhookBody(type: string, ticket: Ticket, event: TicketEvent): string {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return JSON.stringify({
    type,
    timestamp: iso(event.at),
    data: {
      id: ticket.id,
      queue: ticket.queue,
      level: ticket.level,
      priority: ticket.priority,
      status: ticket.status,
      organisation: ticket.organisation,
      customer: { id: ticket.customer.id, name: ticket.customer.name },
      summary: ticket.details.summary,
      details: ticket.details,
      assignee: ticket.assignee,
      billable: ticket.billable,
      minutesWorked: (ticket.timeEntries ?? []).reduce((sum, e) => sum + e.minutes, 0),
      createdAt: iso(ticket.createdAt),
      reactionDueAt: iso(ticket.reactionDueAt),
      resolutionDueAt: iso(ticket.resolutionDueAt),
      resolvedAt: iso(ticket.resolvedAt),
      event: {
        type: event.type,
        by: event.by,
        text: event.text,
        queue: event.queue,
        level: event.level,
        minutes: event.minutes,
        hoursLeft: event.hoursLeft,
      },
    },
  });
}

/**
 * Ticket events to one helpdesk endpoint, signed per Standard Webhooks. Subscribed to the outbox's
 * ticket event hub: each event is an outbox item in the lane of this endpoint and ticket, so a
 * ticket's events arrive in order, a failure is retried with backoff (the next events of that
 * ticket wait), and nothing is lost across restarts. `webhook-id` is the item's stable key, the
 * same on every retry, so the helpdesk can drop a repeat.
 */
export class HelpdeskWebhook implements IdempotentTicketListener {
  constructor(
    private readonly endpoint: WebhookEndpoint,
    private readonly clock: Clock,
  ) {}

  async onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery): Promise<void> {
    const type = webhookTypeOf(event);
    if (!type || (this.endpoint.events && !this.endpoint.events.has(type))) return;
    const now = this.clock.now();
    if (now - event.at > GIVE_UP_AFTER_MS) {
      throw new UndeliverableError(`webhook ${type} for ${ticket.id} undeliverable for three days`);
    }
    const key = delivery?.key ?? ticketEventKey(ticket.id, event);
    const id = `msg_${createHash('sha256').update(`${this.endpoint.name}:${key}`).digest('hex').slice(0, 32)}`;
    const body = webhookBody(type, ticket, event);
    const response = await fetch(this.endpoint.url, {
      method: 'POST',
      headers: webhookHeaders(this.endpoint.secret, id, Math.floor(now / 1000), body),
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw new DeliveryError(
        'webhook_failed',
        `${this.endpoint.name} answered ${response.status} to ${type}`,
      );
    }
  }
}
