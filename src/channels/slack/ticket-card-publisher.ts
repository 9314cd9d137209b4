import { errorCode, errorMessage } from '../../core/logger.ts';
import type { Ticket, TicketEvent } from '../../core/ticket.ts';
import type { TicketListener } from '../../core/ticket-events.ts';
import type { ConversationRef } from '../../core/turn.ts';
import { context, header } from './blocks/block-kit.ts';
import {
  renderMirroredCustomerMessage,
  renderThreadNotice,
  renderTicketCard,
} from './blocks/ticket-card-blocks.ts';
import { queueName, type SlackContext } from './slack-context.ts';
import { escapeMrkdwn } from './slack-text.ts';

/** Where a ticket's card is: channel and the card message's ts (its replies are the thread). */
export interface CardLocation {
  channel: string;
  ts: string;
}

const THREAD_CACHE_SIZE = 10_000;
const CARD_ONCE_TTL_MS = 90 * 24 * 60 * 60_000;
/** Long enough for a post with 429 waits; a process that dies holding it lets another try. */
const CARD_LEASE_MS = 2 * 60_000;
const OPEN_STATUSES: Ticket['status'][] = ['queued', 'claimed'];

export function cardLocationOf(ticket: Ticket): CardLocation | undefined {
  const address = ticket.deskThread?.channel === 'slack' ? ticket.deskThread.address : undefined;
  const channel = address?.channel;
  const ts = address?.ts;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : undefined;
}

function deskThreadRef(location: CardLocation): ConversationRef {
  return {
    channel: 'slack',
    conversationId: `slack-desk:${location.channel}:${location.ts}`,
    address: { channel: location.channel, ts: location.ts },
  };
}

/**
 * Keeps the agent channels in step with the tickets: posts a card when a ticket is created
 * (once, even with several bot processes), updates it on every change, mirrors the customer's
 * messages into its thread, notes SLA warnings there, and moves the card when a ticket is
 * escalated to a queue that works in another channel.
 */
export class TicketCardPublisher implements TicketListener {
  /** Tickets with an agent reply from a Slack thread in progress: already visible there, not mirrored back. */
  private readonly fromSlack = new Map<string, number>();
  /** `channel:ts` of a card → ticket id, to route thread replies without a store scan. */
  private readonly byThread = new Map<string, string>();

