import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { WebChats } from '../../support/web-chats.ts';
import { type ApiResult, apiCall } from './api-call.ts';
import { nextIntakeStep } from './intake-driver.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

// An e-mail outage through the web chat, as customers and an admin live it: declared in the admin
// API, told at once, reports linked instead of tickets, a ticket for the one who insists, and the
// end told to everyone linked, once.
let fx: WebFixture;
let chats: WebChats;

beforeAll(async () => {
  fx = await startWebFixture();
  chats = new WebChats(fx.url);
});

afterAll(async () => {
  await fx?.close();
});

function admin(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = ADMIN_TOKEN,
): Promise<ApiResult> {
  return apiCall(fx.url, method, path, { token, body });
}

async function say(label: string, message: { text: string } | { action: Action }): Promise<Reply[]> {
  const response = await chats.post(label, message);
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

const allText = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

async function pushed(label: string): Promise<Reply[]> {
  const body = (await (await chats.events(label)).json()) as { events: { reply: Reply }[] };
  return body.events.map((e) => e.reply);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('an incident in the web chat', () => {
  let id = '';

  it('is refused with a clear answer when the declaration is wrong', async () => {
    expect((await admin('POST', '/api/admin/incidents', { kind: 'incident' }, null)).status).toBe(401);
    const unknown = await admin('POST', '/api/admin/incidents', {
      kind: 'incident',
      service: 'drucker',
      status: { de: 'Drucker aus', en: 'Printers off' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_service' });
    expect(unknown.body.error.message).toMatch(/known: mail, web, vpn/);
    const shapeless = await admin('POST', '/api/admin/incidents', {
      kind: 'outage',
      service: 'mail',
      status: { de: 'x' },
      startsAt: 'gestern',
    });
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['kind', 'status.en', 'startsAt']),
    );
    const endless = await admin('POST', '/api/admin/incidents', {
      kind: 'maintenance',
      service: 'mail',
      status: { de: 'Wartung', en: 'Maintenance' },
    });
    expect(endless.body.error).toMatchObject({ code: 'end_required' });
    expect((await admin('POST', '/api/admin/incidents/INC-000000/end', {})).status).toBe(404);
    // An agent reads what is announced, but announcing is for admins.
    const agent = (await admin('POST', '/api/admin/accounts', { name: 'Anton Agent', role: 'agent' })).body
      .token;
    expect((await admin('GET', '/api/admin/incidents', undefined, agent)).status).toBe(200);
    const refused = await admin(
      'POST',
      '/api/admin/incidents',
      { kind: 'incident', service: 'mail', status: { de: 'x', en: 'y' } },
      agent,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/role agent may not/);
    expect((await admin('GET', '/api/admin/incidents/nonsense')).status).toBe(400);
  });

  it('is declared by an admin and told at once to a customer who reports an e-mail fault; no ticket', async () => {
    const declared = await admin('POST', '/api/admin/incidents', {
      kind: 'incident',
      service: 'mail',
      endsAt: '2099-01-01T12:00:00Z',
      status: {
        de: 'Der Mailserver ist gestört, wir arbeiten daran.',
        en: 'The mail server is down, we are working on it.',
      },
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ kind: 'incident', service: 'mail', active: true, reports: 0 });
    id = declared.body.id;

    const replies = await say('kim', { text: 'Mein Outlook geht seit heute früh nicht mehr' });
    const text = allText(replies);
    expect(text).toContain('Aktuelle Störung: E-Mail');
    expect(text).toContain('Der Mailserver ist gestört');
    expect(text).toContain('Voraussichtliches Ende: 01.01.2099');
    expect(text).toContain('Ihre Meldung ist bei dieser Störung vermerkt');
    expect(replies.some((r) => r.type === 'ticket' || r.type === 'answer')).toBe(false);
    // Said again: still one report, and still no ticket.
    expect(allText(await say('kim', { text: 'Outlook geht immer noch nicht' }))).toContain(
      'bereits vermerkt',
    );

    const incident = await admin('GET', `/api/admin/incidents/${id}`);
    expect(incident.body.reports).toBe(1);
    expect(incident.body.links[0]).toMatchObject({
      conversationId: (await chats.open('kim')).conversationId,
      channel: 'web',
      language: 'de',
      ticketId: null,
    });
    expect((await admin('GET', '/api/tickets')).body.tickets).toHaveLength(0);
  });

  it('tells an English customer in English and hands off when they insist, the ticket linked', async () => {
    const replies = await say('sam', { text: 'my email is not working at all' });
    expect(allText(replies)).toContain('Current incident: e-mail. The mail server is down');
    expect(allText(replies)).toContain("you don't need a ticket");
    const anyway = replies.flatMap((r) => r.actions).find((a) => a.label === 'I still need a ticket');
    if (!anyway) throw new Error(`no "I still need a ticket" in ${JSON.stringify(replies)}`);

    let step = await say('sam', { action: anyway });
    let ticketId: string | undefined;
    for (let i = 0; i < 15 && !ticketId; i++) {
      const ticket = step.find((r) => r.type === 'ticket');
      if (ticket?.type === 'ticket') ticketId = ticket.ticket.id;
      const next = nextIntakeStep(step);
      if (ticketId || !next) break;
      step = await say('sam', next);
    }
    if (!ticketId) throw new Error(`no ticket: ${JSON.stringify(step)}`);
    const ticket = await admin('GET', `/api/tickets/${ticketId}`);
    expect(ticket.body.ticket).toMatchObject({ announcementId: id });
    // The incident notes the ticket on Sam's report (an outbox listener, so it may take a moment).
    const incident = await until(
      () => admin('GET', `/api/admin/incidents/${id}`),
      (r) => r.body.links.some((l: { ticketId: string | null }) => l.ticketId === ticketId),
      'the ticket noted on the incident',
    );
    expect(incident.body.reports).toBe(2);
  });

  it('tells a customer with a question about the service once, before the usual answer, without linking', async () => {
    const first = await say('alex', { text: 'Wie richte ich Outlook auf dem Handy ein?' });
    expect(first[0]?.text).toContain('Aktuelle Störung: E-Mail');
    expect(first.length).toBeGreaterThan(1);
    const again = await say('alex', { text: 'Und wie richte ich Outlook auf dem Mac ein?' });
    expect(allText(again)).not.toContain('Aktuelle Störung');
    expect((await admin('GET', `/api/admin/incidents/${id}`)).body.reports).toBe(2);
  });

  it('ends with everyone linked told once, in their language; a second end tells nobody again', async () => {
    const updated = await admin('POST', `/api/admin/incidents/${id}/updates`, {
      text: { de: 'Ursache gefunden.', en: 'Cause found.' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.updates).toHaveLength(1);

    const ended = await admin('POST', `/api/admin/incidents/${id}/end`, {
      text: { de: 'Alle Mails sind zugestellt.', en: 'All mail is delivered.' },
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ active: false, reports: 2 });
    expect((await admin('POST', `/api/admin/incidents/${id}/end`, {})).status).toBe(200);
    expect(
      (await admin('POST', `/api/admin/incidents/${id}/updates`, { text: { de: 'x', en: 'y' } })).status,
    ).toBe(409);

    const toKim = await until(
      () => pushed('kim'),
      (r) => r.some((x) => x.text.includes('behoben')),
      'Kim told of the end',
    );
    const toSam = await until(
      () => pushed('sam'),
      (r) => r.some((x) => x.text.includes('resolved')),
      'Sam told of the end',
    );
    // Give a repeated notice time to show up, then count.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const kimEnds = (await pushed('kim')).filter((r) =>
      r.text.includes('Die Störung von E-Mail ist behoben'),
    );
    expect(kimEnds).toHaveLength(1);
    expect(kimEnds[0]?.text).toContain('Alle Mails sind zugestellt.');
    expect(
      (await pushed('sam')).filter((r) => r.text.includes('The incident with e-mail is resolved')),
    ).toHaveLength(1);
    expect(toKim.every((r) => r.language === 'de') && toSam.every((r) => r.language === 'en')).toBe(true);
    expect((await pushed('alex')).some((r) => r.text.includes('behoben'))).toBe(false);

    // Over: the next report is an ordinary question again.
    expect(allText(await say('kim', { text: 'Outlook geht nicht' }))).not.toContain('Aktuelle Störung');
    // Kim's report is part of what is held about Kim, and goes with an erasure.
    const kim = (await chats.open('kim')).conversationId;
    const exported = await admin('GET', `/api/admin/customers/${kim}/export`);
    expect(exported.body.incidentReports).toEqual([
      expect.objectContaining({
        announcementId: id,
        service: 'mail',
        report: expect.objectContaining({ conversationId: kim }),
      }),
    ]);
    const erased = await admin('DELETE', `/api/admin/customers/${kim}`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ incidentReports: 1 });
    expect((await admin('GET', `/api/admin/incidents/${id}`)).body.reports).toBe(1);

    const audit = await admin('GET', '/api/admin/audit');
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['incident.declare', 'incident.update', 'incident.end']),
    );
  });
});
