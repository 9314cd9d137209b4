import { assembleEngine } from '../../../src/assemble-engine.ts';
import type { Action, ActionType } from '../../../src/core/action.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Conversation } from '../../../src/core/conversation.ts';
import type { ReplySink } from '../../../src/core/delivery.ts';
import { DeliveryRouter } from '../../../src/core/delivery.ts';
import type { Engine } from '../../../src/core/engine.ts';
import type { Language } from '../../../src/core/language.ts';
import { decideMatch, type MatchThresholds } from '../../../src/core/match.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Ticket, TicketEvent } from '../../../src/core/ticket.ts';
import type { TicketEventHub } from '../../../src/core/ticket-events.ts';
import type { ConversationRef, Turn } from '../../../src/core/turn.ts';
import { AgentDesk } from '../../../src/handoff/agent-desk.ts';
import type { CustomerDirectory } from '../../../src/handoff/customer-directory.ts';
import type { CustomersConfig } from '../../../src/handoff/customers-config.ts';
import { loadSupportConfig, type SupportConfig } from '../../../src/handoff/support-config.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';

/**
 * Transcript tests talk to the real engine with the real Understanding (default knowledge and
 * intents), the real embedded stores and config/support.yaml. Only the clock is fake, and the
 * customer's channel is a recording sink.
 */

let understanding: Promise<Understanding> | undefined;
let support: Promise<SupportConfig> | undefined;

export function defaultUnderstanding(): Promise<Understanding> {
  understanding ??= Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  return understanding;
}

export function defaultSupport(): Promise<SupportConfig> {
  support ??= loadSupportConfig('config/support.yaml');
  return support;
}

/** The customer's channel for proactive messages: records what arrives, per conversation. */
export class RecordingSink implements ReplySink {
  readonly delivered: { ref: ConversationRef; replies: Reply[] }[] = [];
  failNext = 0;

  async deliver(ref: ConversationRef, replies: Reply[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('channel unavailable'), { code: 'channel_unavailable' });
    }
    this.delivered.push({ ref, replies });
  }

  to(conversationId: string): Reply[] {
    return this.delivered.filter((d) => d.ref.conversationId === conversationId).flatMap((d) => d.replies);
  }
}

export interface DeskOptions {
  dataDir?: string;
  clock?: ManualClock;
  stores?: Stores;
  /** Default: the configured defaults (MATCH_THRESHOLD, MATCH_MARGIN). */
  thresholds?: MatchThresholds;
  /** config/customers.yaml or another; default: everyone gets the general contract. */
  customers?: CustomersConfig;
}

export interface SupportDesk {
  engine: Engine;
  desk: AgentDesk;
  ticketEvents: TicketEventHub;
  customers: CustomerDirectory;
  stores: Stores;
  clock: ManualClock;
  sink: RecordingSink;
  support: SupportConfig;
  events: { ticket: Ticket; event: TicketEvent }[];
  chat(options?: ChatOptions): Chat;
  close(): Promise<void>;
}

export interface ChatOptions {
  id?: string;
  customer?: string;
  locale?: Language;
}

/** A problem form's details besides the summary, valid in the default form ('' skips the error). */
export const FORM_DETAILS: Readonly<Record<string, string>> = {
  system: 'Laptop',
  error: '',
  since: 'seit heute',
  impact: 'one',
  urgency: 'hinders',
  contact: 'kim@example.com',
};

let conversationCounter = 0;

export async function openSupportDesk(options: DeskOptions = {}): Promise<SupportDesk> {
  const matcher = await defaultUnderstanding();
  const support = await defaultSupport();
  // Monday 5 January 2026, 10:00 in Berlin: inside business hours.
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
  const stores =
    options.stores ?? (await createEmbeddedStores({ dataDir: options.dataDir, clock, warn: () => {} }));
  const sink = new RecordingSink();
  const delivery = new DeliveryRouter();
  delivery.register('web', sink);
  const events: { ticket: Ticket; event: TicketEvent }[] = [];
  const { engine, ticketEvents, locks, customers } = assembleEngine({
    matcher,
    knowledge: matcher,
    stores,
    support,
    customers: options.customers,
    thresholds: options.thresholds ?? shippedThresholds(),
    clock,
    ticketListeners: [{ onTicketEvent: async (ticket, event) => void events.push({ ticket, event }) }],
  });
  const desk = new AgentDesk({
    stores,
    support,
    delivery,
    clock,
    ticketEvents,
    locks,
    customers,
  });
  return {
    engine,
    desk,
    ticketEvents,
    customers,
    stores,
    clock,
    sink,
    support,
    events,
    chat: (chatOptions = {}) => new Chat(engine, stores, clock, chatOptions),
    close: () => stores.close(),
  };
}

