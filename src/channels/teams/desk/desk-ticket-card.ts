import type { Attachment } from '../../../core/attachment.ts';
import { type ShownStatus, shownStatus, type Ticket, type TicketEvent } from '../../../core/ticket.ts';
import {
  billableConsentText,
  customerLine,
  isOpenTicket,
  lastChangeText,
  slaStanding,
  ticketSummary,
} from '../../../handoff/ticket-card-content.ts';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardAction,
  type CardElement,
  factSet,
  type ShowCardAction,
  textBlock,
} from '../cards/adaptive-card.ts';
import { plainBlock, truncate } from '../cards/card-text.ts';
import {
  deskAction,
  ESCALATE_REASON_INPUT,
  ESCALATE_TARGET_INPUT,
  FAQ_ANSWER_INPUT,
  FAQ_QUESTION_INPUT,
  THIRD_LEVEL_TARGET,
} from './desk-card-codec.ts';

export interface DeskCardOptions {
  /** Queue id → readable name. */
  queueName: (queueId: string) => string;
  /** The queues a ticket can be escalated to. */
  queues: string[];
  /** Detail field name → label (the form's English label). */
  fieldLabel: (field: string) => string;
  now: number;
  /** Transcript lines shown on the card. */
  transcriptLines?: number | undefined;
  /** A line on top, for the agent who clicked: why a click was refused, or that it was done. */
  banner?: { tone: 'problem' | 'done'; text: string } | undefined;
  /** A signed link to a customer's file; without it files are listed by name only. */
  attachmentUrl?: ((attachment: Attachment) => string) | undefined;
}

/**
 * Adaptive Card date functions: Teams shows each reader the time in their own time zone. They
 * want RFC 3339 without fractions of a second, and work in TextBlocks (not in facts).
 */
