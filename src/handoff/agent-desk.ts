import type { Action } from '../core/action.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { ConversationLocks } from '../core/conversation-locks.ts';
import { countToday } from '../core/counters.ts';
import type { ReplySink } from '../core/delivery.ts';
import type { Language } from '../core/language.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { messagesFor } from '../core/messages.ts';
import { moveOwner } from '../core/owner-transition.ts';
import type { Stores, TicketFilter } from '../core/ports.ts';
import type { Reply } from '../core/reply.ts';
import { type ClosedReason, shownStatus, type Ticket, type TicketEvent } from '../core/ticket.ts';
import { TicketEventHub } from '../core/ticket-events.ts';
import { CustomerConversation } from './customer-conversation.ts';
import { CustomerDirectory } from './customer-directory.ts';
import { generalCustomersConfig } from './customers-config.ts';
import {
  type ChangeResult,
  type Decision,
  type DeskResult,
  type EscalateOptions,
  invalid,
  normaliseId,
  strip,
} from './desk-result.ts';
import { pauseSla } from './sla-pause.ts';
import type { SupportConfig } from './support-config.ts';
import { TicketReopening } from './ticket-reopening.ts';
import { TimeRecording, type TimeRecordResult } from './time-recording.ts';

export interface AgentDeskDeps {
  stores: Stores;
  support: SupportConfig;
  delivery: ReplySink;
  clock?: Clock;
  /** Pass engine.ticketEvents so every listener sees agent changes too. */
  ticketEvents?: TicketEventHub;
  /** Pass engine.locks so agent actions and customer turns never interleave. */
  locks?: ConversationLocks;
  log?: Logger;
  /** Pass engine.customers: organisations' contracts, for billable time and block hours. */
  customers?: CustomerDirectory | undefined;
  /** SMTP is configured: block-hour warnings also go to the organisation's contact by e-mail. */
  mailContacts?: boolean | undefined;
}

/** An agent action whose conversation keeps being changed meanwhile gives up after this many tries. */
const _MAX_CONVERSATION_ATTEMPTS = 5;
/** Agent text starting with this stays internal (never relayed to the customer). */
const NOTE_PREFIX = /^\s*note:\s*/i;
const MAX_AGENT_TEXT = 8000;

/**
 * What second-level agents do with tickets (web console now, Slack agent channel later):
 * claim, reply (relayed to the customer; `note:` stays internal), resolve, give back to the bot,
 * escalate. Each change appends a TicketEvent and notifies the listeners.
 */
export class AgentDesk {
  readonly ticketEvents: TicketEventHub;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly locks: ConversationLocks;
  private readonly time: TimeRecording;
  private readonly reopening: TicketReopening;
  private readonly customer: CustomerConversation;

  constructor(private readonly deps: AgentDeskDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.ticketEvents = deps.ticketEvents ?? new TicketEventHub(this.log);
    this.locks = deps.locks ?? new ConversationLocks();
    this.time = new TimeRecording({
      stores: deps.stores,
      customers: deps.customers ?? new CustomerDirectory(generalCustomersConfig()),
      mailContacts: deps.mailContacts,
      ticketEvents: this.ticketEvents,
      delivery: deps.delivery,
      clock: this.clock,
      log: this.log,
    });
    this.customer = new CustomerConversation({ ...deps, clock: this.clock, log: this.log });
    this.reopening = new TicketReopening({ ...deps, ticketEvents: this.ticketEvents, clock: this.clock });
  }

  /** The ticket waits for the customer's answer: its SLA clocks stand still until they write. */
  waitForCustomer(ticketId: string, agent: string): Promise<DeskResult> {
    return this.locked(ticketId, async () => {
      const result = await this.change(ticketId, (t, now) => {
        if (t.status !== 'claimed')
          return { code: 'not_allowed', message: `${t.id} is ${t.status}, not claimed` };
        if (t.slaPausedAt !== undefined) return { noop: true };
        return { ticket: pauseSla(t, now), event: { type: 'sla-paused', by: agent } };
      });
      // Its timers go: nothing is due while the clocks stand still.
      if (result.ok && !result.unchanged) await this.deps.stores.slaTimers.cancel(result.ticket.id);
      return strip(result);
    });
  }