  /** Work per ticket, in event order; kept off the caller's path (an ack may be waiting on it). */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly ctx: SlackContext) {}

  async onTicketEvent(ticket: Ticket, event: TicketEvent): Promise<void> {
    const previous = this.chains.get(ticket.id) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(ticket, event))
      .catch((error: unknown) => {
        this.ctx.log.error('slack ticket card update failed', {
          code: errorCode(error),
          error: errorMessage(error),
          ticketId: ticket.id,
          event: event.type,
        });
      });
    this.chains.set(ticket.id, next);
    void next.then(() => {
      if (this.chains.get(ticket.id) === next) this.chains.delete(ticket.id);
    });
  }

  /** Resolves when every ticket event so far has reached Slack (or was kept for a retry). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  private async handle(snapshot: Ticket, event: TicketEvent): Promise<void> {
    // Work may have queued up: show the ticket as it is now (with its card, once posted).
    const ticket =
      event.type === 'created' ? snapshot : ((await this.ctx.stores.tickets.get(snapshot.id)) ?? snapshot);
    switch (event.type) {
      case 'created':
        return this.postCard(ticket);
      case 'customer-message':
        if (event.text) await this.inThread(ticket, renderMirroredCustomerMessage(ticket, event.text));
        return;
      case 'agent-message':
      case 'internal-note': {
        if (!event.text || this.fromSlack.has(ticket.id)) return;
        const who = escapeMrkdwn(event.by ?? 'agent');
        const kind = event.type === 'internal-note' ? 'internal note' : 'reply to the customer';
        await this.inThread(
          ticket,
          renderThreadNotice(`:memo: ${who} (console), ${kind}: ${escapeMrkdwn(event.text)}`),
        );
        return;
      }
      case 'escalated':
        return this.escalated(ticket, event);
      case 'escalation-requested': {
        const said = event.text ? `: ${escapeMrkdwn(event.text)}` : '';
        await this.inThread(
          ticket,
          renderThreadNotice(`:rotating_light: The customer asks to escalate ${ticket.id} (urgent)${said}`),
        );
        return this.updateCard(ticket);
      }
      case 'sla-warning':
      case 'sla-breached': {
        const which = event.sla === 'resolution' ? 'resolution' : 'reaction';
        const icon = event.type === 'sla-warning' ? ':warning: SLA warning' : ':rotating_light: SLA breached';
        await this.inThread(
          ticket,
          renderThreadNotice(`${icon}: ${which} time for ${ticket.id} (${ticket.priority})`),
        );
        return this.updateCard(ticket);
      }
      default:
        return this.updateCard(ticket);
    }
  }

  /** Marks an agent reply as coming from Slack while the desk handles it. */
  async relayFromSlack<T>(ticketId: string, work: () => Promise<T>): Promise<T> {
    this.fromSlack.set(ticketId, (this.fromSlack.get(ticketId) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.fromSlack.get(ticketId) ?? 1) - 1;
      if (left > 0) this.fromSlack.set(ticketId, left);
      else this.fromSlack.delete(ticketId);
    }
  }

  /** The ticket whose card thread this is, if any. */
  async ticketForThread(channel: string, threadTs: string): Promise<Ticket | undefined> {
    const known = this.byThread.get(`${channel}:${threadTs}`);
    if (known) {
      const ticket = await this.ctx.stores.tickets.get(known);
      if (ticket) return ticket;
    }
    const match = (t: Ticket) => {
      const at = cardLocationOf(t);
      return at?.channel === channel && at.ts === threadTs;
    };
    const open = await this.ctx.stores.tickets.list({ status: OPEN_STATUSES });
    const found = open.find(match) ?? (await this.ctx.stores.tickets.list()).find(match);
    if (found) this.remember({ channel, ts: threadTs }, found.id);
    return found;
  }

  /** Bounded: old entries fall out and are found again through the store when needed. */
  private remember(location: CardLocation, ticketId: string): void {
    this.byThread.set(`${location.channel}:${location.ts}`, ticketId);
    if (this.byThread.size > THREAD_CACHE_SIZE) {
      const oldest = this.byThread.keys().next().value;
      if (oldest !== undefined) this.byThread.delete(oldest);
    }
  }

  private render(ticket: Ticket) {
    const form =
      this.ctx.support.forms[this.ctx.support.queues.find((q) => q.id === ticket.queue)?.form ?? 'default'];
    return renderTicketCard(ticket, {
      queueName: (id) => queueName(this.ctx.support, id),
      fieldLabel: (name) => form?.fields.find((f) => f.name === name)?.label.en ?? name,
      now: this.ctx.clock.now(),
    });
  }

  private async postCard(ticket: Ticket): Promise<void> {
    const channel = this.ctx.agentChannels.channelFor(ticket.queue, ticket.level);
    if (!channel) {
      this.ctx.log.warn('no slack agent channel for queue', { queue: ticket.queue, ticketId: ticket.id });
      return;
    }
    // Several processes may see the same ticket; the card is posted once.
    const effect = `slack:card:${ticket.id}:${channel}`;
    const claim = await this.ctx.stores.effects.claim(effect, CARD_LEASE_MS);
    if (claim === 'done' || claim === 'busy') return;
    let kept = false;
    const result = await this.ctx.sender.send(
      { kind: 'post', channel, message: this.render(ticket) },
      (ts) => {
        // A card kept for a later retry is recorded when it finally goes out.
        if (kept && ts) void this.cardPosted(ticket, { channel, ts });
      },
    );
    if (result.ok && result.ts) {
      await this.ctx.stores.effects.done(effect, CARD_ONCE_TTL_MS);
      await this.cardPosted(ticket, { channel, ts: result.ts });
    } else if (!result.ok && result.code === 'kept') {
      // This process holds the card and sends it when Slack takes it.
      kept = true;
      await this.ctx.stores.effects.done(effect, CARD_ONCE_TTL_MS);
    } else {
      await this.ctx.stores.effects.release(effect);
    }
  }

  private async cardPosted(posted: Ticket, location: CardLocation): Promise<void> {
    try {
      this.remember(location, posted.id);
      const ticket = await this.ctx.stores.tickets.update(posted.id, (t) => ({
        ...t,
        deskThread: deskThreadRef(location),
      }));
      // Changes that came while the card was on its way were not shown yet.
      if (ticket && ticket.events.length !== posted.events.length) await this.updateCard(ticket);
    } catch (error) {
      this.ctx.log.error('could not record the slack ticket card', {
        code: errorCode(error),
        error: errorMessage(error),
        ticketId: posted.id,
      });
    }
  }

  private async updateCard(ticket: Ticket): Promise<void> {
    const at = cardLocationOf(ticket);
    if (!at) return;
    await this.ctx.sender.send({
      kind: 'update',
      channel: at.channel,
      ts: at.ts,
      message: this.render(ticket),
    });
  }

  private async inThread(ticket: Ticket, message: ReturnType<typeof renderThreadNotice>): Promise<void> {
    const at = cardLocationOf(ticket);
    if (!at) {
      this.ctx.log.warn('ticket has no slack card yet; thread message skipped', { ticketId: ticket.id });
      return;
    }
    await this.ctx.sender.send({ kind: 'post', channel: at.channel, threadTs: at.ts, message });
  }

  private async escalated(ticket: Ticket, event: TicketEvent): Promise<void> {
    const at = cardLocationOf(ticket);
    const target = this.ctx.agentChannels.channelFor(ticket.queue, ticket.level);
    const where = ticket.level === 3 ? 'third-level support' : queueName(this.ctx.support, ticket.queue);
    const by = event.by ? ` by ${escapeMrkdwn(event.by)}` : '';
    if (!at || !target || target === at.channel) {
      await this.inThread(ticket, renderThreadNotice(`:arrow_up: Escalated to ${escapeMrkdwn(where)}${by}`));
      return this.updateCard(ticket);
    }
    // The ticket now belongs to another channel: the old card says where it went, a new card starts there.
    await this.ctx.sender.send({
      kind: 'update',
      channel: at.channel,
      ts: at.ts,
      message: {
        text: `${ticket.id} moved to ${where}`,
        blocks: [
          header(`${ticket.id} · moved`),
          context(`:arrow_right: Escalated to ${escapeMrkdwn(where)}${by}: <#${target}>`),
        ],
      },
    });
    this.byThread.delete(`${at.channel}:${at.ts}`);
    const moved = await this.ctx.stores.tickets.update(ticket.id, (t) => ({ ...t, deskThread: undefined }));
    await this.postCard(moved ?? ticket);
  }
}
