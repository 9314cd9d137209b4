import type { Clock } from '../core/clock.ts';
import type { Conversation } from '../core/conversation.ts';
import { ConversationConflictError } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import type { Candidate } from '../core/match.ts';
import { messagesFor } from '../core/messages.ts';
import { moveOwner } from '../core/owner-transition.ts';
import type { Reply } from '../core/reply.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { TicketEventHub } from '../core/ticket-events.ts';
import { priorityFor } from '../intake/priority.ts';
import type { Stores } from '../store/ports.ts';
import { countToday } from './counters.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { expectedWaitMinutes } from './expected-wait.ts';
import { dueTimesText, type OutsideHours, outsideHoursText } from './honest-wait.ts';
import { scheduleSlaTimers } from './sla-alerts.ts';
import { SlaClock } from './sla-clock.ts';
import { resumeSla } from './sla-pause.ts';
import { findQueue, type SupportConfig } from './support-config.ts';

export interface HandoffDeps {
  stores: Stores;
  support: SupportConfig;
  /** Recognises the customer's organisation; its contract's tier sets the SLA. */
  customers?: CustomerDirectory | undefined;
  clock: Clock;
  ticketEvents: TicketEventHub;
}

export interface QueueStanding {
  /** 1-based; undefined when the ticket is not waiting in a queue. */
  position?: number | undefined;
  expectedWaitMinutes?: number | undefined;
  /** Set when nobody works now: when the team is back and what the SLA promises. */
  outsideHours?: OutsideHours | undefined;
}

/** Up to this many waiting tickets, a queue's places follow priority and due time. */
const ORDERED_QUEUE_LIMIT = 50;

/** Queues are worked by priority first, then by the reaction due time, then first come. */
function byPriorityThenDue(a: Ticket, b: Ticket): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  if (a.reactionDueAt !== b.reactionDueAt) return a.reactionDueAt - b.reactionDueAt;
  return a.createdAt - b.createdAt;
}

/**
 * Tickets in second-level queues: opens them from a finished intake, tells a ticket's place in
 * its queue, and records every change as a TicketEvent that all listeners hear about.
 */
export class Handoff {
  readonly sla: SlaClock;

  constructor(private readonly deps: HandoffDeps) {
    this.sla = new SlaClock(deps.support, deps.customers);
  }

  /**
   * Opens the ticket for a conversation whose intake is complete; the conversation becomes `queued`.
   * `candidates` are the FAQ entries the bot considered for the problem (see ticketCandidates).
   *
   * Idempotent per intake: the ticket id is reserved in the stored conversation before the ticket
   * is created, so when a later step fails (the conversation cannot be saved, the process dies),
   * the next attempt finds the ticket and finishes the hand-off instead of opening a second one.
   */
  async openTicket(
    conversation: Conversation,
    candidates: Candidate[],
  ): Promise<{ ticket: Ticket; reply: Reply }> {
    const resumed = await this.resume(conversation);
    if (resumed) return resumed;
    const { stores, support, clock } = this.deps;
    const intake = conversation.intake;
    let id = intake?.ticketId;
    if (id === undefined) {
      id = await stores.tickets.nextId();
      if (intake) {
        intake.ticketId = id;
        if ((await stores.conversations.put(conversation)) === 'conflict') {
          throw new ConversationConflictError(conversation.id);
        }
      }
    }
    const now = clock.now();
    const queue = findQueue(support, intake?.queue).id;
    const values = { ...(intake?.values ?? {}) };
    const priority = priorityFor(support, values.impact, values.urgency);
    const organisation = this.deps.customers?.organisationOf(conversation.customer)?.id;
    const due = this.sla.dueTimes(queue, priority, now, organisation);
    const ticket: Ticket = {
      id,
      queue,
      level: 2,
      priority,
      status: 'queued',
      details: values,
      transcript: structuredClone(conversation.transcript),
      candidates: structuredClone(candidates),
      language: conversation.language,
      customer: conversation.customer,
      conversation: conversation.ref,
      billable: intake?.billable ?? false,
      billableConsent: intake?.billable ? intake.consent : undefined,
      ...(organisation === undefined ? {} : { organisation }),
      ...(intake?.announcementId === undefined ? {} : { announcementId: intake.announcementId }),
      createdAt: now,
      updatedAt: now,
      reactionDueAt: due.reactionDueAt,
      resolutionDueAt: due.resolutionDueAt,
      events: [{ at: now, type: 'created', text: intake?.reason }],
      ...(conversation.attachments?.length ? { attachments: conversation.attachments } : {}),
    };
    await stores.tickets.create(ticket);
    // The files sent during the intake are the ticket's now.
    conversation.attachments = undefined;
    await this.announce(ticket);
    return this.handedOver(conversation, ticket);
  }

