import { describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../../src/admin/accounts/account-directory.ts';
import { TICKET_ACTION } from '../../../src/channels/slack/slack-action-codec.ts';
import { cardLocationOf } from '../../../src/channels/slack/ticket-card-publisher.ts';
import type { Ticket } from '../../../src/core/ticket.ts';
import {
  AGENT,
  AGENT_CHANNEL,
  NETWORK_CHANNEL,
  TEAM,
  THIRD_LEVEL_CHANNEL,
  useSlackFixture,
} from './slack-fixture.ts';

const AGENT2 = 'UAGENT2';

/** Every mrkdwn text in the blocks: where Slack would turn `<!channel>` into a ping. */
function mrkdwnOf(blocks: unknown[]): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
}

describe('Slack agents', () => {
  const fx = useSlackFixture((started) => started.slack.addUser(AGENT2, 'Hans Helfer', 'de-DE'));
  let customers = 0;

  /** A customer reports a problem through the form; returns the ticket and the customer's DM. */
  async function openTicket(summary: string): Promise<{ ticket: Ticket; dm: string; user: string }> {
    customers += 1;
    const user = `UCUST${customers}`;
    fx.slack.addUser(user, `Kunde ${customers}`, 'de-DE');
    await fx.interaction({
      type: 'shortcut',
      callback_id: 'report_problem',
      trigger_id: fx.nextId('trigger.'),
      team: { id: TEAM, domain: 'support' },
      user: { id: user, username: user.toLowerCase(), team_id: TEAM },
      token: 'legacy',
      action_ts: fx.nextTs(),
    });
    await fx.settle();
    const view = fx.lastOpenedView();
    await fx.submitView(
      view,
      {
        summary,
        system: 'VPN-Client',
        error: 'Fehler 809',
        since: 'seit heute',
        impact: { option: 'team' },
        urgency: { option: 'blocks' },
        contact: 'kunde@example.com',
      },
      user,
    );
    await fx.settle();
    const [ticket] = await fx.bot.stores.tickets.list({ customerId: `slack:${TEAM}:${user}` });
    if (!ticket) throw new Error('no ticket');
    return { ticket, dm: `D${user}`, user };
  }

  const card = async (id: string) => {
    const ticket = await fx.bot.stores.tickets.get(id);
    const at = ticket ? cardLocationOf(ticket) : undefined;
    if (!ticket || !at) throw new Error(`${id} has no card`);
    return { ticket, at, message: { channel: at.channel, ts: at.ts, blocks: [] as unknown[] } };
  };
  const lastUpdateOf = (ts: string) =>
    fx.slack
      .callsTo('chat.update')
      .filter((c) => c.args.ts === ts)
      .at(-1);

  it('posts one card per ticket in the queue channel: priority, SLA, details, transcript, candidates, actions', async () => {
    const { ticket } = await openTicket('VPN bricht ab <!channel> <@U0BOSS>');
    const posted = fx.posted(AGENT_CHANNEL);
    expect(posted).toHaveLength(1);
    const json = JSON.stringify(posted[0]?.blocks);
    expect(json).toContain(ticket.id);
    expect(json).toContain(ticket.priority);
    expect(json).toMatch(/<!date\^\d+\^/);
    expect(json).toContain('Fehler 809');
    expect(json).toContain('VPN bricht ab &lt;!channel&gt; &lt;@U0BOSS&gt;');
    // Mentions and links only work in mrkdwn (plain_text headers show them as typed).
    expect(mrkdwnOf(posted[0]?.blocks ?? [])).not.toMatch(/<!channel>|<@U0BOSS>/);
    expect(posted[0]?.text).not.toMatch(/<!channel>|<@U0BOSS>/);
    expect(json).toContain('Conversation (last');
    // The bot's candidates: FAQ entries considered for the problem, by title; never an intent.
    expect(json).toMatch(/Bot candidates: VPN verbindet nicht oder bricht ab \(0\.\d\d\)/);
    expect(ticket.candidates.map((c) => c.kind)).not.toContain('intent');
    for (const id of [
      TICKET_ACTION.claim,
      TICKET_ACTION.resolve,
      TICKET_ACTION.escalate,
      TICKET_ACTION.giveBack,
    ]) {
      expect(json).toContain(id);
    }
    const { at } = await card(ticket.id);
    expect(at).toEqual({ channel: AGENT_CHANNEL, ts: posted[0]?.ts });
  });

  it('posts a card once even when a second process sees the same ticket, and notes SLA warnings in its thread', async () => {
    const { ticket } = await openTicket('Netzlaufwerk fehlt');
    const { at } = await card(ticket.id);
    fx.slack.clear();
    const created = ticket.events.find((e) => e.type === 'created');
    if (!created) throw new Error('no created event');
    // A second process (or a retried turn) announces the same event again: the outbox knows it.
    await fx.bot.ticketEvents.onTicketEvent(ticket, created);
    // One whose earlier attempt was cut off after Slack took the card: the card is brought up to
    // date, not posted again.
    const stored = await fx.bot.stores.tickets.get(ticket.id);
    if (!stored) throw new Error('ticket gone');
    await fx.channel.cards.onTicketEvent(stored, created, { key: 'retry-of-created', retry: true });
    await fx.bot.ticketEvents.onTicketEvent(ticket, {
      at: fx.clock.now(),
      type: 'sla-warning',
      sla: 'reaction',
    });
    await fx.settle();
    const posted = fx.posted(AGENT_CHANNEL);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.thread_ts).toBe(at.ts);
    expect(posted[0]?.text).toContain('SLA warning');
    expect(lastUpdateOf(at.ts)).toBeDefined();
  });

  it('claims from the card (updated in place) and tells a second agent, only them, why not', async () => {
    const { ticket } = await openTicket('Drucker druckt leere Seiten');
    const { at, message } = await card(ticket.id);
    await fx.click(message, TICKET_ACTION.claim, ticket.id, AGENT);
    await fx.settle();
    expect(JSON.stringify(lastUpdateOf(at.ts)?.args.blocks)).toContain('claimed by Erika Agent');
    expect((await fx.bot.stores.tickets.get(ticket.id))?.assignee).toBe('Erika Agent');

    await fx.click(message, TICKET_ACTION.claim, ticket.id, AGENT2);
    await fx.settle();
    const [ephemeral] = fx.slack.callsTo('chat.postEphemeral');
    expect(ephemeral?.args).toMatchObject({ channel: AGENT_CHANNEL, user: AGENT2 });
    expect(String(ephemeral?.args.text)).toContain('already claimed');
  });

  it('lets a Slack member mapped to a console account act under the account’s name', async () => {
    await new AccountDirectory(fx.bot.stores, fx.clock).add(
      { name: 'Hans Müller', role: 'agent', slackUserId: AGENT2 },
      'test',
    );
    // Added by another directory (as another process would): the bot reads the mapping again
    // once its copy is two seconds old.
    fx.clock.advance(2_001);
    const { ticket } = await openTicket('Bildschirm bleibt schwarz');
    const { message } = await card(ticket.id);
    await fx.click(message, TICKET_ACTION.claim, ticket.id, AGENT2);
    await fx.settle();
    expect((await fx.bot.stores.tickets.get(ticket.id))?.assignee).toBe('Hans Müller');
  });

  it('relays an agent’s thread reply to the customer; a note: stays internal; customer words come back into the thread', async () => {
    const { ticket, dm, user } = await openTicket('Outlook startet nicht');
    const { at } = await card(ticket.id);
    fx.slack.clear();
    await fx.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text: 'Ich schaue mir das an. <!here>',
      ts: fx.nextTs(),
      thread_ts: at.ts,
    });
    await fx.settle();
    const relay = fx.posted(dm).at(-1);
    expect(JSON.stringify(relay?.blocks)).toContain('Erika Agent');
    expect(JSON.stringify(relay?.blocks)).toContain('Ich schaue mir das an. @here');
    expect(JSON.stringify(relay)).not.toContain('<!here>');
    // The agent's reply is already in the thread: it is not posted there again.
    expect(fx.posted(AGENT_CHANNEL, at.ts)).toEqual([]);

    fx.slack.clear();
    await fx.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text: 'note: Kunde hat Version 4.2',
      ts: fx.nextTs(),
      thread_ts: at.ts,
    });
    await fx.settle();
    expect(fx.posted(dm)).toEqual([]);
    const stored = await fx.bot.stores.tickets.get(ticket.id);
    expect(stored?.events.at(-1)).toMatchObject({ type: 'internal-note', text: 'Kunde hat Version 4.2' });

    await fx.dm('Danke! Es kommt <!channel> Fehler 0x80 <https://evil.example|hier>', user, dm);
    await fx.settle();
    const mirrored = fx.posted(AGENT_CHANNEL, at.ts).at(-1);
    const json = JSON.stringify(mirrored?.blocks);
    expect(json).toContain('Kunde');
    expect(json).toContain('Fehler 0x80');
    expect(json).not.toMatch(/<!channel>|<https:\/\/evil/);
    // The bot does not answer a customer a person is talking to.
    expect(fx.posted(dm)).toEqual([]);
  });

  it('ignores top-level chatter and the bot’s own thread posts in agent channels', async () => {
    await fx.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text: 'Kaffee?',
      ts: fx.nextTs(),
    });
    await fx.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      channel_type: 'channel',
      user: fx.slack.identity.botUserId,
      bot_id: fx.slack.identity.botId,
      text: 'echo',
      ts: fx.nextTs(),
      thread_ts: '1.1',
    });
    await fx.settle();
    expect(fx.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('escalates to another queue’s channel (the card moves) and then to third level', async () => {
    const { ticket } = await openTicket('VPN-Gateway nicht erreichbar');
    const { at, message } = await card(ticket.id);
    await fx.click(message, TICKET_ACTION.escalate, ticket.id, AGENT);
    await fx.settle();
    const view = fx.lastOpenedView();
    expect(view.callback_id).toBe('sb_escalate_modal');
    const targets = view.blocks[0]?.element?.options?.map((o) => o.value);
    expect(targets).toEqual(expect.arrayContaining(['network', 'level-3']));
    expect(targets).not.toContain(ticket.queue);

    const missing = await fx.submitView(view, {}, AGENT);
    expect(missing.json()).toMatchObject({
      response_action: 'errors',
      errors: { target: expect.any(String) },
    });

    const ok = await fx.submitView(view, { target: { option: 'network' }, reason: 'Gateway-Thema' }, AGENT);
    expect(ok.text).toBe('');
    await fx.settle();
    expect(JSON.stringify(lastUpdateOf(at.ts)?.args.blocks)).toContain(`<#${NETWORK_CHANNEL}>`);
    const moved = await card(ticket.id);
    expect(moved.at.channel).toBe(NETWORK_CHANNEL);
    expect(JSON.stringify(fx.posted(NETWORK_CHANNEL).at(-1)?.blocks)).toContain(ticket.id);

    await fx.click(moved.message, TICKET_ACTION.escalate, ticket.id, AGENT);
    await fx.settle();
    const second = fx.lastOpenedView();
    await fx.submitView(second, { target: { option: 'level-3' } }, AGENT);
    await fx.settle();
    const third = await card(ticket.id);
    expect(third.at.channel).toBe(THIRD_LEVEL_CHANNEL);
    expect(third.ticket.level).toBe(3);
  });

  it('resolves from the card: the card shows it, the customer hears it', async () => {
    const { ticket, dm } = await openTicket('Passwort abgelaufen');
    const { at, message } = await card(ticket.id);
    await fx.click(message, TICKET_ACTION.claim, ticket.id, AGENT);
    await fx.settle();
    fx.slack.clear();
    await fx.click(message, TICKET_ACTION.resolve, ticket.id, AGENT);
    await fx.settle();
    const blocks = JSON.stringify(lastUpdateOf(at.ts)?.args.blocks);
    expect(blocks).toContain('resolved');
    expect(blocks).not.toContain(TICKET_ACTION.claim);
    expect(fx.posted(dm).length).toBeGreaterThan(0);
    expect((await fx.bot.stores.tickets.get(ticket.id))?.status).toBe('resolved');
  });

  it('gives a ticket back to the bot', async () => {
    const { ticket, user } = await openTicket('Frage zur Rechnung');
    const { at, message } = await card(ticket.id);
    await fx.click(message, TICKET_ACTION.giveBack, ticket.id, AGENT);
    await fx.settle();
    const blocks = JSON.stringify(lastUpdateOf(at.ts)?.args.blocks);
    expect(blocks).toContain('given-back');
    // Closed, but not as solved: the card says so.
    expect(blocks).toContain('returned to the bot');
    expect(blocks).not.toContain(':white_check_mark: resolved');
    const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:D${user}`);
    expect(conversation?.owner).toBe('bot');
  });

  it('"Save as FAQ" on an agent reply files a proposal for the curators', async () => {
    const { ticket } = await openTicket('WLAN im Besprechungsraum weg');
    const { at } = await card(ticket.id);
    const replyTs = fx.nextTs();
    await fx.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      channel_type: 'channel',
      user: AGENT,
      text: 'Bitte mit dem Netz „Gast“ verbinden und neu anmelden.',
      ts: replyTs,
      thread_ts: at.ts,
    });
    await fx.settle();
    await fx.interaction({
      type: 'message_action',
      callback_id: 'save_as_faq',
      trigger_id: fx.nextId('trigger.'),
      team: { id: TEAM, domain: 'support' },
      user: { id: AGENT, username: 'erika', team_id: TEAM },
      channel: { id: AGENT_CHANNEL, name: 'support-general' },
      message: {
        type: 'message',
        user: AGENT,
        ts: replyTs,
        thread_ts: at.ts,
        text: 'Bitte mit dem Netz „Gast“ verbinden und neu anmelden.',
      },
      message_ts: replyTs,
      response_url: fx.slack.responseUrl(),
      token: 'legacy',
      action_ts: fx.nextTs(),
    });
    await fx.settle();
    const view = fx.lastOpenedView();
    expect(view.callback_id).toBe('sb_save_faq_modal');
    const initial = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element?.initial_value]));
    expect(initial.question).toBe('WLAN im Besprechungsraum weg');
    expect(initial.answer).toContain('Gast');

    const res = await fx.submitView(
      view,
      {
        question: 'WLAN im Besprechungsraum weg',
        answer: 'Bitte mit dem Netz „Gast“ verbinden und neu anmelden.',
        language: { option: 'de' },
      },
      AGENT,
    );
    expect(res.json()).toMatchObject({ response_action: 'update' });
    const open = await fx.bot.stores.unanswered.list('open');
    expect(open.find((q) => q.proposedAnswer?.ticketId === ticket.id)).toMatchObject({
      text: 'WLAN im Besprechungsraum weg',
      proposedAnswer: { by: 'Erika Agent' },
    });
  });
});
