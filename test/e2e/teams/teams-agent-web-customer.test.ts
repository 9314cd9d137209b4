import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import type { Action } from '../../../src/core/action.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { TeamsConnectorStandIn } from '../../support/teams-connector-stand-in.ts';
import { openWebChat } from '../../support/web-chats.ts';
import { apiCall } from '../web/api-call.ts';
import { nextIntakeStep } from '../web/intake-driver.ts';
import { GENERAL_CHANNEL, TeamsAgent, threadTexts, waitForCard } from './teams-agent-driver.ts';
import { postTo } from './teams-fixture.ts';

/**
 * A customer in the web chat, agents in Teams: the bot as `npm start` builds it from the
 * environment (TEAMS_AGENT_CHANNELS), the real CloudAdapter, a connector stand-in for Teams.
 */
let bot: RunningBot;
let connector: TeamsConnectorStandIn;
let dataDir: string;

beforeAll(async () => {
  connector = new TeamsConnectorStandIn();
  await connector.start();
  dataDir = await mkdtemp(join(tmpdir(), 'support-bot-teams-web-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'test-admin-token-4711',
    TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    TEAMS_AGENT_CHANNELS: `general=${GENERAL_CHANNEL}`,
    TEAMS_SERVICE_URL: connector.url,
  });
  bot = await startBot(config, silentLogger);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Issued web conversations' tokens, by id: every request of a chat carries its token. */
const tokens = new Map<string, string>();
async function openChat(): Promise<string> {
  const chat = await openWebChat(bot.url);
  tokens.set(chat.id, chat.token);
  return chat.id;
}
const say = (id: string, text: string) =>
  apiCall(bot.url, 'POST', `/api/conversations/${id}/messages`, { body: { text }, token: tokens.get(id) });
const click = (id: string, action: Action) =>
  apiCall(bot.url, 'POST', `/api/conversations/${id}/messages`, { body: { action }, token: tokens.get(id) });

async function openTicket(id: string): Promise<string> {
  let replies = (await say(id, 'Mein Drucker druckt nur leere Seiten')).body.replies as Reply[];
  const person = replies.flatMap((r) => r.actions).find((a) => a.type === 'talk-to-person');
  replies = (await click(id, person as Action)).body.replies;
  for (let step = 0; step < 15; step++) {
    const ticket = replies.find((r) => r.type === 'ticket');
    if (ticket?.type === 'ticket') return ticket.ticket.id;
    const next = nextIntakeStep(replies);
    if (!next) break;
    const res = 'text' in next ? await say(id, next.text) : await click(id, next.action);
    replies = res.body.replies;
  }
  throw new Error(`no ticket reached; last replies: ${JSON.stringify(replies)}`);
}

async function webReplies(id: string): Promise<Reply[]> {
  const res = await apiCall(bot.url, 'GET', `/api/conversations/${id}/events?after=0`, {
    token: tokens.get(id),
  });
  return (res.body.events as { reply: Reply }[]).map((e) => e.reply);
}

async function waitForWeb(id: string, done: (replies: Reply[]) => boolean): Promise<Reply[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const replies = await webReplies(id);
    if (done(replies)) return replies;
    if (Date.now() > until) throw new Error(`web chat: not there in time: ${JSON.stringify(replies)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('web customer ↔ Teams agent', () => {
  it('the ticket card reaches Teams; claim, thread reply and resolve reach the web chat; the chat reaches the thread', async () => {
    const id = await openChat();
    const ticketId = await openTicket(id);
    const agent = new TeamsAgent(postTo(bot.url), connector, 'Carla Cloud');

    let card = await waitForCard(connector, GENERAL_CHANNEL, ticketId);
    const ticket = await bot.stores.tickets.get(ticketId);
    // The FAQ entries the bot considered are on the card (the printer entry was offered first).
    const considered = ticket?.candidates.find((c) => c.kind === 'faq');
    expect(considered).toBeDefined();
    expect(card.text).toContain(`🔍 Bot candidates: ${considered?.title}`);

    expect((await agent.click(card, 'Claim')).status).toBe(200);
    await waitForWeb(id, (replies) =>
      replies.some((r) => r.type === 'notice' && r.text.includes('Carla Cloud')),
    );

    await agent.reply(card, 'Ist der Drucker im Netzwerk sichtbar?');
    const replies = await waitForWeb(id, (rs) => rs.some((r) => r.type === 'relay'));
    expect(replies.find((r) => r.type === 'relay')).toMatchObject({
      from: 'Carla Cloud',
      text: 'Ist der Drucker im Netzwerk sichtbar?',
    });

    await agent.reply(card, 'note: Kunde sitzt im 2. OG');
    await say(id, 'Ja, er wird angezeigt.');
    card = await waitForCard(connector, GENERAL_CHANNEL, ticketId);
    await connector.waitFor(() =>
      threadTexts(connector, card).some((t) => t.includes('Ja, er wird angezeigt.')),
    );
    expect((await webReplies(id)).some((r) => 'text' in r && String(r.text).includes('2. OG'))).toBe(false);

    expect((await agent.click(card, 'Resolve')).status).toBe(200);
    await waitForWeb(id, (rs) => rs.some((r) => r.actions.some((a) => a.type === 'rate')));
    await waitForCard(connector, GENERAL_CHANNEL, ticketId, (c) => c.text.includes('✅ resolved'));
    expect((await bot.stores.tickets.get(ticketId))?.status).toBe('resolved');
    // What the agent did in Teams is in the audit log under their name.
    const audited = (await bot.stores.audit.list(50)).filter((e) => e.target === ticketId);
    expect(audited.map((e) => `${e.actor} ${e.action}`)).toEqual(
      expect.arrayContaining(['Carla Cloud ticket.claim', 'Carla Cloud ticket.resolve']),
    );
  });
});