  /**
   * Finishes a hand-off an earlier attempt got as far as creating the ticket for (see openTicket).
   * Undefined when there is none: no ticket reserved, or the reserved one was never created.
   */
  async resume(conversation: Conversation): Promise<{ ticket: Ticket; reply: Reply } | undefined> {
    const id = conversation.intake?.ticketId;
    if (id === undefined) return undefined;
    const ticket = await this.deps.stores.tickets.get(id);
    if (!ticket) return undefined;
    // Not in its queue yet: the earlier attempt stopped right after creating it, before anyone
    // heard of it. In the queue: it was announced then, and is not again.
    const waiting = ticket.status === 'queued';
    if (waiting && (await this.deps.stores.queues.position(ticket.queue, ticket.id)) === undefined) {
      await this.announce(ticket);
    }
    return this.handedOver(conversation, ticket);
  }

  /** Puts a new ticket in its queue and tells every listener. */
  private async announce(ticket: Ticket): Promise<void> {
    const { stores, clock } = this.deps;
    // Timers first: a ticket in its queue always has them (a retried announce sets them again).
    await scheduleSlaTimers(stores, this.sla, ticket, clock.now());
    await stores.queues.enqueue(ticket.queue, ticket.id);
    const created = ticket.events.find((e) => e.type === 'created') ?? ticket.events[0];
    if (created) await this.deps.ticketEvents.onTicketEvent(ticket, created);
    await countToday(stores, clock, 'handoffs');
    await countToday(stores, clock, `handoffs:${ticket.queue}`);
  }

  /** The conversation waits for the ticket now; the customer learns its id, place and wait. */
  private async handedOver(
    conversation: Conversation,
    ticket: Ticket,
  ): Promise<{ ticket: Ticket; reply: Reply }> {
    moveOwner(conversation, {
      type: 'ticket-opened',
      ticketId: ticket.id,
      taken: ticket.status === 'claimed',
    });
    const standing = await this.standing(ticket);
    return { ticket, reply: this.ticketReply(ticket, standing, conversation.language) };
  }

  /**
   * Where a waiting ticket stands in its queue (ordered by priority, then by reaction due time)
   * and how long the customer can honestly expect to wait: the tickets ahead shared among the
   * queue's agents, in the business time of the ticket's calendar; outside that time, when the
   * team is back and what the SLA promises instead.
   */
  async standing(ticket: Ticket): Promise<QueueStanding> {
    if (ticket.status !== 'queued') return {};
    const { stores, support, clock } = this.deps;
    const ids = await stores.queues.list(ticket.queue);
    const index = ids.indexOf(ticket.id);
    if (index < 0) return {};
    let position = index + 1;
    // Ordered by priority and due time by reading the queue's tickets; a long queue (a flood)
    // keeps its arrival order, so one hand-off never reads hundreds of tickets.
    if (ids.length <= ORDERED_QUEUE_LIMIT) {
      const waiting = (await Promise.all(ids.map((id) => stores.tickets.get(id)))).filter(
        (t): t is Ticket => t?.status === 'queued',
      );
      waiting.sort(byPriorityThenDue);
      position = Math.max(1, waiting.findIndex((t) => t.id === ticket.id) + 1);
    }
    const queue = findQueue(support, ticket.queue);
    const now = clock.now();
    const calendar = this.sla.calendarFor(ticket.organisation);
    const businessMinutes = expectedWaitMinutes(queue, position);
    if (calendar.isOpen(now)) {
      // Minutes on the clock: a wait that runs past closing time includes the night.
      const until = calendar.addBusinessMinutes(now, businessMinutes);
      return { position, expectedWaitMinutes: Math.max(1, Math.ceil((until - now) / 60_000)) };
    }
    const organisation = this.deps.customers?.organisation(ticket.organisation);
    const tier = this.deps.customers?.serve(organisation).tier;
    return {
      position,
      expectedWaitMinutes: businessMinutes,
      outsideHours: {
        opensAt: calendar.nextOpening(now),
        reactionDueAt: ticket.reactionDueAt,
        emergency: tier?.emergency,
      },
    };
  }

