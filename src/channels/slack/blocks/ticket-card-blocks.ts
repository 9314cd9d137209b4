import type { types } from '@slack/bolt';
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
import { TICKET_ACTION } from '../slack-action-codec.ts';
import { escapeMrkdwn, quoteUserText, truncate } from '../slack-text.ts';
import {
  type Block,
  button,
  context,
  fallback,
  header,
  mrkdwn,
  type SlackMessage,
  section,
} from './block-kit.ts';

export interface TicketCardOptions {
  /** Queue id → readable name. */
  queueName: (queueId: string) => string;
  /** Detail field name → label (the form's English label). */
  fieldLabel: (field: string) => string;
  now: number;
  /** Transcript lines shown on the card. */
  transcriptLines?: number | undefined;
  /** A signed link to a customer's file; without it files are listed by name only. */
  attachmentUrl?: ((attachment: Attachment) => string) | undefined;
}

/** Slack renders this in each reader's own time zone; the fallback is for old clients. */
export function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

const STATUS_ICON: Record<ShownStatus, string> = {
  queued: ':hourglass_flowing_sand:',
  claimed: ':technologist:',
  resolved: ':white_check_mark:',
  cancelled: ':no_entry_sign:',
  returned: ':leftwards_arrow_with_hook:',
};

const SLA_ICON = {
  met: ':white_check_mark: met',
  late: ':warning: late',
  due: ':large_green_circle:',
  overdue: ':red_circle: overdue since',
} as const;

function slaLine(due: number, metAt: number | undefined, now: number, open: boolean): string {
  const standing = slaStanding(due, metAt, now, open);
  if (standing === 'met' || standing === 'late') return `${SLA_ICON[standing]} (due ${slackDate(due)})`;
  if (standing === 'closed') return `due ${slackDate(due)}`;
  return `${SLA_ICON[standing]} ${slackDate(due)}`;
}

function statusText(ticket: Ticket): string {
  const status = shownStatus(ticket);
  const icon = STATUS_ICON[status];
  if (status === 'claimed' && ticket.assignee) return `${icon} claimed by ${escapeMrkdwn(ticket.assignee)}`;
  if (status === 'returned') return `${icon} returned to the bot`;
  return `${icon} ${status}`;
}

function eventLine(event: TicketEvent): string {
  return `${lastChangeText(event, escapeMrkdwn)}, ${slackDate(event.at)}`;
}

/**
 * The ticket card in the queue's agent channel: priority, SLA clocks, the intake details, a
 * transcript excerpt and the matcher's candidates, with the actions the status allows. Every
 * customer word on it is escaped. Re-rendered (chat.update) whenever the ticket changes.
 */
