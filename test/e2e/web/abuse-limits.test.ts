import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { openWebChat } from '../../support/web-chats.ts';

// The bot as `npm start` builds it, with small limits so a test reaches them.
const ADMIN = 'abuse-admin-token-4711';
const dirs: string[] = [];
const bots: RunningBot[] = [];

async function bot(env: Record<string, string> = {}): Promise<RunningBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-abuse-'));
  dirs.push(dataDir);
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: ADMIN,
    WEB_NEW_CONVERSATIONS_PER_MINUTE: '3',
    WEB_MESSAGES_PER_MINUTE: '4',
    ...env,
  });
  const started = await startBot(config, silentLogger);
  bots.push(started);
  return started;
}

const open = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/conversations`, { method: 'POST', headers });

afterAll(async () => {
  for (const b of bots) await b.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('new conversations per client address', () => {
  let embedded: RunningBot;
  beforeAll(async () => {
    embedded = await bot();
  });

  it('opens a few, then answers 429 with Retry-After and a polite reason in the client’s language', async () => {
    for (let i = 0; i < 3; i++) expect((await open(embedded.url)).status).toBe(201);
    const german = await open(embedded.url, { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(german.status).toBe(429);
    const retryAfter = Number(german.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await german.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Moment/) });
    const english = (await (await open(embedded.url, { 'Accept-Language': 'en-GB' })).json()) as {
      error: { message: string };
    };
    expect(english.error.message).toMatch(/moment/);
    // A claimed forwarding address changes nothing when no proxy is trusted.
    expect((await open(embedded.url, { 'X-Forwarded-For': '203.0.113.7' })).status).toBe(429);
    const metrics = await (await fetch(`${embedded.url}/metrics`)).text();
    expect(metrics).toMatch(/web_rate_limited_total\{limit="new-conversation"\} [3-9]/);
  });

  it('tells clients apart by the proxy’s X-Forwarded-For when TRUST_PROXY is set', async () => {
    const proxied = await bot({ TRUST_PROXY: 'true' });
    for (let i = 0; i < 3; i++) {
      const forwarded = { 'X-Forwarded-For': `198.51.100.${i}, 203.0.113.1` };
      expect((await open(proxied.url, forwarded)).status).toBe(201);
    }
    // The address the proxy added (the last one) counts, not what the client put before it.
    expect((await open(proxied.url, { 'X-Forwarded-For': '198.51.100.9, 203.0.113.1' })).status).toBe(429);
    expect((await open(proxied.url, { 'X-Forwarded-For': '203.0.113.2' })).status).toBe(201);
  });
});

describe('messages per conversation', () => {
  it('answers a conversation that writes too fast politely in its language, records nothing, and leaves others alone', async () => {
    const embedded = await bot();
    const [fast, calm] = [await openWebChat(embedded.url), await openWebChat(embedded.url)];
    const say = (chat: { id: string; token: string }, text: string) =>
      fetch(`${embedded.url}/api/conversations/${chat.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
        body: JSON.stringify({ text, locale: 'en' }),
      });
    for (let i = 0; i < 4; i++) expect((await say(fast, `hello number ${i}`)).status).toBe(200);
    const before = (await embedded.stores.conversations.get(fast.conversationId))?.transcript.length;
    const refused = await say(fast, 'How do I set up the VPN?');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { replies: { type: string; text: string; language: string }[] };
    expect(body.replies).toEqual([
      { type: 'notice', text: expect.stringMatching(/too fast/), actions: [], language: 'en' },
    ]);
    expect((await embedded.stores.conversations.get(fast.conversationId))?.transcript.length).toBe(before);
    expect((await say(calm, 'How do I set up the VPN?')).status).toBe(200);
  });
});

describe('limits shared through Redis', () => {
  const prefix = uniqueRedisPrefix('abuse-limits');
  afterAll(async () => {
    await deleteRedisKeys(redisTestUrl(), prefix);
  });

  it('counts a client’s new conversations across two processes on one Redis', async () => {
    const env = { REDIS_URL: redisTestUrl(), REDIS_PREFIX: prefix };
    const [a, b] = [await bot(env), await bot(env)];
    expect((await open(a.url)).status).toBe(201);
    expect((await open(b.url)).status).toBe(201);
    expect((await open(a.url)).status).toBe(201);
    expect((await open(b.url)).status).toBe(429);
    expect((await open(a.url)).status).toBe(429);
  });
});

describe('admin sign-in throttle', () => {
  it('slows down wrong tokens from one address without locking out the right one', async () => {
    const embedded = await bot();
    const tickets = (token: string) =>
      fetch(`${embedded.url}/api/tickets`, { headers: { Authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await tickets(`wrong-guess-${i}`)).status);
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await tickets(ADMIN)).status).toBe(200);
    expect((await tickets('one-more-guess')).status).toBe(429);
  });
});
