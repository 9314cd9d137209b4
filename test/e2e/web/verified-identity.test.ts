import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { parseConfig } from '../../../src/config/config.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { createLogger } from '../../../src/ops/logger.ts';
import { launchChromium, pageErrors } from '../../support/chromium.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';
import { ask } from './chat-driver.ts';

// The embedding site's side, written out as its developers would: HMAC-SHA256, hex.
const SECRET = 'shared-with-the-shop-0123456789';
const hmac = (message: string) => createHmac('sha256', SECRET).update(message).digest('hex');

const dirs: string[] = [];
const bots: RunningBot[] = [];
const logLines: string[] = [];

async function bot(env: Record<string, string>): Promise<RunningBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'support-bot-identity-'));
  dirs.push(dataDir);
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const started = await startBot(config, createLogger({ level: 'info', write: (l) => logLines.push(l) }));
  bots.push(started);
  return started;
}

afterAll(async () => {
  for (const b of bots) await b.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function ticketOf(target: RunningBot, chat: IssuedChat) {
  const say = async (body: unknown) => {
    const response = await fetch(`${target.url}/api/conversations/${chat.id}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: Reply[] }).replies;
  };
  await say({ text: 'Ich möchte mit einem Menschen sprechen' });
  const replies = await say({
    action: {
      type: 'submit-form',
      label: 'Senden',
      values: {
        summary: 'Rechnung lässt sich nicht öffnen',
        system: 'Kundenportal',
        error: 'PDF leer',
        since: 'heute',
        impact: 'one',
        urgency: 'hinders',
        contact: '+49 30 1234567',
      },
    },
  });
  const reply = replies.find((r) => r.type === 'ticket');
  if (reply?.type !== 'ticket') throw new Error(`no ticket: ${JSON.stringify(replies)}`);
  return target.stores.tickets.get(reply.ticket.id);
}

describe('verified identity from an embedding site (WEB_IDENTITY_SECRET)', () => {
  let shop: RunningBot;
  beforeAll(async () => {
    shop = await bot({ WEB_IDENTITY_SECRET: SECRET });
  });

  it('carries a verified user (name, e-mail, organisation) to the ticket', async () => {
    const identity = {
      userId: 'kunde-4711',
      name: 'Kim Berger',
      email: 'kim.berger@example.com',
      organisation: 'Berger GmbH',
      hash: hmac('kunde-4711\nKim Berger\nkim.berger@example.com\nBerger GmbH'),
    };
    const ticket = await ticketOf(shop, await openWebChat(shop.url, { identity }));
    expect(ticket?.customer).toEqual({
      id: 'web-user:kunde-4711',
      name: 'Kim Berger',
      email: 'kim.berger@example.com',
      organisation: 'Berger GmbH',
    });
  });

  it('takes a user id alone signed as Intercom and Zendesk sign it: the HMAC of the id', async () => {
    const identity = { userId: 'kunde-0815', hash: hmac('kunde-0815') };
    const ticket = await ticketOf(shop, await openWebChat(shop.url, { identity }));
    expect(ticket?.customer.id).toBe('web-user:kunde-0815');
  });

  it('ignores a claim whose hash does not match (another e-mail under a real user id), and says so in the log', async () => {
    const tampered = {
      userId: 'kunde-4711',
      email: 'attacker@example.net',
      hash: hmac('kunde-4711'),
    };
    const chat = await openWebChat(shop.url, { identity: tampered });
    const ticket = await ticketOf(shop, chat);
    expect(ticket?.customer).toEqual({ id: chat.conversationId });
    const log = logLines.join('');
    expect(log).toContain('identity claim ignored: its hash does not match');
    expect(log).not.toContain('attacker@example.net');
  });

  it('ignores a claim of the wrong shape and still opens the conversation', async () => {
    for (const identity of [{ userId: 'x' }, { userId: 'a\u202eb', hash: hmac('a\u202eb') }, 'kunde-4711']) {
      const chat = await openWebChat(shop.url, { identity });
      expect(chat.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect((await shop.stores.webAccess.get(chat.conversationId))?.identity).toBeUndefined();
    }
    expect(logLines.join('')).toContain('identity claim ignored: not of the documented shape');
  });
});

describe('the chat page embedded with a signed-in user', () => {
  it('opens its conversation with the #identity claim, drops the claim from the address, and keeps it on reload', async () => {
    const shop = await bot({ WEB_IDENTITY_SECRET: SECRET });
    const identity = { userId: 'kunde-9001', name: 'Alex Weber', hash: hmac('kunde-9001\nAlex Weber') };
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'de-DE' });
      const errors = pageErrors(page);
      await page.goto(`${shop.url}/#identity=${encodeURIComponent(JSON.stringify(identity))}`);
      await ask(page, 'Ich habe mein Passwort vergessen');
      expect(new URL(page.url()).hash).toBe('');
      const id = (await page.evaluate("localStorage.getItem('sb.chat.id')")) as string;
      expect((await shop.stores.webAccess.get(`web:${id}`))?.identity).toEqual({
        userId: 'kunde-9001',
        name: 'Alex Weber',
      });
      expect((await shop.stores.conversations.get(`web:${id}`))?.customer.id).toBe('web-user:kunde-9001');
      await page.reload();
      await ask(page, 'Wie richte ich das VPN ein?');
      expect(await page.evaluate("localStorage.getItem('sb.chat.id')")).toBe(id);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('without WEB_IDENTITY_SECRET', () => {
  it('ignores every identity claim, however well signed, and logs why', async () => {
    const plain = await bot({});
    const chat = await openWebChat(plain.url, {
      identity: { userId: 'kunde-4711', hash: hmac('kunde-4711') },
    });
    const ticket = await ticketOf(plain, chat);
    expect(ticket?.customer).toEqual({ id: chat.conversationId });
    expect(logLines.join('')).toContain('identity claim ignored: WEB_IDENTITY_SECRET is not set');
  });
});
