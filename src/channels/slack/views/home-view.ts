import type { types } from '@slack/bolt';
import type { Language } from '../../../core/language.ts';
import type { Feedback, UnansweredQuestion } from '../../../core/ports.ts';
import { shownStatus, type Ticket } from '../../../core/ticket.ts';
import type { DailyStats } from '../../../handoff/collect-stats.ts';
import { button, context, header, mrkdwn, section } from '../blocks/block-kit.ts';
import { slackDate } from '../blocks/ticket-card-blocks.ts';
import { ADMIN_ACTION } from '../slack-action-codec.ts';
import { label } from '../slack-labels.ts';
import { escapeMrkdwn, truncate } from '../slack-text.ts';

export interface AdminHomeData {
  stats: DailyStats;
  unanswered: UnansweredQuestion[];
  negativeFeedback: Feedback[];
  /** Entry id → title, for feedback lines. */
  entryTitle: (entryId: string) => string;
}

const LIST_LENGTH = 10;

/** App Home for admins: today's figures, the unanswered questions, recent 👎, "Add FAQ". */
export function buildAdminHome(data: AdminHomeData): types.HomeView {
  const { stats } = data;
  const counters = Object.entries(stats.counters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${escapeMrkdwn(name)}: *${value}*`);
  const blocks: types.KnownBlock[] = [
    header('Support — curation'),
    {
      type: 'actions',
      block_id: 'sb_admin',
      elements: [
        button('Add FAQ', ADMIN_ACTION.addFaq, 'add', 'primary'),
        button('Refresh', ADMIN_ACTION.refreshHome, 'refresh'),
      ],
    },
    section(`*Today (${stats.day}, UTC)*`),
    {
      type: 'section',
      fields: [
        mrkdwn(`*Tickets created*\n${stats.tickets.createdToday}`),
        mrkdwn(`*Resolved*\n${stats.tickets.resolvedToday}`),
        mrkdwn(`*Returned to the bot*\n${stats.tickets.returnedToday}`),
        mrkdwn(`*Waiting / claimed*\n${stats.tickets.queued} / ${stats.tickets.claimed}`),
        mrkdwn(`*SLA breached*\n${stats.tickets.breached}`),
        mrkdwn(`*Feedback 👍 / 👎*\n${stats.feedbackToday.helpful} / ${stats.feedbackToday.notHelpful}`),
        mrkdwn(`*Unanswered (open)*\n${stats.unansweredOpen}`),
      ],
    },
  ];
  if (counters.length > 0) blocks.push(context(counters.join(' · ')));
  blocks.push({ type: 'divider' }, section(`*Unanswered questions* (${data.unanswered.length})`));
  if (data.unanswered.length === 0) blocks.push(context('Nothing open. :tada:'));
  for (const q of data.unanswered.slice(0, LIST_LENGTH)) {
    const guess = q.bestGuess
      ? ` · best guess ${escapeMrkdwn(q.bestGuess.id)} (${q.bestGuess.score.toFixed(2)})`
      : '';
    blocks.push(
      section(`>${escapeMrkdwn(truncate(q.text, 300))}\n${q.language} · ${slackDate(q.at)}${guess}`),
    );
  }
  blocks.push({ type: 'divider' }, section(`*Recent negative feedback* (${data.negativeFeedback.length})`));
  if (data.negativeFeedback.length === 0) blocks.push(context('No 👎 lately.'));
  for (const f of data.negativeFeedback.slice(0, LIST_LENGTH)) {
    const reason = f.reason ? `\n_${escapeMrkdwn(truncate(f.reason, 200))}_` : '';
    const question = f.question ? `\n>${escapeMrkdwn(truncate(f.question, 200))}` : '';
    blocks.push(
      section(
        `*${escapeMrkdwn(data.entryTitle(f.entryId))}* · ${f.language} · ${slackDate(f.at)}${question}${reason}`,
      ),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** App Home for everyone else: how to ask, and their own tickets. */
export function buildCustomerHome(tickets: Ticket[], language: Language): types.HomeView {
  const blocks: types.KnownBlock[] = [
    header('Support'),
    section(label('homeIntro', language)),
    { type: 'divider' },
  ];
  blocks.push(section(`*${label('yourTickets', language)}*`));
  if (tickets.length === 0) blocks.push(context(label('noTickets', language)));
  for (const t of tickets.slice(0, 20)) {
    const summary = escapeMrkdwn(truncate(t.details.summary ?? '', 200));
    blocks.push(
      section(
        `*${escapeMrkdwn(t.id)}* · ${shownStatus(t)} · ${t.priority} · ${slackDate(t.createdAt)}\n${summary}`,
      ),
    );
  }
  return { type: 'home', blocks };
}
