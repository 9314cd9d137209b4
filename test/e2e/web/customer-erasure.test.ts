import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { DAY_MS } from '../../../src/handoff/ticket-retention.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { SlackApiStandIn } from '../../support/slack-api-stand-in.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';

// The bot as `npm start` builds it, with Slack's agent channel on a stand-in: a customer's data
// is erased on request (DSGVO Art. 17), and nothing of their text is left in DATA_DIR or Redis.
const ADMIN_TOKEN = 'erasure-admin-token-4711';
const SECRET = 'shared-with-the-shop-0123456789';
const AGENT_CHANNEL = 'CAGENTS';
const hmac = (message: string) => createHmac('sha256', SECRET).update(message).digest('hex');

/** Distinctive strings the customer (and the agent, to them) wrote: none may survive. */
const MARKERS = {
  name: 'Quirinius Zwetschgenbaum',
  email: 'quirinius.zx81@example.org',
  question: 'Passwort vergessen Marker-Frage-7Q3',
  summary: 'Marker-Zusammenfassung-K9V Drucker streikt',
  error: 'Marker-Fehler-0xZ44',
  contact: 'kontakt.marker-q7@example.org',
  relayed: 'Marker-Nachtrag-B12 an den Support',
  agentReply: 'Ihr Einmalkennwort lautet Marker-Kiwi-5531',
};
const MARKER_LIST = Object.values(MARKERS);

interface Setup {
  bot: RunningBot;
  dataDir: string;
  slack: SlackApiStandIn;
  redis?: { url: string; prefix: string } | undefined;
}

async function start(redis?: Setup['redis']): Promise<Setup> {
  const slack = new SlackApiStandIn({ teamId: 'T0SUPPORT' });
  await slack.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-erasure-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    WEB_IDENTITY_SECRET: SECRET,
    WEB_NEW_CONVERSATIONS_PER_MINUTE: '10000',
    SLACK_BOT_TOKEN: 'xoxb-erasure-token',
    SLACK_SIGNING_SECRET: 'erasure-signing-secret-0123456789',
    SLACK_API_URL: slack.apiUrl,
    SLACK_AGENT_CHANNELS: `general=${AGENT_CHANNEL},network=${AGENT_CHANNEL}`,
    ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix } : {}),
  });
  return { bot: await startBot(config, silentLogger), dataDir, slack, redis };
}

async function say(setup: Pick<Setup, 'bot'>, chat: IssuedChat, body: unknown): Promise<Reply[]> {
  const response = await fetch(`${setup.bot.url}/api/conversations/${chat.id}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

async function agent(setup: Setup, ticketId: string, action: string, body: unknown): Promise<void> {
  const response = await fetch(`${setup.bot.url}/api/tickets/${ticketId}/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** A verified customer who asks, rates, hands off with details, writes on, and gets an agent's answer. */
async function customerWithMarkers(setup: Setup): Promise<{ chat: IssuedChat; ticketId: string }> {
  const identity = {
    userId: 'shop-user-1',
    name: MARKERS.name,
    email: MARKERS.email,
    hash: hmac(`shop-user-1\n${MARKERS.name}\n${MARKERS.email}`),
  };
  const chat = await openWebChat(setup.bot.url, { identity });
  const answer = (await say(setup, chat, { text: MARKERS.question }))[0];
  const notHelpful = answer?.actions.find((a) => a.type === 'feedback' && !a.helpful);
  if (notHelpful) await say(setup, chat, { action: notHelpful });
  await say(setup, chat, { text: 'Ich möchte mit einem Menschen sprechen' });
  const replies = await say(setup, chat, {
    action: {
      type: 'submit-form',
      label: 'Senden',
      values: {
        summary: MARKERS.summary,
        system: 'Drucker',
        error: MARKERS.error,
        since: 'heute',
        impact: 'one',
        urgency: 'hinders',
        contact: MARKERS.contact,
      },
    },
  });
  const ticket = replies.find((r) => r.type === 'ticket');
  if (ticket?.type !== 'ticket') throw new Error(`no ticket: ${JSON.stringify(replies)}`);
  const ticketId = ticket.ticket.id;
  await agent(setup, ticketId, 'claim', { agent: 'Alex' });
  await say(setup, chat, { text: MARKERS.relayed });
  await agent(setup, ticketId, 'reply', { agent: 'Alex', text: MARKERS.agentReply });
  return { chat, ticketId };
}

/** Every file under the directory, raw bytes. */
async function filesUnder(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    out.push({ file, bytes: await readFile(file) });
  }
  return out;
}

/** Every key under the prefix with everything it holds, whatever its type. */
async function redisContents(url: string, prefix: string): Promise<{ key: string; bytes: Buffer }[]> {
  const redis = new Redis(url);
  const out: { key: string; bytes: Buffer }[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const parts: (Buffer | string)[] = [key];
        if (type === 'string') parts.push((await redis.getBuffer(key)) ?? '');
        else if (type === 'hash') parts.push(...Object.entries(await redis.hgetallBuffer(key)).flat());
        else if (type === 'list') parts.push(...(await redis.lrangeBuffer(key, 0, -1)));
        else if (type === 'set') parts.push(...(await redis.smembersBuffer(key)));
        else if (type === 'zset') parts.push(...(await redis.zrangeBuffer(key, '0', '-1')));
        else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        else parts.push(`unscanned type ${type}`);
        out.push({
          key,
          bytes: Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))),
        });
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out;
}

