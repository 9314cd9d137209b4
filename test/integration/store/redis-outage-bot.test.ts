import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import { PRINTER_FORM_SUBMISSION } from '../../support/intake-form.ts';
import { freePort, startRedisServer, stopRedisServer } from '../../support/redis-server.ts';
import { WebChats } from '../../support/web-chats.ts';

// The whole bot as `npm start` builds it with REDIS_URL, on a Redis of its own that this test stops.
let port: number;
let server: ChildProcess;
let bot: RunningBot;
let dataDir: string;
const prefix = 'outage-bot:';

beforeAll(async () => {
  port = await freePort();
  server = await startRedisServer(port);
  dataDir = await mkdtemp(join(tmpdir(), 'support-bot-outage-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: 'outage-admin-token',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  bot = await startBot(config, silentLogger);
});

afterAll(async () => {
  await bot.stop();
  await stopRedisServer(server);
  await rm(dataDir, { recursive: true, force: true });
});

const chats = new WebChats(() => bot.url);

async function say(conversation: string, body: unknown): Promise<Reply[]> {
  const response = await chats.post(conversation, body);
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

async function readiness(): Promise<{ status: string; checks?: unknown }> {
  return (await (await fetch(`${bot.url}/readyz`)).json()) as { status: string };
}

describe('the bot while Redis is away', () => {
  it('answers from the FAQ, keeps hand-offs, says degraded, and writes everything when Redis is back', async () => {
    expect((await readiness()).status).toBe('ok');
    await chats.open('ausfall-1');
    await stopRedisServer(server, 'SIGKILL');
    await vi.waitFor(async () => expect((await readiness()).status).toBe('degraded'));

    // A conversation opened before the outage goes on; one opened during it too (issued locally).
    const answer = await say('ausfall-1', { text: 'Wie richte ich das VPN ein?' });
    expect(answer.map((r) => r.type)).toContain('answer');
    // Pushed messages live in Redis: polling says "not now" instead of failing.
    const poll = await chats.events('ausfall-1');
    expect(poll.status).toBe(503);
    expect(poll.headers.get('retry-after')).toBe('2');

    await say('ausfall-2', { text: 'Ich möchte mit einem Menschen sprechen' });
    const handoff = await say('ausfall-2', {
      action: PRINTER_FORM_SUBMISSION,
    });
    const ticket = handoff.find((r) => r.type === 'ticket');
    expect(ticket?.type).toBe('ticket');
    const id = ticket?.type === 'ticket' ? ticket.ticket.id : '';

    server = await startRedisServer(port);
    await vi.waitFor(async () => expect((await readiness()).status).toBe('ok'), { timeout: 15_000 });

    const direct = await createRedisStores({ url: `redis://127.0.0.1:${port}`, prefix });
    try {
      const stored = await direct.tickets.get(id);
      expect(stored?.details.summary).toBe('Drucker druckt nicht');
      expect(await direct.queues.list('general')).toContain(id);
      const ausfall2 = await chats.conversationId('ausfall-2');
      expect((await direct.conversations.get(ausfall2))?.owner).toBe('queued');
      // The conversation issued while Redis was away was written there too: its customer goes on.
      expect((await direct.webAccess.get(ausfall2))?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await direct.close();
    }
  });
});
