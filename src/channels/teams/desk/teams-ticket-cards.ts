import type { TurnContext } from 'botbuilder';
import type { AttachmentUrls } from '../../../core/attachment.ts';
import type { Clock } from '../../../core/clock.ts';
import { UndeliverableError } from '../../../core/delivery.ts';
import { DeliveryError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/logger.ts';
import { errorCode, errorMessage } from '../../../core/logger.ts';
import type { Stores } from '../../../core/ports.ts';
import type { Ticket, TicketEvent } from '../../../core/ticket.ts';
import type {
  IdempotentTicketListener,
  TicketEventDelivery,
} from '../../../delivery/outbox-ticket-events.ts';
import type { DeskChannels } from '../../../handoff/desk-channels.ts';
import type { SupportConfig } from '../../../handoff/support-config.ts';
import { type AdaptiveCard, cardAttachment } from '../cards/adaptive-card.ts';
import type { TeamsAdapter } from '../teams-adapter.ts';
import { isLoopbackUrl } from '../teams-auth.ts';
import type { TeamsSender } from '../teams-sender.ts';
import {
  channelReference,
  type DeskPoster,
  type DeskThread,
  deskThreadOf,
  deskThreadRef,
  parseChannelConversation,
  threadConversationId,
} from './desk-thread.ts';
import {
  type DeskCardOptions,
  renderDeskTicketCard,
  renderMovedCard,
  renderThreadCard,
} from './desk-ticket-card.ts';

export interface TeamsTicketCardsDeps {
  adapter: TeamsAdapter;
  sender: TeamsSender;
  stores: Pick<Stores, 'tickets'>;
  support: SupportConfig;
  channels: DeskChannels;
  poster: DeskPoster;
  /** The connector new cards go to: the one the team's activities came from, else TEAMS_SERVICE_URL. */
  serviceUrl: () => Promise<string>;
  /** Local mode: only loopback connectors may be called. */
  loopbackOnly: boolean;
  clock: Clock;
  log: Logger;
  /** Signed links to customers' files on the card. */
  attachmentUrls?: AttachmentUrls | undefined;
}

const THREAD_CACHE_SIZE = 10_000;
const OPEN_STATUSES: Ticket['status'][] = ['queued', 'claimed'];

/**
 * Keeps the Teams agent channels in step with the tickets, as Slack's card publisher does for
 * Slack: posts a card into the queue's channel when a ticket is created (a new thread), redraws
 * it on every change from any tool, writes the customer's later messages and what happened
 * elsewhere into its thread, and moves it when the ticket goes to a queue with another channel.
 * Called by the outbox: it rejects when Teams did not take a change, so the outbox retries.
 */
export class TeamsTicketCards implements IdempotentTicketListener {
  /** `channel;root` of a card → ticket id, to route thread replies without a store scan. */
  private readonly byThread = new Map<string, string>();

  constructor(private readonly deps: TeamsTicketCardsDeps) {}

  async onTicketEvent(ticket: Ticket, event: TicketEvent, delivery?: TicketEventDelivery): Promise<void> {
    switch (event.type) {
      case 'created':
        return this.postCard(ticket, delivery?.retry ?? false);
      case 'customer-message':
        if (event.text)
          await this.inThread(
            ticket,
            renderThreadCard(`💬 ${customerName(ticket)} (customer) wrote:`, event.text),
          );
        return;
      case 'agent-message':
      case 'internal-note': {
        // A reply takes a waiting ticket: the card must stop offering Claim.
        if (event.type === 'agent-message') await this.updateCard(ticket);
        // Written in this thread already: not mirrored back into it.
        if (!event.text || event.via === 'teams') return;
        const kind = event.type === 'internal-note' ? 'internal note' : 'reply to the customer';
        const where = event.via ?? 'console';
        return this.inThread(
          ticket,
          renderThreadCard(`📝 ${event.by ?? 'agent'} (${where}), ${kind}:`, event.text),
        );
      }
      case 'escalated':
        return this.escalated(ticket, event);
      case 'escalation-requested':
        await this.updateCard(ticket);
        return this.inThread(
          ticket,
          renderThreadCard(`🚨 The customer asks to escalate ${ticket.id} (urgent)`, event.text),
        );
      case 'sla-warning':
      case 'sla-breached': {
        const which = event.sla === 'resolution' ? 'resolution' : 'reaction';
        const what = event.type === 'sla-warning' ? '⚠️ SLA warning' : '🚨 SLA breached';
        await this.updateCard(ticket);
        return this.inThread(
          ticket,
          renderThreadCard(`${what}: ${which} time for ${ticket.id} (${ticket.priority})`),
        );
      }
      default:
        return this.updateCard(ticket);
    }
  }

  /** The card as it should look now; `banner` is shown on top for the agent who clicked. */
  render(ticket: Ticket, banner?: DeskCardOptions['banner']): AdaptiveCard {
    const { support } = this.deps;
    const form = support.forms[support.queues.find((q) => q.id === ticket.queue)?.form ?? 'default'];
    return renderDeskTicketCard(ticket, {
      queueName: (id) => support.queues.find((q) => q.id === id)?.name.en ?? id,
      queues: support.queues.map((q) => q.id),
      fieldLabel: (name) => form?.fields.find((f) => f.name === name)?.label.en ?? name,
      now: this.deps.clock.now(),
      banner,
      attachmentUrl: this.deps.attachmentUrls && ((file) => this.deps.attachmentUrls?.url(file) ?? ''),
    });
  }

  /** The ticket whose card starts this thread, if any. */
  async ticketForThread(channelId: string, rootId: string): Promise<Ticket | undefined> {
    const key = threadConversationId({ channelId, rootId });
    const known = this.byThread.get(key);
    if (known) {
      const ticket = await this.deps.stores.tickets.get(known);
      if (ticket) return ticket;
    }
    const match = (t: Ticket) => {
      const at = deskThreadOf(t);
      return at?.channelId === channelId && at.rootId === rootId;
    };
    const open = await this.deps.stores.tickets.list({ status: OPEN_STATUSES });
    const found = open.find(match) ?? (await this.deps.stores.tickets.list()).find(match);
    if (found) this.remember({ channelId, rootId }, found.id);
    return found;
  }

  /** Bounded: old entries fall out and are found again through the store when needed. */
  private remember(thread: Pick<DeskThread, 'channelId' | 'rootId'>, ticketId: string): void {
    this.byThread.set(threadConversationId(thread), ticketId);
    if (this.byThread.size > THREAD_CACHE_SIZE) {
      const oldest = this.byThread.keys().next().value;
      if (oldest !== undefined) this.byThread.delete(oldest);
    }
  }

  private async postCard(ticket: Ticket, retry: boolean): Promise<void> {
    const channelId = this.deps.channels.channelFor(ticket.queue, ticket.level);
    if (!channelId) return;
    // An earlier attempt that was cut off may have posted it: then it only needs to be current.
    if (retry && deskThreadOf(ticket)) return this.updateCard(ticket);
    const serviceUrl = await this.deps.serviceUrl();
    this.refuseUnlessAllowed(serviceUrl);
    const message = {
      type: 'message',
      summary: `${ticket.id} (${ticket.priority}): new ticket`,
      attachments: [cardAttachment(this.render(ticket))],
    };
    const thread = await this.deps.sender
      .withRetry(() =>
        this.deps.adapter.startChannelThread(
          serviceUrl,
          { id: channelId, tenantId: this.deps.poster.tenantId },
          message,
        ),
      )
      .catch((error: unknown) => {
        throw refusedForGood(error) ?? error;
      });
    const { rootId } = parseChannelConversation(thread);
    if (!rootId)
      throw new DeliveryError(
        'teams_delivery_failed',
        `teams gave no thread for the card of ${ticket.id}: ${thread}`,
      );
    await this.cardPosted(ticket, { channelId, rootId, serviceUrl });
  }

  private async cardPosted(posted: Ticket, thread: DeskThread): Promise<void> {
    this.remember(thread, posted.id);
    let ticket: Ticket | undefined;
    try {
      ticket = await this.deps.stores.tickets.update(posted.id, (t) => ({
        ...t,
        deskThreads: { ...t.deskThreads, teams: deskThreadRef(thread) },
      }));
    } catch (error) {
      // The card is posted: failing here would post it a second time. Its thread still works in this process.
      this.deps.log.error('could not record the teams ticket card', {
        code: errorCode(error),
        error: errorMessage(error),
        ticketId: posted.id,
      });
      return;
    }
    // Changes that came while the card was on its way were not shown yet.
    if (ticket && ticket.events.length !== posted.events.length) await this.updateCard(ticket);
  }

  private async updateCard(ticket: Ticket): Promise<void> {
    const at = deskThreadOf(ticket);
    if (!at) return;
    await this.replaceCard(at, this.render(ticket));
  }

  private async replaceCard(at: DeskThread, card: AdaptiveCard): Promise<void> {
    await this.inConversation(at.channelId, at.serviceUrl, (context) =>
      this.deps.sender.replace(context, at.rootId, card),
    );
  }

  private async inThread(ticket: Ticket, card: AdaptiveCard): Promise<void> {
    const at = deskThreadOf(ticket);
    if (!at) return;
    await this.inConversation(threadConversationId(at), at.serviceUrl, (context) =>
      this.deps.sender.post(context, { type: 'message', attachments: [cardAttachment(card)] }),
    );
  }

  private async escalated(ticket: Ticket, event: TicketEvent): Promise<void> {
    const at = deskThreadOf(ticket);
    const target = this.deps.channels.channelFor(ticket.queue, ticket.level);
    const where =
      ticket.level === 3
        ? 'third-level support'
        : (this.deps.support.queues.find((q) => q.id === ticket.queue)?.name.en ?? ticket.queue);
    // No card here yet (or a retry after the old one was marked as moved): it starts in the target channel.
    if (!at) return target ? this.postCard(ticket, false) : undefined;
    if (!target || target === at.channelId) {
      await this.updateCard(ticket);
      return this.inThread(
        ticket,
        renderThreadCard(`⬆️ Escalated to ${where}${event.by ? ` by ${event.by}` : ''}`),
      );
    }
    // The ticket now belongs to another channel: the old card says where it went, a new card starts there.
    await this.replaceCard(at, renderMovedCard(ticket, where, event.by));
    this.byThread.delete(threadConversationId(at));
    const moved = await this.deps.stores.tickets.update(ticket.id, (t) => {
      const { teams: _moved, ...others } = t.deskThreads ?? {};
      return { ...t, deskThreads: others };
    });
    await this.postCard(moved ?? ticket, false);
  }

  private refuseUnlessAllowed(serviceUrl: string): void {
    if (this.deps.loopbackOnly && !isLoopbackUrl(serviceUrl)) {
      throw new UndeliverableError(`teams ticket card refused: ${serviceUrl} is not loopback in local mode`);
    }
  }

  private async inConversation<T>(
    conversationId: string,
    serviceUrl: string,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    this.refuseUnlessAllowed(serviceUrl);
    let result: T | undefined;
    let done = false;
    try {
      await this.deps.adapter.continueWith(
        channelReference(conversationId, serviceUrl, this.deps.poster),
        async (context) => {
          result = await work(context);
          done = true;
        },
      );
    } catch (error) {
      throw refusedForGood(error) ?? error;
    }
    if (!done) throw new DeliveryError('teams_delivery_failed', 'teams conversation was not continued');
    return result as T;
  }
}

/**
 * What Teams will refuse however often it is asked: the card was deleted (404), the bot is no
 * longer in the team (403), or the message itself is wrong (400). The outbox drops such an item
 * (logged) instead of holding up the ticket's later changes behind it; throttling (429), server
 * errors and a connector that is away are retried.
 */
function refusedForGood(error: unknown): UndeliverableError | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status !== 400 && status !== 403 && status !== 404) return undefined;
  return new UndeliverableError(`teams refused the ticket card change (${status})`, { cause: error });
}

function customerName(ticket: Ticket): string {
  return ticket.customer.name ?? 'Customer';
}
