import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { HelpdeskStandIn } from '../../support/helpdesk-stand-in.ts';
import { type ApiResult, apiCall } from './api-call.ts';
import { nextIntakeStep } from './intake-driver.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

const INTEGRATION_TOKEN = `itk_${randomBytes(24).toString('base64url')}`;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let fx: WebFixture;
let helpdesk: HelpdeskStandIn;

beforeAll(async () => {
  helpdesk = new HelpdeskStandIn(SECRET);
  await helpdesk.start();
  fx = await startWebFixture({
    env: { INTEGRATION_TOKEN, WEBHOOK_URL: helpdesk.url, WEBHOOK_SECRET: SECRET },
  });
});

afterAll(async () => {
  await fx?.close();
  await helpdesk?.stop();
});

function call(method: string, path: string, token: string | null, body?: unknown): Promise<ApiResult> {
  return apiCall(fx.url, method, path, { token, body });
}

/** A web customer's ticket: the conversation is issued first, then spoken to with its token. */
async function openTicket(): Promise<string> {
  const issued = (await call('POST', '/api/conversations', null, {})).body as { id: string; token: string };
  const say = async (text?: string, action?: Action) =>
    (
      await call(
        'POST',
        `/api/conversations/${issued.id}/messages`,
        issued.token,
        text ? { text } : { action },
      )
    ).body.replies as Reply[];
  let replies = await say('Mein Drucker druckt nur leere Seiten');
  const person = replies.flatMap((r) => r.actions).find((a) => a.type === 'talk-to-person');
  replies = await say(undefined, person);
  for (let i = 0; i < 15; i++) {
    const ticket = replies.find((r) => r.type === 'ticket');
    if (ticket && 'ticket' in ticket) return ticket.ticket.id;
    const step = nextIntakeStep(replies);
    if (!step) break;
    replies = 'action' in step ? await say(undefined, step.action) : await say(step.text);
  }
  throw new Error(`no ticket: ${JSON.stringify(replies)}`);
}

describe('a helpdesk on the ticket API with its integration token', () => {
  it('may work tickets, and nothing else', async () => {
    expect((await call('GET', '/api/tickets', INTEGRATION_TOKEN)).status).toBe(200);
    for (const path of [
      '/api/admin/accounts',
      '/api/admin/audit',
      '/api/admin/faq/vpn-setup',
      '/api/admin/me',
    ]) {
      const refused = await call('GET', path, INTEGRATION_TOKEN);
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.message).toMatch(/integration token may only work tickets/);
    }
    expect((await call('GET', '/api/tickets', `${INTEGRATION_TOKEN}x`)).status).toBe(401);
  });

  it('claims, replies, records time and resolves, as its agent; the webhook mirrors every step once', async () => {
    const id = await openTicket();
    const claimed = await call('POST', `/api/tickets/${id}/claim`, INTEGRATION_TOKEN, { agent: 'jane' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket).toMatchObject({ status: 'claimed', assignee: 'helpdesk:jane' });
    expect(
      (
        await call('POST', `/api/tickets/${id}/reply`, INTEGRATION_TOKEN, {
          agent: 'jane',
          text: 'Toner is on its way.',
        })
      ).status,
    ).toBe(200);
    const time = await call('POST', `/api/tickets/${id}/time`, INTEGRATION_TOKEN, {
      agent: 'jane',
      minutes: 7,
    });
    expect(time.status).toBe(200);
    // Not a billable topic: the time is kept, nothing is billed.
    expect(time.body).toMatchObject({
      billedQuarterHours: 0,
      ticket: { timeEntries: [{ by: 'helpdesk:jane', minutes: 7 }] },
    });
    const bad = await call('POST', `/api/tickets/${id}/time`, INTEGRATION_TOKEN, {
      agent: 'jane',
      minutes: 0,
    });
    expect(bad.status).toBe(400);
    expect(
      (await call('POST', `/api/tickets/${id}/resolve`, INTEGRATION_TOKEN, { agent: 'jane' })).status,
    ).toBe(200);
    await helpdesk.waitForAccepted(5);
    const mine = helpdesk.accepted().filter((c) => c.ticketId === id);
    expect(mine.map((c) => c.type)).toEqual([
      'ticket.created',
      'ticket.claimed',
      'ticket.replied',
      'ticket.time-recorded',
      'ticket.resolved',
    ]);
    expect(mine.every((c) => c.valid)).toBe(true);
    expect(new Set(mine.map((c) => c.id)).size).toBe(mine.length);
    const audit = await call('GET', '/api/admin/audit', ADMIN_TOKEN);
    expect(JSON.stringify(audit.body)).toContain('ticket.time');

    // The customer's data erased on request: the helpdesk hears of it, with the ticket without it.
    const customerId = (await fx.bot.stores.tickets.get(id))?.customer.id ?? '';
    expect(
      (await call('DELETE', `/api/admin/customers/${encodeURIComponent(customerId)}`, ADMIN_TOKEN)).status,
    ).toBe(200);
    await helpdesk.waitForAccepted(6);
    const erased = helpdesk
      .accepted()
      .find((c) => c.ticketId === id && c.type === 'ticket.personal-data-erased');
    expect(erased?.valid).toBe(true);
    expect(erased?.body).not.toContain('leere Seiten');
  });
});

describe('monthly SLA report over the admin API', () => {
  it('answers the month as JSON, CSV or Markdown for whoever may read reports', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const json = await call('GET', `/api/admin/reports/sla?month=${month}`, ADMIN_TOKEN);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ month, rows: expect.any(Array), organisations: expect.any(Array) });
    // The tickets opened above belong to no organisation (a web visitor).
    expect(json.body.rows.some((r: { organisation: string }) => r.organisation === '-')).toBe(true);
    const csv = await fetch(`${fx.url}/api/admin/reports/sla?month=${month}&format=csv`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\n')[0]).toMatch(/^organisation,priority/);
    expect((await call('GET', '/api/admin/reports/sla?month=2026-13', ADMIN_TOKEN)).status).toBe(400);
    expect((await call('GET', `/api/admin/reports/sla?month=${month}&format=pdf`, ADMIN_TOKEN)).status).toBe(
      400,
    );
    expect((await call('GET', `/api/admin/reports/sla?month=${month}`, INTEGRATION_TOKEN)).status).toBe(403);
  });
});
