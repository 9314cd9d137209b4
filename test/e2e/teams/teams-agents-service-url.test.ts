import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_SERVICE_URL_SETTING } from '../../../src/channels/teams/desk/teams-service-url.ts';
import { GENERAL_CHANNEL, TeamsAgent, waitForCard } from './teams-agent-driver.ts';
import { cardOf, cardText, startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';
import { completeIntake } from './teams-intake-driver.ts';

/**
 * Which connector serves the team: TEAMS_SERVICE_URL points where nothing answers; the first
 * activity from the team names the real one, which is kept in the stores' settings (for every
 * process), and the next cards go there.
 */
let fx: TeamsFixture;

beforeAll(async () => {
  fx = await startTeamsFixture({
    agentChannels: `general=${GENERAL_CHANNEL}`,
    // Loopback (local mode allows no other), but no connector listens on the discard port.
    config: { TEAMS_SERVICE_URL: 'http://127.0.0.1:9/' },
  });
});

afterAll(async () => {
  await fx?.close();
});

describe('the Teams service URL', () => {
  it('is learned from the team and kept in the settings; new cards go there', async () => {
    const agent = new TeamsAgent(fx.post, fx.connector, 'Anna Eins');
    // Any message in the team (here the team's own talk in the agent channel) names its connector.
    const hello = agent.activity(GENERAL_CHANNEL, undefined, { type: 'message', text: 'Guten Morgen' });
    expect((await fx.post(hello)).status).toBe(200);
    expect((await fx.bot.stores.settings.current()).values[TEAMS_SERVICE_URL_SETTING]).toBe(fx.connector.url);

    const customer = fx.customer({ name: 'Erika Mustermann' });
    await customer.say('Ich möchte mit einem Menschen sprechen');
    const ticketId = /SUP-\d+/.exec(cardText(cardOf(await completeIntake(customer, 0))))?.[0] as string;
    const card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
    expect(card.text).toContain(ticketId);
  });
});