export function renderTicketCard(ticket: Ticket, options: TicketCardOptions): SlackMessage {
  const open = isOpenTicket(ticket);
  const summary = ticketSummary(ticket);
  const blocks: Block[] = [
    header(`${ticket.id} · ${ticket.priority} · ${truncate(summary, 100) || ticket.queue}`),
  ];
  const level = ticket.level === 3 ? ' (third level)' : '';
  blocks.push({
    type: 'section',
    fields: [
      mrkdwn(`*Status*\n${statusText(ticket)}`),
      mrkdwn(
        `*Priority*\n${ticket.priority}${ticket.escalationRequestedAt !== undefined ? ' · :rotating_light: customer asks to escalate' : ''}`,
      ),
      mrkdwn(`*Queue*\n${escapeMrkdwn(options.queueName(ticket.queue))}${level}`),
      mrkdwn(`*Customer*\n${escapeMrkdwn(customerLine(ticket.customer))} (${ticket.language})`),
      mrkdwn(`*Reaction*\n${slaLine(ticket.reactionDueAt, ticket.firstReactionAt, options.now, open)}`),
      mrkdwn(`*Resolution*\n${slaLine(ticket.resolutionDueAt, ticket.resolvedAt, options.now, open)}`),
    ],
  });

  const details = Object.entries(ticket.details).filter(([, v]) => v.trim() !== '');
  if (details.length > 0) {
    const lines = details.map(
      ([k, v]) => `*${escapeMrkdwn(options.fieldLabel(k))}:* ${escapeMrkdwn(truncate(v, 400))}`,
    );
    blocks.push(section(lines.join('\n')));
  }
  if (ticket.billable)
    blocks.push(context(`:moneybag: Billable extended support: ${billableConsentText(ticket)}`));

  const excerpt = ticket.transcript.slice(-(options.transcriptLines ?? 6));
  if (excerpt.length > 0) {
    const lines = excerpt.map((l) => {
      const who = l.from === 'agent' && l.name ? escapeMrkdwn(l.name) : l.from;
      return `*${who}:*\n${quoteUserText(truncate(l.text, 300))}`;
    });
    blocks.push(section(`*Conversation (last ${excerpt.length})*\n${lines.join('\n')}`));
  }
  const files = ticket.attachments ?? [];
  if (files.length > 0) {
    const list = files.slice(-10).map((f) => {
      const name = escapeMrkdwn(f.name).replace(/\|/g, '¦');
      const size = `${Math.max(1, Math.round(f.size / 1000))} kB`;
      return options.attachmentUrl ? `<${options.attachmentUrl(f)}|${name}> (${size})` : `${name} (${size})`;
    });
    blocks.push(section(`:paperclip: *Files from the customer*\n${list.join('\n')}`));
  }
  // FAQ entries only: tickets opened by older versions may also hold intents ("talk to a person").
  const entries = ticket.candidates.filter((c) => c.kind === 'faq');
  if (entries.length > 0) {
    const list = entries
      .slice(0, 5)
      .map((c) => `${escapeMrkdwn(c.title)} (${c.score.toFixed(2)})`)
      .join(' · ');
    blocks.push(context(`:mag: Bot candidates: ${list}`));
  }

  const buttons = ticketButtons(ticket);
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: `sb_ticket_${ticket.id}`, elements: buttons });
  const last = ticket.events.at(-1);
  if (last) blocks.push(context(eventLine(last)));
  return {
    text: fallback(`${ticket.id} (${ticket.priority}, ${ticket.status}): ${escapeMrkdwn(summary)}`),
    blocks,
  };
}

function ticketButtons(ticket: Ticket): types.Button[] {
  const id = ticket.id;
  if (ticket.status === 'queued') {
    return [
      button('Claim', TICKET_ACTION.claim, id, 'primary'),
      button('Resolve', TICKET_ACTION.resolve, id),
      button('Escalate', TICKET_ACTION.escalate, id),
      button('Give back to bot', TICKET_ACTION.giveBack, id),
    ];
  }
  if (ticket.status === 'claimed') {
    return [
      button('Resolve', TICKET_ACTION.resolve, id, 'primary'),
      button('Escalate', TICKET_ACTION.escalate, id),
      button('Give back to bot', TICKET_ACTION.giveBack, id),
      button('Save as FAQ', TICKET_ACTION.saveAsFaq, id),
    ];
  }
  if (ticket.status === 'resolved') return [button('Save as FAQ', TICKET_ACTION.saveAsFaq, id)];
  return [];
}

/** A customer's message mirrored into the ticket thread, escaped. */
export function renderMirroredCustomerMessage(ticket: Ticket, text: string): SlackMessage {
  const who = escapeMrkdwn(ticket.customer.name ?? 'Customer');
  return {
    text: fallback(`${who}: ${escapeMrkdwn(text)}`),
    blocks: [context(`:speech_balloon: *${who}* (customer) wrote:`), section(quoteUserText(text))],
  };
}

/** A line in the ticket thread about something that happened (SLA warning, escalation). */
export function renderThreadNotice(text: string): SlackMessage {
  return { text: fallback(text), blocks: [context(text)] };
}
