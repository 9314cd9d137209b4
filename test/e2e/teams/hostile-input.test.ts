import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationSchema } from '../../../src/store/record-schemas.ts';
import { hostileAction, hostileJson, hostileText } from '../../support/hostile-input.ts';
import { startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';

// The real botbuilder CloudAdapter on the bot's server, a local connector, a hostile Teams user.
let fx: TeamsFixture;
const ran = { messages: 0, cardActions: 0, activities: 0 };

beforeAll(async () => {
  fx = await startTeamsFixture();
});

afterAll(async () => {
  await fx?.close();
  process.stdout.write(
    `hostile input (Teams): ${ran.messages} messages, ${ran.cardActions} card actions, ${ran.activities} raw activities\n`,
  );
});

const APOLOGY = /etwas schiefgegangen|something went wrong/;

describe('hostile input through Teams', () => {
  it('answers any text and any card data safely, with no failed turn and a sound record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            hostileText.map((text) => ({ text })),
            hostileAction.map((action) => ({ action })),
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        async (steps) => {
          const customer = fx.customer();
          for (const step of steps) {
            if ('text' in step) {
              ran.messages += 1;
              expect((await customer.say(step.text)).status).toBeLessThan(500);
            } else {
              ran.cardActions += 1;
              const result = await customer.execute('unknown-reply', { action: step.action });
              expect(result.status).toBeLessThan(500);
            }
          }
          const sent = JSON.stringify(customer.messages().map((m) => m.activity));
          expect(sent).not.toMatch(APOLOGY);
          const stored = await fx.bot.stores.conversations.get(customer.engineConversationId);
          if (stored) expect(conversationSchema.safeParse(stored).success).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers activities of any shape with a status below 500', async () => {
    const customer = fx.customer();
    await fc.assert(
      fc.asyncProperty(hostileJson, fc.boolean(), async (junk, wrapped) => {
        ran.activities += 1;
        const activity = wrapped
          ? customer.activity({
              type: 'message',
              text: typeof junk === 'string' ? junk : undefined,
              value: junk,
            })
          : junk;
        const result = await fx.post(activity);
        expect(result.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(JSON.stringify(customer.messages().map((m) => m.activity))).not.toMatch(APOLOGY);
  });
});