/** The markers found, each with where: a file or key. */
function markersIn(places: { bytes: Buffer; file?: string; key?: string }[]): string[] {
  const found: string[] = [];
  for (const marker of MARKER_LIST) {
    const where = places.filter((p) => p.bytes.includes(Buffer.from(marker, 'utf8')));
    if (where.length > 0)
      found.push(`${marker} in ${where.map((p) => p.file ?? p.key ?? 'text').join(', ')}`);
  }
  return found;
}

async function settle(setup: Setup): Promise<void> {
  // What the outbox still has to deliver (card updates) is delivered before looking.
  for (let i = 0; i < 200; i++) {
    const { items } = await setup.bot.stores.outbox.size();
    if (items === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function describeErasure(name: string, redis: () => Setup['redis']) {
  describe(`customer deletion leaves nothing of the customer's text (${name})`, () => {
    let setup: Setup;
    beforeAll(async () => {
      setup = await start(redis());
    });
    afterAll(async () => {
      await setup?.bot.stop();
      await setup?.slack.stop();
      await rm(setup.dataDir, { recursive: true, force: true });
      if (setup?.redis) await deleteRedisKeys(setup.redis.url, setup.redis.prefix);
    });

    it('erases every marker from the data directory, Redis and the Slack card, keeps others and the figures', async () => {
      const { chat, ticketId } = await customerWithMarkers(setup);
      const other = await openWebChat(setup.bot.url);
      await say(setup, other, { text: 'Wie richte ich das VPN ein? Anderer-Kunde-Text' });
      await settle(setup);
      const cardPost = setup.slack.callsTo('chat.postMessage').find((c) => c.args.channel === AGENT_CHANNEL);
      expect(JSON.stringify(cardPost?.args)).toContain(MARKERS.summary);
      const thread = () => [
        ...(setup.slack.threads.get(`${AGENT_CHANNEL}:${String(cardPost?.response?.ts)}`)?.values() ?? []),
      ];
      // The customer's later message was mirrored into the card's thread.
      expect(JSON.stringify(thread())).toContain(MARKERS.relayed);
      // The markers are there before: the scan can find them.
      const before = setup.redis
        ? [
            ...(await filesUnder(setup.dataDir)),
            ...(await redisContents(setup.redis.url, setup.redis.prefix)),
          ]
        : await filesUnder(setup.dataDir);
      const found = markersIn(before);
      expect(MARKER_LIST.filter((marker) => !found.some((f) => f.startsWith(marker)))).toEqual([]);

      const response = await fetch(
        `${setup.bot.url}/api/admin/customers/${encodeURIComponent('web-user:shop-user-1')}`,
        {
          method: 'DELETE',
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        },
      );
      expect(response.status).toBe(200);
      const erasure = (await response.json()) as {
        tickets: string[];
        cancelledTickets: string[];
        records: Record<string, number>;
      };
      expect(erasure.tickets).toEqual([ticketId]);
      expect(erasure.cancelledTickets).toEqual([ticketId]);
      expect(erasure.records.conversations).toBe(1);
      expect(erasure.records.webConversations).toBe(1);
      expect(erasure.records.loggedQuestions).toBeGreaterThan(0);
      await settle(setup);

      const files = await filesUnder(setup.dataDir);
      expect(markersIn(files)).toEqual([]);
      if (setup.redis) {
        expect(markersIn(await redisContents(setup.redis.url, setup.redis.prefix))).toEqual([]);
      }
      // The card in the agent channel was redrawn from the erased ticket.
      const updates = setup.slack.callsTo('chat.update').filter((c) => c.args.ts === cardPost?.response?.ts);
      expect(updates.length).toBeGreaterThan(0);
      expect(markersIn([{ bytes: Buffer.from(JSON.stringify(updates.at(-1)?.args)) }])).toEqual([]);
      // What the bot wrote in the card's thread is deleted.
      expect(setup.slack.callsTo('chat.delete').length).toBeGreaterThan(0);
      expect(thread()).toEqual([]);
      // The customer's token no longer opens anything; the other customer is untouched.
      const events = await fetch(`${setup.bot.url}/api/conversations/${chat.id}/events?after=0`, {
        headers: { Authorization: `Bearer ${chat.token}` },
      });
      expect([401, 404]).toContain(events.status);
      expect(JSON.stringify(await setup.bot.stores.conversations.get(other.conversationId))).toContain(
        'Anderer-Kunde-Text',
      );
      // The ticket keeps its figures; the audit entry says who and how many, with no text.
      expect(await setup.bot.stores.tickets.get(ticketId)).toMatchObject({
        id: ticketId,
        status: 'cancelled',
        details: {},
      });
      const audit = (await setup.bot.stores.audit.list()).find((e) => e.action === 'customer.delete');
      expect(audit).toMatchObject({ target: 'web-user:shop-user-1' });
      expect(markersIn([{ bytes: Buffer.from(JSON.stringify(audit)) }])).toEqual([]);
    });
  });
}

describeErasure('embedded store', () => undefined);
describeErasure('Redis', () => ({ url: redisTestUrl(), prefix: uniqueRedisPrefix('erasure') }));

describe('conversations under RETENTION_DAYS', () => {
  it('forgets an idle conversation and its transcript after RETENTION_DAYS when that is shorter than the idle time', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-retention-'));
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, RETENTION_DAYS: '2' });
    const bot = await startBot(config, silentLogger, { clock });
    try {
      const chat = await openWebChat(bot.url);
      await say({ bot }, chat, { text: 'Wie richte ich das VPN ein?' });
      clock.advance(DAY_MS);
      expect(await bot.stores.conversations.get(chat.conversationId)).toBeDefined();
      clock.advance(1.5 * DAY_MS);
      expect(await bot.stores.conversations.get(chat.conversationId)).toBeUndefined();
    } finally {
      await bot.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