  /** Time worked on a ticket; billed per started quarter hour when the ticket is billable. */
  recordTime(ticketId: string, agent: string, minutes: number, note?: string): Promise<TimeRecordResult> {
    return this.time.record(ticketId, agent, minutes, note);
  }

  async list(filter: TicketFilter = {}): Promise<Ticket[]> {
    return this.deps.stores.tickets.list(filter);
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    return this.deps.stores.tickets.get(ticketId);
  }

  /** Takes a waiting ticket: the agent owns the conversation from now on; the bot only relays. */
  claim(ticketId: string, agent: string): Promise<DeskResult> {
    return this.locked(ticketId, () => this.claimLocked(ticketId, agent));
  }

  /** A message to the customer (relayed), or an internal note when it starts with `note:`. */
  reply(ticketId: string, agent: string, text: string, via?: TicketEvent['via']): Promise<DeskResult> {
    return this.locked(ticketId, () => this.replyLocked(ticketId, agent, text, via));
  }

  /** Done: the customer gets a notice and a satisfaction question; the next message starts afresh. */
  resolve(ticketId: string, agent: string, note?: string): Promise<DeskResult> {
    return this.locked(ticketId, () => this.resolveLocked(ticketId, agent, note));
  }

  /** The bot takes the conversation back (the ticket is closed without a rating question). */
  giveBack(ticketId: string, agent: string): Promise<DeskResult> {
    return this.locked(ticketId, () => this.giveBackLocked(ticketId, agent));
  }

  /** Functional escalation: to another queue and/or third-level support; the ticket waits again. */
  escalate(ticketId: string, agent: string, options: EscalateOptions): Promise<DeskResult> {
    return this.locked(ticketId, () => this.escalateLocked(ticketId, agent, options));
  }

  /** A resolved ticket goes back to its queue; the customer hears it is being worked on again. */
  reopen(ticketId: string, agent: string, reason?: string): Promise<DeskResult> {
    return this.locked(ticketId, async () => {
      if (!agent.trim()) return invalid('agent is required');
      const result = await this.reopening.reopen(ticketId, { kind: 'agent', name: agent, reason });
      if (!result.ok)
        return {
          ok: false,
          code: result.code === 'not_found' ? 'not_found' : 'not_allowed',
          message: result.message,
        };
      const language = await this.customer.change(result.ticket, (c) =>
        moveOwner(c, { type: 'ticket-reopened', ticketId: result.ticket.id }),
      );
      await this.customer.send(result.ticket, [
        notice(language, messagesFor(language).reopenedByAgent(result.ticket.id)),
      ]);
      return { ok: true, ticket: result.ticket };
    });
  }

  /**
   * Runs an action under the conversation's lock (shared with the engine), so a customer turn
   * and an agent action on one conversation never interleave and never overwrite each other.
   */
  private async locked(ticketId: string, action: () => Promise<DeskResult>): Promise<DeskResult> {
    const id = normaliseId(ticketId);
    const ticket = await this.deps.stores.tickets.get(id);
    if (!ticket) return { ok: false, code: 'not_found', message: `no ticket ${id}` };
    return this.locks.run(ticket.conversation.conversationId, action);
  }

  private async claimLocked(ticketId: string, agent: string): Promise<DeskResult> {
    if (!agent.trim()) return invalid('agent is required');
    const result = await this.change(ticketId, (t, now) => {
      if (t.status === 'claimed' && t.assignee === agent) return { noop: true };
      if (t.status === 'claimed')
        return { code: 'conflict', message: `${t.id} is already claimed by ${t.assignee}` };
      if (t.status !== 'queued') return { code: 'not_allowed', message: `${t.id} is ${t.status}` };
      return {
        ticket: { ...t, status: 'claimed', assignee: agent, firstReactionAt: t.firstReactionAt ?? now },
        event: { type: 'claimed', by: agent },
      };
    });
    if (!result.ok || result.unchanged) return strip(result);
    const ticket = result.ticket;
    await this.deps.stores.queues.remove(ticket.queue, ticket.id);
    const language = await this.customer.change(ticket, (c) =>
      moveOwner(c, { type: 'ticket-taken', ticketId: ticket.id }),
    );
    await this.customer.send(ticket, [notice(language, messagesFor(language).agentJoined(agent))]);
    return strip(result);
  }

