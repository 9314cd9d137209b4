import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TICKET_ACTION } from '../../../src/channels/slack/slack-action-codec.ts';
import { startTeamsChannel, type TeamsChannel } from '../../../src/channels/teams/start-teams-channel.ts';
import { TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';
import { AGENT, AGENT_CHANNEL, SlackFixture, TEAM } from '../slack/slack-fixture.ts';
import { buttonFor, cardOf, cardText, postTo, TeamsCustomer } from './teams-fixture.ts';
import { completeIntake } from './teams-intake-driver.ts';

/**
 * Teams customers, Slack agents: both channels on one bot and one HTTP server. The customer's
 * Teams messages reach the ticket's Slack thread; what the agent writes there reaches the
 * customer in Teams, proactively, through the stored conversation reference.
 */
let slack: SlackFixture;
let connector: TeamsConnectorStandIn;
let teams: TeamsChannel;

beforeAll(async () => {
  slack = await new SlackFixture().start();
  connector = new TeamsConnectorStandIn();
  await connector.start();
  teams = await startTeamsChannel({
    config: { TEAMS_ALLOW_UNAUTHENTICATED: true },
    engine: slack.bot.engine,
    stores: slack.bot.stores,
    server: slack.server,
    delivery: slack.bot.delivery,
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

function newCustomer(name: string): TeamsCustomer {
  return new TeamsCustomer(postTo(slack.server.url), connector, { name });
}

/** Intake through Teams until the ticket exists and its card is in the Slack agent channel. */
async function openTicket(customer: TeamsCustomer) {
  await customer.say('Ich möchte mit einem Menschen sprechen');
  const confirmation = await completeIntake(customer, 0);
  const ticketId = /SUP-\d+/.exec(cardText(cardOf(confirmation)))?.[0] as string;
  await slack.settle();
  const card = slack.posted(AGENT_CHANNEL).find((m) => JSON.stringify(m.blocks).includes(ticketId));
  if (!card) throw new Error(`no Slack card for ${ticketId}`);
  return { ticketId, card };
}

function texts(customer: TeamsCustomer): string[] {
  return customer.messages().map((m) => String(m.activity.text ?? '') + cardText(cardOf(m)));
}

describe('Teams customer ↔ Slack agent', () => {
  it('relays both ways; the resolve notice comes with a rating the customer can give in Teams', async () => {
    const customer = newCustomer('Erika Mustermann');
    const { ticketId, card } = await openTicket(customer);

    expect((await slack.click(card, TICKET_ACTION.claim, ticketId, AGENT)).status).toBe(200);
    await slack.settle();
    await connector.waitFor(() => texts(customer).some((t) => t.includes('hat Ihr Anliegen übernommen')));

    await slack.event({
      type: 'message',
      channel: AGENT_CHANNEL,
      user: AGENT,
      text: 'Bitte starten Sie den Drucker einmal neu.',
      ts: slack.nextTs(),
      thread_ts: card.ts,
      team: TEAM,
    });
    await slack.settle();
    await connector.waitFor(() =>
      texts(customer).some((t) => t.includes('Bitte starten Sie den Drucker einmal neu.')),
    );
    const relay = customer.messages().at(-1);
    expect(cardText(cardOf(relay))).toContain('Erika Agent · Support-Team');
    expect(relay?.activityId).not.toMatch(/^act-/);

    const before = customer.messages().length;
    await customer.say('Habe ich gemacht, es kommen immer noch leere Seiten.');
    expect(customer.messages()).toHaveLength(before);
    await slack.settle();
    const thread = slack.posted(AGENT_CHANNEL, card.ts).map((m) => `${m.text} ${JSON.stringify(m.blocks)}`);
    expect(thread.some((t) => t.includes('immer noch leere Seiten'))).toBe(true);
    const ticket = await slack.bot.stores.tickets.get(ticketId);
    expect(ticket?.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['created', 'claimed', 'agent-message', 'customer-message']),
    );

    expect((await slack.click(card, TICKET_ACTION.resolve, ticketId, AGENT)).status).toBe(200);
    await slack.settle();
    await connector.waitFor(() => texts(customer).some((t) => t.includes('als gelöst markiert')));
    const notice = customer.messages().at(-1);
    const five = buttonFor(cardOf(notice), (a) => a.type === 'rate' && a.rating === 5);
    expect(five).toBeDefined();
    const rated = await customer.execute(notice?.createdId as string, five?.data ?? {});
    expect(rated.status).toBe(200);
    expect(JSON.stringify(rated.body)).toContain('✓ 5');
    expect((await slack.bot.stores.tickets.get(ticketId))?.rating).toBe(5);
    expect(texts(customer).at(-1)).toContain('Vielen Dank für Ihre Bewertung');
  });

  it('"give back" hands the Teams conversation to the bot again', async () => {
    const customer = newCustomer('Max Muster');
    const { ticketId, card } = await openTicket(customer);
    expect((await slack.click(card, TICKET_ACTION.giveBack, ticketId, AGENT)).status).toBe(200);
    await slack.settle();
    await connector.waitFor(() => texts(customer).some((t) => t.includes('an mich zurückgegeben')));

    const conversation = await slack.bot.stores.conversations.get(customer.engineConversationId);
    expect(conversation?.owner).toBe('bot');
    const before = customer.messages().length;
    await customer.say('Mein Konto ist gesperrt');
    expect(cardText(cardOf(customer.messages()[before]))).toContain(
      'Konto gesperrt nach zu vielen Fehlversuchen',
    );
  });
});
