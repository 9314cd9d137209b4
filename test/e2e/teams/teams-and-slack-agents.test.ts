import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_ACTION } from '../../../src/channels/slack/slack-action-codec.ts';
import { startTeamsChannel, type TeamsChannel } from '../../../src/channels/teams/start-teams-channel.ts';
import { SlaWatcher } from '../../../src/handoff/sla-watcher.ts';
import { TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';
import { AGENT, AGENT_CHANNEL, SlackFixture, TEAM } from '../slack/slack-fixture.ts';
import { GENERAL_CHANNEL, TeamsAgent, threadTexts, waitForCard } from './teams-agent-driver.ts';
import { cardOf, cardText, postTo, TeamsCustomer } from './teams-fixture.ts';
import { completeIntake } from './teams-intake-driver.ts';

/**
 * One queue, two agent channels: `general` works in a Slack channel and in a Teams channel at
 * once (SLACK_AGENT_CHANNELS and TEAMS_AGENT_CHANNELS name the same queue). Both cards show the
 * same ticket; whatever happens in one tool is shown in the other.
 */
let slack: SlackFixture;
let connector: TeamsConnectorStandIn;
let teams: TeamsChannel;

beforeAll(async () => {
  slack = await new SlackFixture().start();
  connector = new TeamsConnectorStandIn();
  await connector.start();
  teams = await startTeamsChannel({
    config: {
      TEAMS_ALLOW_UNAUTHENTICATED: true,
      TEAMS_AGENT_CHANNELS: `general=${GENERAL_CHANNEL}`,
      TEAMS_SERVICE_URL: connector.url,
    },
    engine: slack.bot.engine,
    agentDesk: slack.bot.agentDesk,
    ticketEvents: slack.bot.ticketEvents,
    stores: slack.bot.stores,
    server: slack.server,
    delivery: slack.bot.delivery,
    outbox: slack.bot.outbox.replies,
    support: slack.bot.support,
    clock: slack.clock,
    retry: { attempts: 3, baseMs: 5 },
  });
});

afterAll(async () => {
  await teams?.stop();
  await slack?.close();
  await connector?.stop();
});

/** The Slack card of a ticket as Slack shows it now: the post, or its latest chat.update. */
function slackCardText(ticketId: string): string {
  const updates = slack.slack
    .callsTo('chat.update')
    .filter((c) => c.args.channel === AGENT_CHANNEL && JSON.stringify(c.args.blocks).includes(ticketId));
  const latest =
    updates.at(-1)?.args ??
    slack.posted(AGENT_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(ticketId));
  return JSON.stringify(latest?.blocks ?? []);
}

/** A Slack customer reports a problem through the "report a problem" form; returns the ticket id and the DM. */
async function slackTicket(user: string): Promise<{ ticketId: string; dm: string }> {
  slack.slack.addUser(user, 'Sven Slack', 'de-DE');
  await slack.interaction({
    type: 'shortcut',
    callback_id: 'report_problem',
    trigger_id: slack.nextId('trigger.'),
    team: { id: TEAM, domain: 'support' },
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    token: 'legacy',
    action_ts: slack.nextTs(),
  });
  await slack.settle();
  await slack.submitView(
    slack.lastOpenedView(),
    {
      summary: 'Scanner sendet keine Mails',
      system: 'Scanner',
      error: 'SMTP 535',
      since: 'seit gestern',
      impact: { option: 'team' },
      urgency: { option: 'blocks' },
      contact: 'sven@example.com',
    },
    user,
  );
  await slack.settle();
  const [ticket] = await slack.bot.stores.tickets.list({ customerId: `slack:${TEAM}:${user}` });
  if (!ticket) throw new Error('no ticket');
  return { ticketId: ticket.id, dm: `D${user}` };
}

describe('a queue with a Slack and a Teams channel', () => {
  it('an SLA breach is written into both threads and shown on the Teams card', async () => {
    const customer = new TeamsCustomer(postTo(slack.server.url), connector, { name: 'Lena Lange' });
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const confirmation = await completeIntake(customer, 0);
    const ticketId = /SUP-\d+/.exec(cardText(cardOf(confirmation)))?.[0] as string;
    await slack.settle();
    const card = await waitForCard(connector, GENERAL_CHANNEL, ticketId);
    const ticket = await slack.bot.stores.tickets.get(ticketId);

    const watcher = new SlaWatcher({
      stores: slack.bot.stores,
      support: slack.bot.support,
      ticketEvents: slack.bot.ticketEvents,
      clock: slack.clock,
    });
    slack.clock.advance((ticket?.resolutionDueAt ?? 0) - slack.clock.now() + 60_000);
    for (let round = 0; round < 4; round++) await watcher.check();
    await slack.settle();
    await connector.waitFor(() =>
      threadTexts(connector, card).some((t) => t.includes(`🚨 SLA breached: reaction time for ${ticketId}`)),
    );
    await waitForCard(connector, GENERAL_CHANNEL, ticketId, (c) =>
      c.text.includes('Reaction: 🔴 overdue since'),
    );
    const slackCard = slack.posted(AGENT_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(ticketId));
    const slackThread = slack.posted(AGENT_CHANNEL, slackCard?.ts).map((m) => JSON.stringify(m.blocks));
    expect(slackThread.some((t) => t.includes('SLA breached') && t.includes('reaction'))).toBe(true);
  });

  it('a Teams agent answers a Slack customer in their DM', async () => {
    const { ticketId, dm } = await slackTicket('UCUSTSLACK1');
    const card = await waitForCard(connector, GENERAL_CHANNEL, ticketId);
    const agent = new TeamsAgent(postTo(slack.server.url), connector, 'Tanja Teams');
    expect((await agent.click(card, 'Claim')).status).toBe(200);
    await agent.reply(card, 'Bitte prüfen Sie das SMTP-Passwort am Scanner.', { mention: true });
    await slack.settle();
    const relay = slack.posted(dm).find((m) => JSON.stringify(m.blocks).includes('SMTP-Passwort'));
    expect(JSON.stringify(relay?.blocks)).toContain('Tanja Teams');
    expect(JSON.stringify(relay)).not.toContain('<at>');
  });

  it('a claim in Slack updates the Teams card; a resolve in Teams updates the Slack card', async () => {
    const customer = new TeamsCustomer(postTo(slack.server.url), connector, { name: 'Erika Mustermann' });
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const confirmation = await completeIntake(customer, 0);
    const ticketId = /SUP-\d+/.exec(cardText(cardOf(confirmation)))?.[0] as string;
    await slack.settle();

    // Both channels got the card, once each.
    const slackCard = slack.posted(AGENT_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(ticketId));
    expect(slackCard).toBeDefined();
    const teamsCard = await waitForCard(connector, GENERAL_CHANNEL, ticketId);
    expect(teamsCard.text).toContain('⏳ queued');

    // Claimed in Slack: the Teams card says so, and offers no Claim any more.
    expect(
      (await slack.click(slackCard as NonNullable<typeof slackCard>, TICKET_ACTION.claim, ticketId, AGENT))
        .status,
    ).toBe(200);
    await slack.settle();
    const claimed = await waitForCard(connector, GENERAL_CHANNEL, ticketId, (c) =>
      c.text.includes('claimed by Erika Agent'),
    );
    expect((claimed.card.actions as { title: string }[]).map((a) => a.title)).not.toContain('Claim');
    // A Teams agent's late claim is refused: the Slack agent has it.
    const late = new TeamsAgent(postTo(slack.server.url), connector, 'Tobias Teams');
    const refused = await late.click(teamsCard, 'Claim');
    expect(cardText((refused.body as { value: unknown }).value)).toContain('already claimed by Erika Agent');
    expect((await slack.bot.stores.tickets.get(ticketId))?.assignee).toBe('Erika Agent');

    // A note in the Teams thread is shown in the Slack thread (as from Teams), never to the customer.
    const before = customer.messages().length;
    await late.reply(claimed, 'note: Drucker steht im Lager');
    await slack.settle();
    const slackThread = slack.posted(AGENT_CHANNEL, slackCard?.ts).map((m) => JSON.stringify(m.blocks));
    expect(
      slackThread.some((t) => t.includes('Tobias Teams (teams), internal note') && t.includes('Lager')),
    ).toBe(true);
    expect(customer.messages()).toHaveLength(before);
    // The customer's message reaches both threads.
    await customer.say('Gibt es schon Neuigkeiten?');
    await slack.settle();
    await connector.waitFor(() =>
      threadTexts(connector, claimed).some((t) => t.includes('Gibt es schon Neuigkeiten?')),
    );
    expect(
      slack
        .posted(AGENT_CHANNEL, slackCard?.ts)
        .some((m) => JSON.stringify(m.blocks).includes('Gibt es schon Neuigkeiten?')),
    ).toBe(true);

    // Resolved in Teams: the Slack card is redrawn as resolved.
    expect((await late.click(claimed, 'Resolve')).status).toBe(200);
    await slack.settle();
    expect(slackCardText(ticketId)).toContain(':white_check_mark: resolved');
    await waitForCard(connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('✅ resolved'));
  });
});
