import { errorCode, errorMessage } from '../../core/logger.ts';
import type { Ticket, TicketEvent } from '../../core/ticket.ts';
import type { ConversationRef } from '../../core/turn.ts';
import type { IdempotentTicketListener, TicketEventDelivery } from '../../delivery/outbox-ticket-events.ts';
import { context, header } from './blocks/block-kit.ts';
import {
  renderMirroredCustomerMessage,
  renderThreadNotice,
  renderTicketCard,
} from './blocks/ticket-card-blocks.ts';
import { queueName, type SlackContext } from './slack-context.ts';
import { throwUnlessSent } from './slack-reply-sink.ts';
import { escapeMrkdwn } from './slack-text.ts';

/** Where a ticket's card is: channel and the card message's ts (its replies are the thread). */
export interface CardLocation {
  channel: string;
  ts: string;
}

const THREAD_CACHE_SIZE = 10_000;
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
export class TicketCardPublisher implements IdempotentTicketListener {
  /** `channel:ts` of a card → ticket id, to route thread replies without a store scan. */
  private readonly byThread = new Map<string, string>();
  /** Cards posted whose place could not be written to their ticket yet: written on the retry, not posted again. */
  private readonly unrecorded = new Map<string, CardLocation>();

  constructor(private readonly ctx: SlackContext) {}

  /**
   * Called by the outbox with the ticket as stored now, once per event, in order per ticket. It
   * resolves when Slack has the change and rejects when it did not take it, so the outbox retries.
   */
  async onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery): Promise<void> {
    // Posts into a busy agents' channel come back later (nothing sent yet); updates are not paced.
    const channel =
      cardLocationOf(ticket)?.channel ?? this.ctx.agentChannels.channelFor(ticket.queue, ticket.level);
    if (delivery && channel && postsFirst(event)) this.ctx.sender.admit(channel, delivery.key);
    await this.handle(ticket, event, delivery?.retry ?? false);
  }

  private async handle(ticket: Ticket, event: TicketEvent, retry: boolean): Promise<void> {
    switch (event.type) {
      case 'created':
        return this.postCard(ticket, retry);
      case 'customer-message':
        if (event.text) await this.inThread(ticket, renderMirroredCustomerMessage(ticket, event.text));
        return;
      case 'agent-message':
      case 'internal-note': {
        // Written in the card's thread already: not mirrored back into it.
        if (!event.text || event.via === 'slack') return;
        const who = escapeMrkdwn(event.by ?? 'agent');
        const kind = event.type === 'internal-note' ? 'internal note' : 'reply to the customer';
        await this.inThread(
          ticket,
          renderThreadNotice(
            `:memo: ${who} (${event.via ?? 'console'}), ${kind}: ${escapeMrkdwn(event.text)}`,
          ),
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
      case 'personal-data-erased':
        await this.updateCard(ticket);
        return this.deleteThreadMessages(ticket);
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
      attachmentUrl: this.ctx.attachmentUrls && ((file) => this.ctx.attachmentUrls?.url(file) ?? ''),
    });
  }

  private async postCard(ticket: Ticket, retry: boolean): Promise<void> {
    const channel = this.ctx.agentChannels.channelFor(ticket.queue, ticket.level);
    if (!channel) {
      this.ctx.log.warn('no slack agent channel for queue', { queue: ticket.queue, ticketId: ticket.id });
      return;
    }
    // An earlier attempt that was cut off may have posted it: then it only needs to be current.
    if (retry && cardLocationOf(ticket)) return this.updateCard(ticket);
    const posted = this.unrecorded.get(ticket.id);
    if (posted) return this.cardPosted(ticket, posted);
    const result = await this.ctx.sender.send({ kind: 'post', channel, message: this.render(ticket) });
    throwUnlessSent(result);
    if (result.ok && result.ts) await this.cardPosted(ticket, { channel, ts: result.ts });
  }

  /**
   * Writes where the card is to its ticket (the thread agents and customer messages use). When
   * that fails the item is retried, and the retry writes the place kept here instead of posting.
   */
  private async cardPosted(posted: Ticket, location: CardLocation): Promise<void> {
    this.remember(location, posted.id);
    let ticket: Ticket | undefined;
    try {
      ticket = await this.ctx.stores.tickets.update(posted.id, (t) => ({
        ...t,
        deskThread: deskThreadRef(location),
      }));
    } catch (error) {
      this.unrecorded.set(posted.id, location);
      this.ctx.log.error('could not record the slack ticket card; will try again', {
        code: errorCode(error),
        error: errorMessage(error),
        ticketId: posted.id,
      });
      throw error;
    }
    this.unrecorded.delete(posted.id);
    // Changes that came while the card was on its way were not shown yet.
    if (ticket && ticket.events.length !== posted.events.length) await this.updateCard(ticket);
  }

  private async updateCard(ticket: Ticket): Promise<void> {
    const at = cardLocationOf(ticket);
    if (!at) return;
    throwUnlessSent(
      await this.ctx.sender.send({
        kind: 'update',
        channel: at.channel,
        ts: at.ts,
        message: this.render(ticket),
      }),
    );
  }

  private async inThread(ticket: Ticket, message: ReturnType<typeof renderThreadNotice>): Promise<void> {
    const at = cardLocationOf(ticket);
    if (!at) {
      this.ctx.log.warn('ticket has no slack card yet; thread message skipped', { ticketId: ticket.id });
      return;
    }
    throwUnlessSent(
      await this.ctx.sender.send({ kind: 'post', channel: at.channel, threadTs: at.ts, message }),
    );
  }

  /**
   * The customer's data was erased: what the bot wrote in the card's thread (their mirrored
   * messages, notices quoting replies) goes too. Messages people wrote there are theirs; the bot
   * cannot delete them.
   */
  private async deleteThreadMessages(ticket: Ticket): Promise<void> {
    const at = cardLocationOf(ticket);
    const bot = this.ctx.botUserId;
    if (!at || !bot) return;
    let cursor: string | undefined;
    do {
      const page = await this.ctx.app.client.conversations.replies({
        channel: at.channel,
        ts: at.ts,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const message of page.messages ?? []) {
        if (message.user !== bot || !message.ts || message.ts === at.ts) continue;
        throwUnlessSent(await this.ctx.sender.send({ kind: 'delete', channel: at.channel, ts: message.ts }));
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
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
    const left = await this.ctx.sender.send({
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
    throwUnlessSent(left);
    this.byThread.delete(`${at.channel}:${at.ts}`);
    const moved = await this.ctx.stores.tickets.update(ticket.id, (t) => ({ ...t, deskThread: undefined }));
    await this.postCard(moved ?? ticket, false);
  }
}

/** Whether handling this event starts with a post (paced by Slack), not an update of the card. */
function postsFirst(event: TicketEvent): boolean {
  switch (event.type) {
    case 'created':
    case 'customer-message':
    case 'escalated':
    case 'escalation-requested':
    case 'sla-warning':
    case 'sla-breached':
      return true;
    case 'agent-message':
    case 'internal-note':
      return Boolean(event.text) && event.via !== 'slack';
    default:
      return false;
  }
}