  /** What a waiting customer is told besides the place: the due times, and when the team is back. */
  statusDetails(ticket: Ticket, standing: QueueStanding, language: Language): string {
    const zone = this.timeZoneOf(ticket);
    const outside = standing.outsideHours
      ? ` ${outsideHoursText(standing.outsideHours, language, zone)}`
      : '';
    return `${dueTimesText(ticket, language, zone)}${outside}`;
  }

  /** The time zone the customer is told moments in (the support calendar's). */
  timeZoneOf(ticket: Pick<Ticket, 'organisation'>): string {
    const tierId = this.deps.customers?.serve(this.deps.customers.organisation(ticket.organisation)).tierId;
    const hours = tierId ? this.deps.customers?.config.tiers[tierId]?.businessHours : undefined;
    return hours?.timezone ?? this.deps.support.businessHours.timezone;
  }

  /**
   * Appends an event (and applies an optional change) atomically, then tells the listeners.
   * Returns undefined when the ticket does not exist.
   */
  async record(
    ticketId: string,
    event: Omit<TicketEvent, 'at'>,
    change: (ticket: Ticket) => Ticket = (t) => t,
  ): Promise<Ticket | undefined> {
    const at = this.deps.clock.now();
    const full: TicketEvent = { at, ...event };
    let repeated = false;
    const ticket = await this.deps.stores.tickets.update(ticketId, (current) => {
      // The same turn's event is there already: the turn is running again after a conflict.
      repeated =
        full.turnId !== undefined &&
        current.events.some((e) => e.turnId === full.turnId && e.type === full.type);
      if (repeated) return current;
      const changed = change(structuredClone(current));
      return { ...changed, updatedAt: at, events: [...changed.events, full] };
    });
    if (ticket && !repeated) await this.deps.ticketEvents.onTicketEvent(ticket, full);
    return ticket;
  }

  /**
   * The customer's words on their ticket; a ticket waiting for the customer has its SLA clocks
   * running again from now (and its timers set to the moved due times).
   */
  async recordCustomerMessage(
    ticketId: string,
    event: Omit<TicketEvent, 'at'>,
    language: Language,
  ): Promise<Ticket | undefined> {
    const now = this.deps.clock.now();
    let resumed = false;
    const ticket = await this.record(ticketId, event, (t) => {
      const running = resumeSla(t, now, this.sla);
      resumed = running !== t;
      return { ...running, language };
    });
    if (ticket && resumed) await scheduleSlaTimers(this.deps.stores, this.sla, ticket, now);
    return ticket;
  }

  queueName(queueId: string, language: Language): string {
    return findQueue(this.deps.support, queueId).name[language];
  }

  ticketReply(ticket: Ticket, standing: QueueStanding, language: Language): Reply {
    const say = messagesFor(language);
    const position = standing.position ?? 1;
    const wait = standing.expectedWaitMinutes ?? 0;
    const queueName = this.queueName(ticket.queue, language);
    const outside = standing.outsideHours;
    return {
      type: 'ticket',
      // Outside business hours a wait in minutes would not be true: when the team is back instead.
      text: outside
        ? `${say.ticketCreatedOffDuty(ticket.id, queueName, position)} ${outsideHoursText(outside, language, this.timeZoneOf(ticket))}`
        : say.ticketCreated(ticket.id, queueName, position, wait),
      ticket: { id: ticket.id, queue: ticket.queue, priority: ticket.priority, status: ticket.status },
      position,
      expectedWaitMinutes: wait,
      actions: [{ type: 'cancel', label: say.cancelTicket }],
      language,
    };
  }
}
