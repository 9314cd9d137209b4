import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeAction } from '../../../src/channels/slack/slack-action-codec.ts';
import { conversationSchema } from '../../../src/store/record-schemas.ts';
import { hostileAction, hostileJson, hostileText } from '../../support/hostile-input.ts';
import { useSlackFixture } from './slack-fixture.ts';

// The real Bolt app on the bot's server, a local Slack stand-in, and what a hostile customer sends.
const ran = { messages: 0, clicks: 0, payloads: 0 };

afterAll(() => {
  process.stdout.write(
    `hostile input (Slack): ${ran.messages} messages, ${ran.clicks} button clicks, ${ran.payloads} raw payloads\n`,
  );
});

describe('hostile input through Slack', () => {
  const fx = useSlackFixture();
  let n = 0;

  /** What the bot posted since the last clear: safe text, no markup of the customer's, no apology. */
  function expectSafePosts(): void {
    for (const call of fx.slack.callsTo('chat.postMessage')) {
      const text = String(call.args.text ?? '');
      const mrkdwn = JSON.stringify(call.args.blocks ?? []);
      expect(text.length).toBeGreaterThan(0);
      for (const shown of [text, mrkdwn]) {
        expect(shown).not.toMatch(/<!(channel|here|everyone)|<@U|<https:\/\/evil/);
        expect(shown).not.toMatch(/etwas schiefgegangen|something went wrong/);
      }
    }
    fx.slack.clear();
  }

  async function expectSoundConversation(conversationId: string): Promise<void> {
    const stored = await fx.bot.stores.conversations.get(conversationId);
    if (stored) expect(conversationSchema.safeParse(stored).success).toBe(true);
  }

  it('acknowledges any DM text, answers it safely and stores a sound record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileText, { minLength: 1, maxLength: 3 }), async (texts) => {
        const user = `UHOSTILE${++n}`;
        const dm = `DHOSTILE${n}`;
        for (const text of texts) {
          ran.messages += 1;
          const response = await fx.event({
            type: 'message',
            channel_type: 'im',
            channel: dm,
            user,
            text,
            ts: fx.nextTs(),
          });
          expect(response.status).toBe(200);
        }
        await fx.settle();
        expectSafePosts();
        await expectSoundConversation(`slack:T0SUPPORT:${dm}`);
      }),
      { numRuns: 60 },
    );
  });

  it('takes any button value (offered or forged) without a failed turn', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(hostileAction.map(encodeAction), hostileText), async (value) => {
        ran.clicks += 1;
        const dm = `DCLICK${++n}`;
        const message = { channel: dm, ts: fx.nextTs(), blocks: [] };
        const response = await fx.click(message, 'sb_action_0', value, `UCLICK${n}`);
        expect(response.status).toBeLessThan(500);
        await fx.settle();
        expectSafePosts();
      }),
      { numRuns: 80 },
    );
  });

  it('answers signed payloads of any shape with a status below 500', async () => {
    // Sent at once: a payload no listener acknowledges is answered only when Slack's 3 s are up.
    const payloads = fc.sample(fc.tuple(hostileJson, fc.boolean()), { numRuns: 150, seed: 13 });
    const statuses = await Promise.all(
      payloads.map(async ([payload, asForm]) => {
        ran.payloads += 1;
        const response = asForm
          ? await fx.post(
              new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
              'application/x-www-form-urlencoded',
            )
          : await fx.post(JSON.stringify(payload), 'application/json');
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    await fx.settle();
    expectSafePosts();
    expect((await fetch(`${fx.server.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
