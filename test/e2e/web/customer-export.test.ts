import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';
import { apiCall } from './api-call.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

// The bot as `npm start` builds it: a customer's data, asked for by an admin (Art. 15 DSGVO).
let fx: WebFixture;

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

async function say(chat: IssuedChat, body: unknown): Promise<Reply[]> {
  const response = await fetch(`${fx.url}/api/conversations/${chat.id}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

const exportOf = (id: string, token = ADMIN_TOKEN) =>
  fetch(`${fx.url}/api/admin/customers/${encodeURIComponent(id)}/export`, {
    headers: { Authorization: `Bearer ${token}` },
  });

describe('GET /api/admin/customers/{id}/export', () => {
  it('exports everything held about one customer, nothing of another, and audits the export', async () => {
    const kim = await openWebChat(fx.url);
    const other = await openWebChat(fx.url);
    const answer = (await say(kim, { text: 'Ich habe mein Passwort vergessen' }))[0];
    const no = answer?.actions.find((a) => a.type === 'feedback' && !a.helpful);
    await say(kim, { action: no });
    await say(kim, { text: 'Mir fehlt der Link zum Kundenportal von Kim' });
    await say(other, { text: 'Wie richte ich das VPN ein? (anderer Kunde)' });

    const response = await exportOf(kim.conversationId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const data = (await response.json()) as Record<string, unknown[]> & { customerId: string };
    expect(data.customerId).toBe(kim.conversationId);
    expect(data.conversations).toHaveLength(1);
    const text = JSON.stringify(data);
    expect(text).toContain('Ich habe mein Passwort vergessen');
    expect(text).toContain('Mir fehlt der Link zum Kundenportal von Kim');
    expect(data.feedback).toEqual([expect.objectContaining({ helpful: false, entryId: 'password-reset' })]);
    expect(text).not.toContain('anderer Kunde');
    expect(text).not.toContain(kim.token);

    const audit = await fetch(`${fx.url}/api/admin/audit`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const events = ((await audit.json()) as { events: { action: string; target?: string }[] }).events;
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'customer.export', target: kim.conversationId }),
    );
  });

  it('is for admins only', async () => {
    expect((await exportOf('web:x', 'not-the-token')).status).toBe(401);
    expect((await fetch(`${fx.url}/api/admin/customers/web:x/export`)).status).toBe(401);
  });
});

describe('DELETE /api/admin/customers/{id}', () => {
  const erase = (id: string, token: string | null = ADMIN_TOKEN) =>
    apiCall(fx.url, 'DELETE', `/api/admin/customers/${encodeURIComponent(id)}`, { token });

  it('erases one customer’s conversation and nothing of another’s, and audits it without the text', async () => {
    const kim = await openWebChat(fx.url);
    const other = await openWebChat(fx.url);
    await say(kim, { text: 'Kims Frage zum Kundenportal' });
    await say(other, { text: 'Wie richte ich das VPN ein? (anderer Kunde)' });

    const erased = await erase(kim.conversationId);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ customerId: kim.conversationId, found: true, tickets: [] });
    expect(erased.body.records).toMatchObject({ conversations: 1, webConversations: 1 });
    expect(await fx.bot.stores.conversations.get(kim.conversationId)).toBeUndefined();
    expect(await fx.bot.stores.conversations.get(other.conversationId)).toBeDefined();
    // The token of an erased conversation opens nothing any more.
    const after = await fetch(`${fx.url}/api/conversations/${kim.id}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${kim.token}` },
      body: JSON.stringify({ text: 'Hallo?' }),
    });
    expect([401, 404]).toContain(after.status);
    const audit = (await fx.bot.stores.audit.list()).find((e) => e.action === 'customer.delete');
    expect(audit).toMatchObject({ target: kim.conversationId, actor: expect.any(String) });
    expect(JSON.stringify(audit)).not.toContain('Kundenportal');

    // A second request finds nothing more.
    const again = await erase(kim.conversationId);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'customer_not_found' });
  });

  it('answers 404 for an id nothing is held about and 400 for an id that cannot be one', async () => {
    expect((await erase('web:never-issued')).status).toBe(404);
    const bad = await erase('web:with space');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_customer_id');
  });

  it('is for admins only: 401 without or with a wrong token, 403 for an agent, and nothing is erased', async () => {
    const chat = await openWebChat(fx.url);
    await say(chat, { text: 'Eine Frage, die bleiben soll' });
    expect((await erase(chat.conversationId, null)).status).toBe(401);
    expect((await erase(chat.conversationId, 'not-the-token')).status).toBe(401);
    const added = await apiCall(fx.url, 'POST', '/api/admin/accounts', {
      token: ADMIN_TOKEN,
      body: { name: 'agnes-agent', role: 'agent' },
    });
    expect(added.status).toBe(201);
    expect((await erase(chat.conversationId, added.body.token as string)).status).toBe(403);
    expect(await fx.bot.stores.conversations.get(chat.conversationId)).toBeDefined();
  });
});
