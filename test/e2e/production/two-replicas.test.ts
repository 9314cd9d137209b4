import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { spawnBot } from '../../support/bot-process.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { freePort } from '../../support/redis-server.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';
import { nextIntakeStep } from '../web/intake-driver.ts';

/**
 * Two replicas as production runs them: two `npm start` processes (the real entry point, durable
 * hand-off, outbox) on one Redis, no sticky sessions. A web customer talks to one replica while
 * the agent works the ticket through the other.
 */
const ADMIN_TOKEN = 'replica-test-token';
const prefix = uniqueRedisPrefix('replicas');
const children: ChildProcess[] = [];

async function startReplica(name: string): Promise<string> {
  const port = await freePort();
  const { child } = await spawnBot({
    name,
    entry: 'source',
    env: {
      PORT: String(port),
      REDIS_URL: redisTestUrl(),
      REDIS_PREFIX: prefix,
      ADMIN_TOKEN,
      DATA_DIR: mkdtempSync(join(tmpdir(), `sb-${name}-`)),
      LOG_LEVEL: 'warn',
    },
  });
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

async function post(url: string, body: unknown, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

async function say(base: string, conversation: IssuedChat, body: unknown): Promise<Reply[]> {
  const response = await post(
    `${base}/api/conversations/${conversation.id}/messages`,
    body,
    conversation.token,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

describe('two replicas on one Redis', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
  }, 60_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await deleteRedisKeys(redisTestUrl(), prefix);
  });

  it("an agent's reply made through one replica reaches a web customer polling the other", async () => {
    // Issued by one replica, known to the other through Redis.
    const conversation = await openWebChat(b);
    let replies = await say(a, conversation, { text: 'Ich möchte mit einem Menschen sprechen' });
    for (let step = nextIntakeStep(replies); step; step = nextIntakeStep(replies)) {
      replies = await say(a, conversation, step);
    }
    const ticket = replies.find((r) => r.type === 'ticket');
    expect(ticket).toBeDefined();
    const ticketId = /SUP-\d+/.exec(ticket?.text ?? '')?.[0] ?? '';
    expect(ticketId).not.toBe('');

    const auth = ADMIN_TOKEN;
    expect((await post(`${b}/api/tickets/${ticketId}/claim`, { agent: 'Dana' }, auth)).status).toBe(200);
    const text = 'Der Drucker ist wieder verbunden, bitte noch einmal versuchen.';
    expect((await post(`${b}/api/tickets/${ticketId}/reply`, { agent: 'Dana', text }, auth)).status).toBe(
      200,
    );

    // The customer's page polls replica A only.
    const seen: string[] = [];
    let after = 0;
    const until = Date.now() + 10_000;
    while (!seen.some((t) => t.includes(text)) && Date.now() < until) {
      const response = await fetch(`${a}/api/conversations/${conversation.id}/events?after=${after}&wait=2`, {
        headers: { authorization: `Bearer ${conversation.token}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { events: { seq: number; reply: Reply }[]; cursor: number };
      seen.push(...body.events.map((e) => e.reply.text));
      after = body.cursor;
    }
    expect(seen.filter((t) => t.includes(text))).toHaveLength(1);
  });

  it('FAQ entries added through one replica are answered by the other, and every replica ends on the same index', async () => {
    const put = async (id: string, title: string, questions: string[]) => {
      const saved = await fetch(`${a}/api/admin/faq/${id}/de`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, questions, answer: `${title}: am Empfang im Erdgeschoss.` }),
      });
      expect(saved.status).toBe(201);
    };
    const tryOn = async (base: string, text: string) => {
      const response = await post(`${base}/api/admin/try`, { text }, ADMIN_TOKEN);
      expect(response.status).toBe(200);
      return (await response.json()) as { candidates: { id: string; score: number }[] };
    };
    const waitFor = async (what: () => Promise<boolean>) => {
      const until = Date.now() + 30_000;
      while (!(await what()) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 250));
      return what();
    };
    const parking = 'Wo finde ich den Parkausweis für die Tiefgarage?';
    await put('parking-permit', 'Parkausweis für die Tiefgarage', [
      parking,
      'Parkausweis Tiefgarage beantragen',
      'Wie bekomme ich einen Parkplatz in der Garage?',
    ]);
    // Replica B hears of the change (Redis) and answers it, from a quick index first.
    expect(await waitFor(async () => (await tryOn(b, parking)).candidates[0]?.id === 'parking-permit')).toBe(
      true,
    );
    const locker = 'Wie bekomme ich ein Schließfach für meine Sachen?';
    await put('locker', 'Schließfach im Büro', [
      locker,
      'Spind im Büro beantragen',
      'Schließfach Schlüssel verloren',
    ]);
    // A replica started now goes from the shipped index to both entries in one rebuild, where A
    // and B went through two: their quick indexes differ from its, their fresh ones do not.
    const c = await startReplica('c');
    const probes = [
      parking,
      locker,
      'Ich habe mein Passwort vergessen',
      'VPN bricht ständig ab',
      'my printer is offline',
    ];
    const answers = () =>
      Promise.all(
        [a, b, c].map(async (base) =>
          JSON.stringify(await Promise.all(probes.map((text) => tryOn(base, text)))),
        ),
      );
    expect(await waitFor(async () => new Set(await answers()).size === 1)).toBe(true);
    const [first, second] = JSON.parse((await answers())[0] as string) as { candidates: { id: string }[] }[];
    expect(first?.candidates[0]?.id).toBe('parking-permit');
    expect(second?.candidates[0]?.id).toBe('locker');
  }, 90_000);
});
