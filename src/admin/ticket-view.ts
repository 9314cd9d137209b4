import type { AttachmentUrls } from '../core/attachment.ts';
import type { TranscriptLine } from '../core/conversation.ts';
import type { Language } from '../core/language.ts';
import type { Ticket, TicketEvent } from '../core/ticket.ts';
import type { ChannelKind, Customer } from '../core/turn.ts';
import type { DetailLabel, Localized, SupportLabels } from './support-labels.ts';

/**
 * Who the customer is, for people: the name the platform gave (Slack, Teams), else a short
 * reference the console words per language ("Web visitor 3f9a"). Never the raw `web:<uuid>`.
 */
export interface CustomerLabel {
  name?: string | undefined;
  channel: ChannelKind;
  /** The last four letters or digits of the customer's id: enough to tell two visitors apart. */
  ref: string;
}

/** One line of the ticket's conversation, oldest first: a message, or a change of the ticket. */
export type ThreadItem =
  | {
      kind: 'message';
      at: number;
      from: TranscriptLine['from'];
      /** The agent's name on agent lines. */
      name?: string | undefined;
      text: string;
      /** An agent's note the customer never saw. */
      internal?: true | undefined;
    }
  | {
      kind: 'status';
      at: number;
      event: Exclude<TicketEvent['type'], 'customer-message' | 'agent-message' | 'internal-note'>;
      /** The agent who did it (claimed, escalated, given back, resolved). */
      by?: string | undefined;
      /** created: why the hand-off happened (`person`, `not-understood`, `not-helpful`, `form`). */
      reason?: string | undefined;
      /** resolved: the resolution note; escalated: the (internal) reason. */
      note?: string | undefined;
      /** escalated: where to. */
      queue?: Localized | undefined;
      level?: 2 | 3 | undefined;
      /** sla-warning / sla-breached: which clock. */
      sla?: 'reaction' | 'resolution' | undefined;
      /** rated: the customer's 1–5. */
      rating?: number | undefined;
    };

/** An FAQ entry the bot considered, titled in both languages. */
export interface CandidateLabel {
  id: string;
  score: number;
  title: Localized;
}

/** The FAQ's titles as the knowledge has them now (an entry may have been renamed since). */
export interface FaqTitles {
  get(id: string, language: Language): { title: string } | undefined;
}

/** What the console shows of a ticket beyond its raw record: every code turned into words. */
export interface TicketView {
  customer: CustomerLabel;
  queueName: Localized;
  details: DetailLabel[];
  thread: ThreadItem[];
  candidates: CandidateLabel[];
  /** The files the customer sent, each with a signed link to open it (absent without links). */
  files: FileLabel[];
}

export interface FileLabel {
  name: string;
  contentType: string;
  size: number;
  url?: string | undefined;
}

const AGENT_EVENTS = new Set<TicketEvent['type']>([
  'claimed',
  'escalated',
  'given-back',
  'resolved',
  'personal-data-erased',
  'reopened',
]);

export function customerLabel(customer: Customer, channel: ChannelKind): CustomerLabel {
  const lastPart = customer.id.split(':').pop() ?? customer.id;
  const ref = lastPart
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-4)
    .toLowerCase();
  return { name: customer.name?.trim() || undefined, channel, ref: ref || '?' };
}

function eventItem(event: TicketEvent, labels: SupportLabels): ThreadItem {
  switch (event.type) {
    case 'customer-message':
      return { kind: 'message', at: event.at, from: 'customer', text: event.text ?? '' };
    case 'agent-message':
      return { kind: 'message', at: event.at, from: 'agent', name: event.by, text: event.text ?? '' };
    case 'internal-note':
      return {
        kind: 'message',
        at: event.at,
        from: 'agent',
        name: event.by,
        text: event.text ?? '',
        internal: true,
      };
    default: {
      const rating = event.type === 'rated' ? Number(event.text) : Number.NaN;
      return {
        kind: 'status',
        at: event.at,
        event: event.type,
        // Customer-driven events (cancelled, rated) carry the customer's raw id as `by`.
        by: AGENT_EVENTS.has(event.type) ? event.by : undefined,
        reason: event.type === 'created' ? event.text : undefined,
        note: event.type === 'resolved' || event.type === 'escalated' ? event.text : undefined,
        queue: event.type === 'escalated' && event.queue ? labels.queueName(event.queue) : undefined,
        level: event.type === 'escalated' ? event.level : undefined,
        sla: event.sla,
        rating: Number.isInteger(rating) ? rating : undefined,
      };
    }
  }
}

/**
 * The ticket's one conversation, oldest first: what was said before the hand-off (the ticket's
 * transcript), then what the customer and agents wrote and what happened to the ticket (its events).
 */
export function ticketThread(ticket: Ticket, labels: SupportLabels): ThreadItem[] {
  const before: ThreadItem[] = ticket.transcript.map((line) => ({
    kind: 'message',
    at: line.at,
    from: line.from,
    name: line.from === 'agent' ? line.name : undefined,
    text: line.text,
  }));
  const after = ticket.events.map((event) => eventItem(event, labels));
  // A stable sort: lines with one timestamp keep the order they were written in.
  return [...before, ...after].sort((a, b) => a.at - b.at);
}

/** An entry's title in both languages; `fallback` (its id, or a stored title) when the FAQ lacks it. */
export function faqTitle(faq: FaqTitles | undefined, id: string, fallback: string): Localized {
  return { de: faq?.get(id, 'de')?.title ?? fallback, en: faq?.get(id, 'en')?.title ?? fallback };
}

/**
 * The FAQ entries among the bot's candidates, titled in both languages. Intents ("talk to a
 * person") are how the customer asked, not what the problem is about, so they are left out.
 */
export function faqCandidates(ticket: Ticket, faq: FaqTitles | undefined): CandidateLabel[] {
  return ticket.candidates
    .filter((c) => c.kind === 'faq' && !c.id.startsWith('intent:'))
    .map((c) => ({ id: c.id, score: c.score, title: faqTitle(faq, c.id, c.title) }));
}

export function ticketView(
  ticket: Ticket,
  labels: SupportLabels,
  faq: FaqTitles | undefined,
  fileUrls?: AttachmentUrls | undefined,
): TicketView {
  return {
    customer: customerLabel(ticket.customer, ticket.conversation.channel),
    queueName: labels.queueName(ticket.queue),
    details: labels.details(ticket.details),
    thread: ticketThread(ticket, labels),
    candidates: faqCandidates(ticket, faq),
    files: (ticket.attachments ?? []).map((a) => ({
      name: a.name,
      contentType: a.contentType,
      size: a.size,
      url: fileUrls?.url(a),
    })),
  };
}