  private async replyLocked(
    ticketId: string,
    agent: string,
    text: string,
    via: TicketEvent['via'],
  ): Promise<DeskResult> {
    if (!agent.trim()) return invalid('agent is required');
    const trimmed = text.trim().slice(0, MAX_AGENT_TEXT);
    if (NOTE_PREFIX.test(trimmed)) {
      const note = trimmed.replace(NOTE_PREFIX, '');
      if (!note) return invalid('the note is empty');
      return strip(
        await this.change(ticketId, (t) => ({
          ticket: t,
          event: { type: 'internal-note', by: agent, text: note, via },
        })),
      );
    }
    if (!trimmed) return invalid('the reply is empty');
    let claimedNow = false;
    const result = await this.change(ticketId, (t, now) => {
      if (t.status === 'resolved' || t.status === 'cancelled') {
        return { code: 'not_allowed', message: `${t.id} is ${t.status}` };
      }
      // Replying to a waiting ticket takes it: from now on a person speaks, not the bot.
      claimedNow = t.status === 'queued';
      return {
        ticket: {
          ...t,
          status: 'claimed',
          assignee: t.assignee ?? agent,
          firstReactionAt: t.firstReactionAt ?? now,
        },
        event: { type: 'agent-message', by: agent, text: trimmed, via },
      };
    });
    if (!result.ok) return strip(result);
    if (claimedNow) await this.deps.stores.queues.remove(result.ticket.queue, result.ticket.id);
    const language = await this.customer.change(result.ticket, (c) => {
      moveOwner(c, { type: 'ticket-taken', ticketId: result.ticket.id });
      c.transcript.push({ at: this.clock.now(), from: 'agent', name: agent, text: trimmed });
    });
    await this.customer.send(result.ticket, [
      { type: 'relay', from: agent, text: trimmed, actions: [], language },
    ]);
    return strip(result);
  }

  private async resolveLocked(ticketId: string, agent: string, note?: string): Promise<DeskResult> {
    const cleanNote = note?.trim().slice(0, MAX_AGENT_TEXT) || undefined;
    const result = await this.close(ticketId, agent, 'resolved', {
      type: 'resolved',
      by: agent,
      text: cleanNote,
    });
    if (!result.ok) return strip(result);
    const ticket = result.ticket;
    await countToday(this.deps.stores, this.clock, 'resolved');
    const language = await this.customer.change(ticket, (c) =>
      moveOwner(c, { type: 'ticket-resolved', ticketId: ticket.id }),
    );
    const say = messagesFor(language);
    const ratings: Action[] = [1, 2, 3, 4, 5].map((n) => ({
      type: 'rate',
      ticketId: ticket.id,
      rating: n,
      label: say.rating(n),
    }));
    if (this.reopening.graceHours > 0) {
      ratings.push({ type: 'reopen', ticketId: ticket.id, label: say.reopenAction });
    }
    await this.customer.send(ticket, [
      {
        type: 'notice',
        text: say.resolved(ticket.id, cleanNote),
        actions: ratings,
        language,
      },
    ]);
    return strip(result);
  }

  /**
   * The ticket is closed as "returned to the bot" (not solved: it does not count as resolved and
   * gets no rating question); the customer is told the bot carries on.
   */
  private async giveBackLocked(ticketId: string, agent: string): Promise<DeskResult> {
    const result = await this.close(ticketId, agent, 'returned-to-bot', { type: 'given-back', by: agent });
    if (!result.ok) return strip(result);
    await countToday(this.deps.stores, this.clock, 'returned');
    const language = await this.customer.change(result.ticket, (c) =>
      moveOwner(c, { type: 'ticket-given-back', ticketId: result.ticket.id }),
    );
    await this.customer.send(result.ticket, [
      notice(language, messagesFor(language).givenBack(result.ticket.id)),
    ]);
    return strip(result);
  }

