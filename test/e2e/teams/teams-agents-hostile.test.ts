import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_OPS } from '../../../src/channels/teams/desk/desk-card-codec.ts';
import { ticketSchema } from '../../../src/store/record-schemas.ts';
import { hostileJson, hostileText } from '../../support/hostile-input.ts';
import { GENERAL_CHANNEL, type PostedCard, TeamsAgent, waitForCard } from './teams-agent-driver.ts';
import { cardOf, cardText, startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';
import { completeIntake } from './teams-intake-driver.ts';

/**
 * A hostile member of the agents' team: any text in a ticket's thread, any data in a card click,
 * activities of any shape from the agent channel. Nothing fails, the ticket stays a sound record.
 */
let fx: TeamsFixture;
let card: PostedCard;
let ticketId: string;
const ran = { replies: 0, clicks: 0 };

beforeAll(async () => {
  fx = await startTeamsFixture({ agentChannels: `general=${GENERAL_CHANNEL}` });
  const customer = fx.customer({ name: 'Erika Mustermann' });
  await customer.say('Ich möchte mit einem Menschen sprechen');
  ticketId = /SUP-\d+/.exec(cardText(cardOf(await completeIntake(customer, 0))))?.[0] as string;
  card = await waitForCard(fx.connector, GENERAL_CHANNEL, ticketId);
});

afterAll(async () => {
  await fx?.close();
  process.stdout.write(
    `hostile input (Teams agents): ${ran.replies} thread replies, ${ran.clicks} card clicks\n`,
  );
});

describe('hostile input from a Teams agent channel', () => {
  it('any thread reply and any card data get a status below 500 and leave a sound ticket', async () => {
    const agent = new TeamsAgent(fx.post, fx.connector, 'Mallory');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileText.map((text) => ({ text })),
          hostileJson.map((data) => ({ data })),
          // A desk button with the right shape around hostile values: the desk runs and must hold.
          fc
            .record({
              op: fc.oneof(fc.constantFrom(...DESK_OPS), hostileText),
              target: hostileJson,
              text: hostileText,
            })
            .map(({ op, target, text }) => ({
              data: {
                sbDesk: { op, ticketId },
                sb_desk_target: target,
                sb_desk_reason: text,
                sb_desk_question: text,
                sb_desk_answer: text,
              },
            })),
        ),
        async (step) => {
          if ('text' in step) {
            ran.replies += 1;
            expect((await agent.reply(card, step.text)).status).toBeLessThan(500);
          } else {
            ran.clicks += 1;
            const click = agent.activity(GENERAL_CHANNEL, card.rootId, {
              type: 'invoke',
              name: 'adaptiveCard/action',
              replyToId: card.rootId,
              value: { action: { type: 'Action.Execute', verb: 'sb.desk', data: step.data } },
            });
            expect((await fx.post(click)).status).toBeLessThan(500);
          }
          const ticket = await fx.bot.stores.tickets.get(ticketId);
          expect(ticketSchema.safeParse(ticket).success).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
    // Every change the clicks made reached the card: nothing is stuck in the outbox.
    await fx.bot.outbox.idle();
    expect((await fx.bot.stores.outbox.size()).items).toBe(0);
  });
});
