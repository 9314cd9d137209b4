import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';
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