  private async escalateLocked(
    ticketId: string,
    agent: string,
    options: EscalateOptions,
  ): Promise<DeskResult> {
    if (options.queue === undefined && options.level === undefined) return invalid('give a queue or level 3');
    if (options.queue !== undefined && !this.deps.support.queues.some((q) => q.id === options.queue)) {
      return invalid(`unknown queue "${options.queue}"`);
    }
    let from = '';
    const result = await this.change(ticketId, (t) => {
      if (t.status === 'resolved' || t.status === 'cancelled') {
        return { code: 'not_allowed', message: `${t.id} is ${t.status}` };
      }
      from = t.queue;
      const queue = options.queue ?? t.queue;
      const level = options.level ?? t.level;
      if (queue === t.queue && level === t.level) {
        return { code: 'invalid', message: `${t.id} is already in ${queue} at level ${level}` };
      }
      return {
        ticket: { ...t, queue, level, status: 'queued', assignee: undefined },
        event: { type: 'escalated', by: agent, text: options.reason, queue, level },
      };
    });
    if (!result.ok) return strip(result);
    const ticket = result.ticket;
    await this.deps.stores.queues.remove(from, ticket.id);
    await this.deps.stores.queues.enqueue(ticket.queue, ticket.id);
    const language = await this.customer.change(ticket, (c) =>
      moveOwner(c, { type: 'ticket-waiting', ticketId: ticket.id }),
    );
    const say = messagesFor(language);
    const queueName =
      this.deps.support.queues.find((q) => q.id === ticket.queue)?.name[language] ?? ticket.queue;
    const text =
      options.level === 3 ? say.escalatedLevel3(ticket.id) : say.escalatedQueue(ticket.id, queueName);
    await this.customer.send(ticket, [notice(language, text)]);
    return strip(result);
  }

  /**
   * Applies a decision atomically (the store's read-modify-write), appends its event and tells
   * the listeners. `unchanged` marks a repeat that needed no change (claiming one's own ticket).
   */
  /** Closes a ticket that is still open (solved, or returned to the bot) and takes it off its queue. */
  private async close(
    ticketId: string,
    agent: string,
    closedReason: ClosedReason,
    event: Omit<TicketEvent, 'at'>,
  ): Promise<ChangeResult> {
    const result = await this.change(ticketId, (t, now) => {
      if (t.status === 'resolved' || t.status === 'cancelled') {
        return { code: 'not_allowed', message: `${t.id} is already ${shownStatus(t)}` };
      }
      return {
        ticket: { ...t, status: 'resolved', closedReason, resolvedAt: now, assignee: t.assignee ?? agent },
        event,
      };
    });
    if (result.ok) await this.deps.stores.queues.remove(result.ticket.queue, result.ticket.id);
    return result;
  }

  private async change(
    ticketId: string,
    decide: (ticket: Ticket, now: number) => Decision,
  ): Promise<ChangeResult> {
    const id = normaliseId(ticketId);
    const now = this.clock.now();
    let decision: Decision | undefined;
    let event: TicketEvent | undefined;
    const updated = await this.deps.stores.tickets.update(id, (current) => {
      // The store may run this more than once (optimistic retry); only the last run counts.
      decision = decide(structuredClone(current), now);
      event = undefined;
      if (!('ticket' in decision)) return current;
      event = { at: now, ...decision.event };
      return { ...decision.ticket, updatedAt: now, events: [...decision.ticket.events, event] };
    });
    if (!updated || !decision) return { ok: false, code: 'not_found', message: `no ticket ${id}` };
    const final = decision as Decision;
    if ('code' in final) return { ok: false, code: final.code, message: final.message };
    if ('noop' in final || !event) return { ok: true, ticket: updated, unchanged: true };
    await this.ticketEvents.onTicketEvent(updated, event);
    return { ok: true, ticket: updated, unchanged: false };
  }
}

function notice(language: Language, text: string): Reply {
  return { type: 'notice', text, actions: [], language };
}