export function cardDate(ms: number): string {
  const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

const STATUS_ICON: Record<ShownStatus, string> = {
  queued: '⏳',
  claimed: '🧑‍💻',
  resolved: '✅',
  cancelled: '🚫',
  returned: '↩️',
};

function statusText(ticket: Ticket): string {
  const status = shownStatus(ticket);
  const icon = STATUS_ICON[status];
  if (status === 'claimed' && ticket.assignee) return `${icon} claimed by ${oneLine(ticket.assignee)}`;
  if (status === 'returned') return `${icon} returned to the bot`;
  return `${icon} ${status}`;
}

const SLA_ICON = { met: '✅ met', late: '⚠️ late', due: '🟢 due', overdue: '🔴 overdue since' } as const;

function slaText(due: number, metAt: number | undefined, now: number, open: boolean): string {
  const standing = slaStanding(due, metAt, now, open);
  if (standing === 'met' || standing === 'late') return `${SLA_ICON[standing]} (due ${cardDate(due)})`;
  if (standing === 'closed') return `due ${cardDate(due)}`;
  return `${SLA_ICON[standing]} ${cardDate(due)}`;
}

/** Names and values typed by people go into facts and headings on one line, without card functions. */
function oneLine(text: string, max = 200): string {
  return linksShown(truncate(text.replace(/\s+/g, ' ').trim(), max)).replace(/\{\{/g, '{\u200b{');
}

/**
 * A Markdown link typed by a customer shows where it goes (`label (https://…)`): an agent must
 * never click a disguised link. Cards show a backslash literally, so escaping is no way out here.
 */
function linksShown(text: string): string {
  return text.replace(/\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)/g, (_all, label: string, url: string) =>
    label.trim() && label.trim() !== url ? `${label} (${url})` : url,
  );
}

/** Someone's text on its own lines: as written, its links showing where they go. */
function typedBlock(text: string, style: Parameters<typeof plainBlock>[1] = {}) {
  return plainBlock(linksShown(text), style);
}

function eventLine(event: TicketEvent): string {
  return `${lastChangeText(event, (text) => oneLine(text, 100))}, ${cardDate(event.at)}`;
}

/**
 * The ticket card in a queue's Teams channel: priority, SLA clocks, the intake details, a
 * transcript excerpt and the FAQ entries the bot considered, with the buttons the status allows
 * (Claim, Resolve, Escalate with its target, Give back to the bot). Redrawn in place on every
 * change of the ticket, from whichever tool it came.
 */
export function renderDeskTicketCard(ticket: Ticket, options: DeskCardOptions): AdaptiveCard {
  const open = isOpenTicket(ticket);
  const summary = ticketSummary(ticket);
  const body: CardElement[] = [];
  if (options.banner?.tone === 'problem') {
    body.push(textBlock(`⛔ ${oneLine(options.banner.text, 300)}`, { color: 'attention' }));
  } else if (options.banner) {
    body.push(textBlock(`✅ ${oneLine(options.banner.text, 300)}`, { color: 'good' }));
  }
  body.push(
    textBlock(`${ticket.id} · ${ticket.priority} · ${oneLine(summary, 100) || ticket.queue}`, {
      weight: 'bolder',
      size: 'medium',
    }),
  );
  const asked = ticket.escalationRequestedAt !== undefined ? ' · 🚨 customer asks to escalate' : '';
  body.push(
    factSet([
      { title: 'Status', value: statusText(ticket) },
      { title: 'Priority', value: `${ticket.priority}${asked}` },
      {
        title: 'Queue',
        value: `${oneLine(options.queueName(ticket.queue))}${ticket.level === 3 ? ' (third level)' : ''}`,
      },
      {
        title: 'Customer',
        value: `${oneLine(customerLine(ticket.customer))} (${ticket.language})`,
      },
    ]),
  );
  for (const [clock, due, metAt] of [
    ['Reaction', ticket.reactionDueAt, ticket.firstReactionAt],
    ['Resolution', ticket.resolutionDueAt, ticket.resolvedAt],
  ] as const) {
    body.push(textBlock(`${clock}: ${slaText(due, metAt, options.now, open)}`, { spacing: 'small' }));
  }
  const details = Object.entries(ticket.details).filter(([, v]) => v.trim() !== '');
  if (details.length > 0) {
    body.push(
      factSet(
        details.map(([k, v]) => ({ title: oneLine(options.fieldLabel(k), 60), value: oneLine(v, 400) })),
      ),
    );
  }
  if (ticket.billable) {
    body.push(
      textBlock(`💰 Billable extended support: ${billableConsentText(ticket)}`, {
        isSubtle: true,
        size: 'small',
      }),
    );
  }
  const excerpt = ticket.transcript.slice(-(options.transcriptLines ?? 6));
  if (excerpt.length > 0) {
    body.push(textBlock(`Conversation (last ${excerpt.length})`, { weight: 'bolder', spacing: 'medium' }));
    for (const line of excerpt) {
      const who = line.from === 'agent' && line.name ? oneLine(line.name, 60) : line.from;
      body.push(typedBlock(`${who}: ${truncate(line.text, 300)}`, { spacing: 'small' }));
    }
  }
  const files = (ticket.attachments ?? []).slice(-10);
  if (files.length > 0) {
    // Markdown links: a name's brackets would end the link text early.
    const list = files.map((f) => {
      const name = oneLine(f.name, 120).replace(/[[\]()]/g, '_');
      return options.attachmentUrl ? `[${name}](${options.attachmentUrl(f)})` : name;
    });
    body.push(textBlock(`📎 Files from the customer: ${list.join(', ')}`, { spacing: 'medium' }));
  }
  const entries = ticket.candidates.filter((c) => c.kind === 'faq');
  if (entries.length > 0) {
    const list = entries
      .slice(0, 5)
      .map((c) => `${oneLine(c.title, 80)} (${c.score.toFixed(2)})`)
      .join(' · ');
    body.push(textBlock(`🔍 Bot candidates: ${list}`, { isSubtle: true, size: 'small' }));
  }
  if (open) body.push(...escalateInputs(ticket, options));
  const last = ticket.events.at(-1);
  if (last) body.push(textBlock(eventLine(last), { isSubtle: true, size: 'small', spacing: 'medium' }));
  return adaptiveCard(body, deskButtons(ticket));
}

function escalateInputs(ticket: Ticket, options: DeskCardOptions): CardElement[] {
  const choices = options.queues
    .filter((q) => q !== ticket.queue)
    .map((q) => ({ title: oneLine(options.queueName(q), 60), value: q }));
  if (ticket.level !== 3) choices.push({ title: 'Third-level support', value: THIRD_LEVEL_TARGET });
  if (choices.length === 0) return [];
  return [
    {
      type: 'Input.ChoiceSet',
      id: ESCALATE_TARGET_INPUT,
      label: 'Escalate to',
      isRequired: false,
      style: 'compact',
      choices,
    },
    {
      type: 'Input.Text',
      id: ESCALATE_REASON_INPUT,
      label: 'Reason (internal note)',
      isRequired: false,
      maxLength: 1000,
    },
  ];
}

/**
 * "Save as FAQ" opens below the buttons for the agent who clicked: the customer's question and the
 * agent's last answer, editable, filed for the curators with one more click.
 */
function saveAsFaq(ticket: Ticket): ShowCardAction {
  const answer = ticket.events.filter((e) => e.type === 'agent-message' && e.text).at(-1)?.text ?? '';
  const form = adaptiveCard(
    [
      {
        type: 'Input.Text',
        id: FAQ_QUESTION_INPUT,
        label: 'Question',
        isRequired: true,
        errorMessage: 'Say which question the answer is for.',
        maxLength: 1000,
        value: truncate(ticketSummary(ticket), 1000),
      },
      {
        type: 'Input.Text',
        id: FAQ_ANSWER_INPUT,
        label: 'Answer',
        isRequired: true,
        errorMessage: 'Write the answer.',
        isMultiline: true,
        maxLength: 20_000,
        value: answer,
      },
    ],
    [deskAction('File for the curators', 'save-faq', ticket.id, true)],
  );
  return { type: 'Action.ShowCard', title: 'Save as FAQ', card: form };
}

function deskButtons(ticket: Ticket): CardAction[] {
  const id = ticket.id;
  if (ticket.status === 'queued') {
    return [
      deskAction('Claim', 'claim', id, true),
      deskAction('Resolve', 'resolve', id),
      deskAction('Escalate', 'escalate', id),
      deskAction('Give back to the bot', 'give-back', id),
    ];
  }
  if (ticket.status === 'claimed') {
    return [
      deskAction('Resolve', 'resolve', id, true),
      deskAction('Escalate', 'escalate', id),
      deskAction('Give back to the bot', 'give-back', id),
      saveAsFaq(ticket),
    ];
  }
  if (ticket.status === 'resolved') return [saveAsFaq(ticket)];
  return [];
}

/** A line in the ticket's thread: a customer's message, a note from elsewhere, an SLA warning. */
export function renderThreadCard(heading: string, text?: string): AdaptiveCard {
  const body: CardElement[] = [textBlock(oneLine(heading, 300), { weight: 'bolder', size: 'small' })];
  if (text) body.push(typedBlock(text, { spacing: 'small' }));
  return adaptiveCard(body);
}

/** What the old card says once the ticket went to another channel. */
export function renderMovedCard(ticket: Ticket, where: string, by: string | undefined): AdaptiveCard {
  return adaptiveCard([
    textBlock(`${ticket.id} · moved`, { weight: 'bolder', size: 'medium' }),
    textBlock(`➡️ Escalated to ${oneLine(where, 100)}${by ? ` by ${oneLine(by, 100)}` : ''}`, {
      isSubtle: true,
    }),
  ]);
}
