import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { GENERAL_CHANNEL, TeamsAgent, waitForCard } from '../../e2e/teams/teams-agent-driver.ts';
import { cardText, postTo } from '../../e2e/teams/teams-fixture.ts';
import { apiCall } from '../../e2e/web/api-call.ts';
import { nextIntakeStep } from '../../e2e/web/intake-driver.ts';
import { type BotProcess, startBotProcess } from '../../support/bot-process.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';

/**
 * Two bot processes as `npm start` runs them, on one Redis, both with the Teams agent channel:
 * the ticket card is posted once, and two agents clicking Claim at the same moment on different
 * processes never both get the ticket.
 */
const redisUrl = redisTestUrl();
const prefix = uniqueRedisPrefix('teams-agents');
let connector: TeamsConnectorStandIn;
let first: BotProcess;
let second: BotProcess;

beforeAll(async () => {
  connector = new TeamsConnectorStandIn();
  await connector.start();
  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    TEAMS_AGENT_CHANNELS: `general=${GENERAL_CHANNEL}`,
    TEAMS_SERVICE_URL: connector.url,
  };
  [first, second] = await Promise.all([startBotProcess(env), startBotProcess(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await connector?.stop();
  await deleteRedisKeys(redisUrl, prefix);
});

async function openTicket(bot: BotProcess, chat: IssuedChat): Promise<string> {
  const send = async (body: unknown) =>
    (await apiCall(bot.url, 'POST', `/api/conversations/${chat.id}/messages`, { body, token: chat.token }))
      .body.replies as Reply[];
  let replies = await send({ text: 'Mein Drucker druckt nur leere Seiten' });
  const person = replies.flatMap((r) => r.actions).find((a) => a.type === 'talk-to-person') as Action;
  replies = await send({ action: person });
  for (let step = 0; step < 15; step++) {
    const ticket = replies.find((r) => r.type === 'ticket');
    if (ticket?.type === 'ticket') return ticket.ticket.id;
    const next = nextIntakeStep(replies);
    if (!next) break;
    replies = await send('text' in next ? { text: next.text } : { action: next.action });
  }
  throw new Error(`no ticket: ${JSON.stringify(replies)}`);
}

describe('Teams agents on two bot processes', () => {
  it('one card per ticket; of two simultaneous claims on different processes exactly one wins', async () => {
    const chat = await openWebChat(first.url);
    const ticketId = await openTicket(first, chat);
    const card = await waitForCard(connector, GENERAL_CHANNEL, ticketId);

    const anna = new TeamsAgent(postTo(first.url), connector, 'Anna Eins');
    const bernd = new TeamsAgent(postTo(second.url), connector, 'Bernd Zwei');
    const [a, b] = await Promise.all([anna.click(card, 'Claim'), bernd.click(card, 'Claim')]);
    const shown = [a, b].map((r) => cardText((r.body as { value: unknown }).value));
    const refused = shown.filter((text) => text.startsWith('⛔'));
    expect(refused).toHaveLength(1);
    const winner = shown
      .find((text) => !text.startsWith('⛔'))
      ?.match(/claimed by (Anna Eins|Bernd Zwei)/)?.[1];
    expect(winner).toBeDefined();
    expect(refused[0]).toContain(`already claimed by ${winner}`);

    // The card everyone sees names the winner; the customer was told once, by name.
    await waitForCard(connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes(`claimed by ${winner}`));
    const notices = async () => {
      const events = await apiCall(second.url, 'GET', `/api/conversations/${chat.id}/events?after=0`, {
        token: chat.token,
      });
      return (events.body.events as { reply: Reply }[]).filter(
        (e) => e.reply.type === 'notice' && e.reply.text.includes('übernommen'),
      );
    };
    const until = Date.now() + 15_000;
    while ((await notices()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const told = await notices();
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]?.reply)).toContain(winner as string);

    const posts = connector.calls.filter(
      (c) => c.createdConversation && cardText(c.activity.attachments).includes(ticketId),
    );
    expect(posts.filter((c) => c.status === 200)).toHaveLength(1);
  });
});