let turnCounter = 0;

/** One customer talking to the bot, readable like a transcript: `await chat.say('Mein VPN geht nicht')`. */
export class Chat {
  readonly ref: ConversationRef;
  readonly customerId: string;
  readonly locale: Language | undefined;
  /** Replies of the last turn. */
  last: Reply[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly stores: Stores,
    private readonly clock: ManualClock,
    options: ChatOptions,
  ) {
    const id = options.id ?? `c${++conversationCounter}`;
    this.ref = { channel: 'web', conversationId: `web:${id}`, address: { id } };
    this.customerId = options.customer ?? `customer-${id}`;
    this.locale = options.locale;
  }

  async say(text: string, turnId = `t${++turnCounter}`): Promise<Reply[]> {
    this.last = await this.engine.handle(this.turn({ id: turnId, text }));
    return this.last;
  }

  /** Clicks the first action of this type offered in the last replies (optionally matching). */
  async click(type: ActionType, where: (action: Action) => boolean = () => true): Promise<Reply[]> {
    const action = this.actions().find((a) => a.type === type && where(a));
    if (!action) {
      throw new Error(
        `no ${type} action offered; offered: ${JSON.stringify(this.actions().map((a) => a.type))}`,
      );
    }
    return this.send(action);
  }

  async send(action: Action, turnId = `t${++turnCounter}`): Promise<Reply[]> {
    this.last = await this.engine.handle(this.turn({ id: turnId, action }));
    return this.last;
  }

  actions(): Action[] {
    return this.last.flatMap((r) => r.actions);
  }

  types(): string[] {
    return this.last.map((r) => r.type);
  }

  text(): string {
    return this.last.map((r) => r.text).join('\n');
  }

  /** The reply of this type in the last turn (fails the test if there is none). */
  reply<T extends Reply['type']>(type: T): Extract<Reply, { type: T }> {
    const found = this.last.find((r) => r.type === type);
    if (!found) throw new Error(`no ${type} reply; got ${JSON.stringify(this.types())}: ${this.text()}`);
    return found as Extract<Reply, { type: T }>;
  }

  /** The field the bot asks for now (last reply of type ask). */
  asking(): string | undefined {
    const ask = [...this.last].reverse().find((r) => r.type === 'ask');
    return ask?.type === 'ask' ? ask.field.name : undefined;
  }

  async conversation(): Promise<Conversation | undefined> {
    return this.stores.conversations.get(this.ref.conversationId);
  }

  private turn(parts: { id: string; text?: string; action?: Action }): Turn {
    return {
      id: parts.id,
      conversation: this.ref,
      customer: { id: this.customerId, name: 'Kim Kunde' },
      locale: this.locale,
      text: parts.text,
      action: parts.action,
      receivedAt: this.clock.now(),
    };
  }
}

/**
 * The first message the real Understanding judges as wanted ("ambiguous", "none"), so transcript
 * tests about the engine do not break when the matcher gets better at one phrasing.
 */
export async function pickMessage(
  kind: 'clear' | 'ambiguous' | 'none',
  messages: string[],
  thresholds: MatchThresholds = shippedThresholds(),
): Promise<string> {
  const matcher = await defaultUnderstanding();
  for (const message of messages) {
    const verdict = decideMatch(matcher.match(message), thresholds);
    if (verdict.kind !== kind) continue;
    if (kind === 'ambiguous' && verdict.kind === 'ambiguous' && verdict.options.some((o) => o.kind !== 'faq'))
      continue;
    return message;
  }
  throw new Error(`none of the messages is "${kind}" for the current matcher: ${messages.join(' | ')}`);
}
