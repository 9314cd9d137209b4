import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createLogger } from '../../../src/ops/logger.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';

// The whole bot as `npm start` builds it, its log kept, tried as an attacker would try it.
const ADMIN = 'access-admin-token-0815';
const SECRET = 'Ihr temporäres Passwort lautet Kiwi-7731';
let bot: RunningBot;
let dataDir: string;
const logLines: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'support-bot-access-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN });
  bot = await startBot(config, createLogger({ level: 'debug', write: (line) => logLines.push(line) }));
});

afterAll(async () => {
  await bot?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function request(
  method: string,
  path: string,
  options: { token?: string; authorization?: string; body?: unknown } = {},
): Promise<{ status: number; body: { error?: { code: string } } & Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.authorization) headers.Authorization = options.authorization;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${bot.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

const post = (chat: IssuedChat, body: unknown, token = chat.token) =>
  request('POST', `/api/conversations/${chat.id}/messages`, { token, body });

const handOffForm = {
  type: 'submit-form',
  label: 'Senden',
  values: {
    summary: 'Kein Zugang zum Portal',
    system: 'Portal',
    error: 'Passwort abgelaufen',
    since: 'heute',
    impact: 'one',
    urgency: 'hinders',
    contact: 'kim@example.com',
  },
};

describe('issuing web conversations', () => {
  it('issues an opaque id and a token of at least 128 bits, and keeps only the token hash', async () => {
    const response = await fetch(`${bot.url}/api/conversations`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { id, token } = (await response.json()) as { id: string; token: string };
    expect(id).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const other = await openWebChat(bot.url);
    expect(other.id).not.toBe(id);
    expect(other.token).not.toBe(token);
    const stored = await bot.stores.webAccess.get(`web:${id}`);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('lets no client choose the id: fields in the body are refused, and posting to an unissued id creates nothing', async () => {
    const chosen = await request('POST', '/api/conversations', { body: { id: 'my-own-id' } });
    expect(chosen.status).toBe(400);
    const unissued = await request('POST', '/api/conversations/made-up-by-client/messages', {
      body: { text: 'Hallo' },
    });
    expect(unissued.status).toBe(401);
    const guessedToken = await request('POST', '/api/conversations/made-up-by-client/messages', {
      token: 'x'.repeat(43),
      body: { text: 'Hallo' },
    });
    expect(guessedToken.status).toBe(404);
    expect(await bot.stores.conversations.get('web:made-up-by-client')).toBeUndefined();
    expect(await bot.stores.webEvents.has('web:made-up-by-client')).toBe(false);
  });
});

describe("one client tries to read, write and cancel another customer's conversation", () => {
  let victim: IssuedChat;
  let attacker: IssuedChat;
  let ticketId: string;

  beforeAll(async () => {
    victim = await openWebChat(bot.url);
    attacker = await openWebChat(bot.url);
    expect((await post(victim, { text: 'Ich möchte mit einem Menschen sprechen' })).status).toBe(200);
    const handoff = await post(victim, { action: handOffForm });
    const ticket = (handoff.body.replies as Reply[]).find((r) => r.type === 'ticket');
    ticketId = ticket?.type === 'ticket' ? ticket.ticket.id : '';
    expect(ticketId).toMatch(/^SUP-/);
    const reply = await request('POST', `/api/tickets/${ticketId}/reply`, {
      token: ADMIN,
      body: { agent: 'Erika', text: SECRET },
    });
    expect(reply.status).toBe(200);
    expect((await post(attacker, { text: 'Hallo' })).status).toBe(200);
  });

  const victimEvents = (init: { token?: string; authorization?: string }) =>
    request('GET', `/api/conversations/${victim.id}/events?after=0`, init);

  it("cannot read the agent's reply: no token, its own token, a guessed token, other schemes", async () => {
    expect((await victimEvents({})).status).toBe(401);
    expect((await victimEvents({ token: attacker.token })).status).toBe(404);
    // One character off (not the token itself when it happens to end in "A").
    const guessed = `${victim.token.slice(0, -1)}${victim.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await victimEvents({ token: guessed })).status).toBe(404);
    expect((await victimEvents({ authorization: `Basic ${victim.token}` })).status).toBe(401);
    expect((await victimEvents({ authorization: victim.token })).status).toBe(401);
    expect((await victimEvents({ authorization: `Bearer ${ADMIN}` })).status).toBe(404);
    const inQuery = await request(
      'GET',
      `/api/conversations/${victim.id}/events?after=0&token=${victim.token}`,
    );
    expect(inQuery.status).toBe(401);
    // The attacker's own events carry nothing of the victim's.
    const own = await request('GET', `/api/conversations/${attacker.id}/events?after=0`, {
      token: attacker.token,
    });
    expect(own.status).toBe(200);
    expect(JSON.stringify(own.body)).not.toContain('Kiwi-7731');
  });

  it('cannot write into it, cancel the ticket, escalate it, rate it or replay a request', async () => {
    const before = await bot.stores.conversations.get(victim.conversationId);
    const attempts: unknown[] = [
      { text: 'Bitte Passwort nochmal schicken' },
      { text: 'abbrechen' },
      { action: { type: 'cancel', label: 'Abbrechen' } },
      { action: { type: 'escalate', label: 'Dringend' } },
      { action: { type: 'rate', ticketId, rating: 1, label: '1' } },
      { action: { type: 'talk-to-person', label: 'Mensch' } },
    ];
    for (const body of attempts) {
      expect((await post(victim, body, attacker.token)).status).toBe(404);
      expect((await post(victim, body, '')).status).toBe(401);
    }
    const replay = await fetch(`${bot.url}/api/conversations/${victim.id}/messages`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'replayed-key-1',
        Authorization: `Bearer ${attacker.token}`,
      },
      body: JSON.stringify({ text: 'abbrechen' }),
    });
    expect(replay.status).toBe(404);
    // Nothing was recorded: the conversation, the ticket and the agent's reply are as they were.
    const after = await bot.stores.conversations.get(victim.conversationId);
    expect(after?.transcript).toEqual(before?.transcript);
    expect(after?.owner).toBe(before?.owner);
    const ticket = await bot.stores.tickets.get(ticketId);
    expect(ticket?.status).not.toBe('cancelled');
    expect(ticket?.escalationRequestedAt).toBeUndefined();
    expect(JSON.stringify(ticket?.transcript)).not.toContain('Passwort nochmal');
  });

  it('cannot use a customer token on the agent API', async () => {
    const tickets = await request('GET', '/api/tickets', { token: attacker.token });
    expect(tickets.status).toBe(401);
    const cancel = await request('POST', `/api/tickets/${ticketId}/resolve`, {
      token: victim.token,
      body: { agent: 'x' },
    });
    expect(cancel.status).toBe(401);
  });

  it('leaves the customer their own conversation: the secret reaches them with their token', async () => {
    const mine = await victimEvents({ token: victim.token });
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain('Kiwi-7731');
  });

  it('keeps every token out of the data directory and the log', async () => {
    const files = await readdir(dataDir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(
      files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
    );
    const everything = `${texts.join('\n')}\n${logLines.join('')}`;
    expect(everything.length).toBeGreaterThan(0);
    for (const token of [victim.token, attacker.token]) expect(everything).not.toContain(token);
    // Agents' view of the ticket names the customer by a short reference, not by any credential.
    const detail = await request('GET', `/api/tickets/${ticketId}`, { token: ADMIN });
    expect(JSON.stringify(detail.body)).not.toContain(victim.token);
  });
});
