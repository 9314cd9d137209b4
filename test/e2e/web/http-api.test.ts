import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { openWebChat } from '../../support/web-chats.ts';
import { nextIntakeStep } from './intake-driver.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

interface Result {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: black-box responses, asserted field by field with expect()
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Result> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.raw !== undefined) headers['Content-Type'] ??= 'application/json';
  // A conversation this file opened is spoken to with its token, unless a test says otherwise.
  const chatToken = /^\/api\/conversations\/([^/]+)\//.exec(path)?.[1];
  const token = options.token === undefined ? tokens.get(chatToken ?? '') : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${fx.url}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    body = text; // not JSON (pages, metrics): keep the text for the assertion
  }
  return { status: response.status, body, headers: response.headers };
}

const say = (id: string, text: string, headers: Record<string, string> = {}) =>
  call('POST', `/api/conversations/${id}/messages`, { body: { text }, headers });
const click = (id: string, action: Action) =>
  call('POST', `/api/conversations/${id}/messages`, { body: { action } });
const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, { body, token: ADMIN_TOKEN });

/** Tokens of the conversations this file opened, by id. */
const tokens = new Map<string, string>();
async function newConversation(): Promise<string> {
  const chat = await openWebChat(fx.url);
  tokens.set(chat.id, chat.token);
  return chat.id;
}

async function openTicket(id: string): Promise<Reply & { type: 'ticket' }> {
  let replies = (await say(id, 'Mein Drucker druckt nur leere Seiten')).body.replies as Reply[];
  const person = replies.flatMap((r) => r.actions).find((a) => a.type === 'talk-to-person');
  expect(person).toBeDefined();
  replies = (await click(id, person as Action)).body.replies;
  for (let step = 0; step < 15; step++) {
    const ticket = replies.find((r) => r.type === 'ticket');
    if (ticket) return ticket as Reply & { type: 'ticket' };
    const next = nextIntakeStep(replies);
    if (!next) break;
    const res = 'text' in next ? await say(id, next.text) : await click(id, next.action);
    expect(res.status).toBe(200);
    replies = res.body.replies;
  }
  throw new Error(`no ticket reached; last replies: ${JSON.stringify(replies)}`);
}

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { store: { status: 'ok' } } },
    });
  });

  it('exposes request counters in Prometheus format', async () => {
    await call('GET', '/healthz');
    const res = await call('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });
});

describe('POST /api/conversations/{id}/messages', () => {
  it('answers a German question with an answer reply and its actions', async () => {
    const res = await say(await newConversation(), 'Ich habe mein Passwort vergessen');
    expect(res.status).toBe(200);
    const [first] = res.body.replies;
    expect(first).toMatchObject({ type: 'answer', entryId: 'password-reset', language: 'de' });
    expect(typeof first.text).toBe('string');
    expect(first.actions.map((a: Action) => a.type)).toContain('feedback');
  });

  it('answers an English question in English', async () => {
    const res = await say(await newConversation(), 'How do I set up the VPN?');
    expect(res.body.replies[0]).toMatchObject({ type: 'answer', entryId: 'vpn-setup', language: 'en' });
  });

  it('takes an action exactly as offered and shows that entry', async () => {
    const id = await newConversation();
    const first = (await say(id, 'Ich habe mein Passwort vergessen')).body.replies[0] as Reply;
    const related = first.actions.find((a) => a.type === 'show-entry');
    expect(related).toBeDefined();
    const res = await click(id, related as Action);
    expect(res.status).toBe(200);
    expect(res.body.replies[0]).toMatchObject({
      type: 'answer',
      entryId: (related as { entryId: string }).entryId,
    });
  });

  it('answers a retried request with the same Idempotency-Key once, with the same replies', async () => {
    const id = await newConversation();
    const headers = { 'Idempotency-Key': `retry-${id}` };
    const [a, b] = await Promise.all([
      say(id, 'Wie richte ich VPN ein?', headers),
      say(id, 'Wie richte ich VPN ein?', headers),
    ]);
    const c = await say(id, 'Wie richte ich VPN ein?', headers);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    const conversation = await fx.bot.stores.conversations.get(`web:${id}`);
    expect(conversation?.transcript.filter((l) => l.from === 'customer')).toHaveLength(1);
  });

  it.each([
    ['has a space', 'bad%20id'],
    ['is too long', 'x'.repeat(101)],
    ['has a dot', 'a.b'],
  ])('rejects a conversation id that %s', async (_why, id) => {
    const res = await say(id, 'hallo');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_conversation_id');
  });

  it('rejects bad JSON with a clear message', async () => {
    const res = await call('POST', `/api/conversations/${await newConversation()}/messages`, {
      raw: '{"text": "hallo"',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('rejects unknown fields', async () => {
    const res = await call('POST', `/api/conversations/${await newConversation()}/messages`, {
      body: { text: 'hallo', colour: 'blue' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(JSON.stringify(res.body.error.issues)).toContain('colour');
  });

  it.each([
    ['a number as text', { text: 5 }],
    ['an empty text', { text: '   ' }],
    ['neither text nor action', {}],
    ['both text and action', { text: 'hi', action: { type: 'talk-to-person', label: 'x' } }],
    ['an action of unknown type', { action: { type: 'launch-rocket', label: 'x' } }],
    ['an action with an extra field', { action: { type: 'talk-to-person', label: 'x', force: true } }],
    ['an array', [{ text: 'hi' }]],
  ])('rejects %s', async (_why, body) => {
    const res = await call('POST', `/api/conversations/${await newConversation()}/messages`, { body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
  });

  it('rejects an oversized body with 413 and a message naming the limit', async () => {
    const res = await call('POST', `/api/conversations/${await newConversation()}/messages`, {
      raw: JSON.stringify({ text: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
    expect(res.body.error.message).toContain('65536');
  });

  it('rejects a body that is not JSON by content type', async () => {
    const res = await call('POST', `/api/conversations/${await newConversation()}/messages`, {
      raw: 'text=hallo',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('refuses a JSON body sent without a JSON content type (as a cross-site form could) and records nothing', async () => {
    const id = await newConversation();
    for (const type of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]) {
      const response = await fetch(`${fx.url}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.get(id)}`, ...(type ? { 'Content-Type': type } : {}) },
        body: JSON.stringify({ text: 'Ich habe mein Passwort vergessen' }),
      });
      expect(response.status, String(type)).toBe(415);
    }
    expect(await fx.bot.stores.conversations.get(`web:${id}`)).toBeUndefined();
    const bare = await fetch(`${fx.url}/api/conversations`, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(415);
  });

  it('answers a message of zero-width characters with a reply', async () => {
    const res = await say(await newConversation(), '\u200b\u200c\u2060');
    expect(res.status).toBe(200);
    expect(res.body.replies).toHaveLength(1);
    expect(res.body.replies[0].type).toBe('notice');
  });

  it('answers 405 for a wrong method and 404 for an unknown route', async () => {
    const wrong = await call('GET', `/api/conversations/${await newConversation()}/messages`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.body.error.code).toBe('method_not_allowed');
    const missing = await call('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('GET /api/conversations/{id}/events', () => {
  it('is 404 for a conversation that was never issued, even with a well-formed token', async () => {
    const res = await call('GET', '/api/conversations/never-issued-1/events?after=0', {
      token: 'a'.repeat(43),
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('conversation_not_found');
  });

  it('is empty for a fresh conversation and rejects a bad cursor', async () => {
    const id = await newConversation();
    await say(id, 'hallo');
    expect(await call('GET', `/api/conversations/${id}/events?after=0`)).toMatchObject({
      status: 200,
      body: { events: [], cursor: 0 },
    });
    const bad = await call('GET', `/api/conversations/${id}/events?after=-1`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_query');
  });
});

describe('agent API', () => {
  it('requires the admin token', async () => {
    const none = await call('GET', '/api/tickets');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await call('GET', '/api/tickets', { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/wrong/i);
    const wrongAction = await call('POST', '/api/tickets/SUP-1001/claim', {
      body: { agent: 'x' },
      token: 'nope',
    });
    expect(wrongAction.status).toBe(401);
  });

  it('runs a ticket from intake to claim, reply (seen by the customer) and resolve', async () => {
    const id = await newConversation();
    const ticketReply = await openTicket(id);
    expect(ticketReply.ticket.id).toMatch(/^SUP-\d+$/);
    expect(ticketReply.position).toBeGreaterThanOrEqual(1);
    const ticketId = ticketReply.ticket.id;

    const list = await admin('GET', '/api/tickets?status=queued');
    expect(list.status).toBe(200);
    const item = list.body.tickets.find((t: { id: string }) => t.id === ticketId);
    expect(item).toMatchObject({ status: 'queued', channel: 'web', sla: expect.any(String) });
    expect(item.summary.length).toBeGreaterThan(0);

    const detail = await admin('GET', `/api/tickets/${ticketId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.ticket.transcript.length).toBeGreaterThan(0);

    const claimed = await admin('POST', `/api/tickets/${ticketId}/claim`, { agent: 'Erika' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket).toMatchObject({ status: 'claimed', assignee: 'Erika' });

    const again = await admin('POST', `/api/tickets/${ticketId}/claim`, { agent: 'Hans' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.body.error.code).toEqual(expect.any(String));

    const replied = await admin('POST', `/api/tickets/${ticketId}/reply`, {
      agent: 'Erika',
      text: 'Ich schaue mir den Drucker gleich an.',
    });
    expect(replied.status).toBe(200);

    const events = await call('GET', `/api/conversations/${id}/events?after=0`);
    expect(events.status).toBe(200);
    const relay = events.body.events.find((e: { reply: Reply }) => e.reply.type === 'relay');
    expect(relay.reply.text).toContain('Ich schaue mir den Drucker gleich an.');
    const cursor = events.body.cursor as number;
    expect(cursor).toBeGreaterThanOrEqual(relay.seq);

    const resolved = await admin('POST', `/api/tickets/${ticketId}/resolve`, {
      agent: 'Erika',
      note: 'Toner getauscht',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.ticket.status).toBe('resolved');
    const later = await call('GET', `/api/conversations/${id}/events?after=${cursor}`);
    expect(later.body.events.length).toBeGreaterThan(0);
    expect(later.body.events.every((e: { seq: number }) => e.seq > cursor)).toBe(true);
  });

  it('gives the console the words for a ticket: queue names, field labels, customer, thread, FAQ candidates', async () => {
    const id = await newConversation();
    const ticketId = (await openTicket(id)).ticket.id;
    await say(id, 'Es ist der Drucker im zweiten Stock');

    const list = await admin('GET', '/api/tickets');
    const item = list.body.tickets.find((t: { id: string }) => t.id === ticketId);
    expect(item.queueName).toEqual({ de: expect.any(String), en: expect.any(String) });
    expect(item.queueName.de).not.toBe(item.queue);
    expect(item.customer).toEqual({
      channel: 'web',
      ref: id
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(-4)
        .toLowerCase(),
    });

    const { view } = (await admin('GET', `/api/tickets/${ticketId}`)).body;
    expect(view.queueName).toEqual(item.queueName);
    const summary = view.details.find((d: { name: string }) => d.name === 'summary');
    expect(summary.label).toEqual({ de: 'Kurzbeschreibung', en: 'Summary' });
    const urgency = view.details.find((d: { name: string }) => d.name === 'urgency');
    expect(urgency.valueLabel).toEqual({ de: expect.any(String), en: expect.any(String) });
    const customerLines = view.thread.filter((l: { from?: string }) => l.from === 'customer');
    expect(customerLines[0].text).toBe('Mein Drucker druckt nur leere Seiten');
    expect(customerLines.at(-1).text).toBe('Es ist der Drucker im zweiten Stock');
    const times = view.thread.map((l: { at: number }) => l.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(view.candidates.every((c: { id: string }) => !c.id.startsWith('intent:'))).toBe(true);
    expect(JSON.stringify(view)).not.toContain(`web:${id}`);

    const queues = await admin('GET', '/api/admin/queues');
    expect(queues.status).toBe(200);
    expect(queues.body.queues).toContainEqual({
      id: 'network',
      name: { de: 'Netzwerk und VPN', en: 'Network and VPN' },
    });
    expect((await call('GET', '/api/admin/queues')).status).toBe(401);
  });

  it('validates agent action bodies and unknown tickets', async () => {
    const noAgent = await admin('POST', '/api/tickets/SUP-1001/claim', {});
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.error.code).toBe('invalid_body');
    const extra = await admin('POST', '/api/tickets/SUP-1001/reply', { agent: 'a', text: 'b', cc: 'c' });
    expect(extra.status).toBe(400);
    const badJson = await call('POST', '/api/tickets/SUP-1001/claim', { raw: '{agent', token: ADMIN_TOKEN });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    const missing = await admin('GET', '/api/tickets/SUP-999999');
    expect(missing.status).toBe(404);
    const missingClaim = await admin('POST', '/api/tickets/SUP-999999/claim', { agent: 'Erika' });
    expect(missingClaim.status).toBe(404);
    const badFilter = await admin('GET', '/api/tickets?status=sleeping');
    expect(badFilter.status).toBe(400);
  });
});

describe('admin API', () => {
  it('lists unanswered questions and lets a curator dismiss one', async () => {
    const id = await newConversation();
    await say(id, 'Wie viele Giraffen passen in einen Kühlschrank bei Vollmond?');
    await say(id, 'Quantenchromodynamik der Kantinenspeisekarte erklären bitte');
    const list = await admin('GET', '/api/admin/unanswered');
    expect(list.status).toBe(200);
    const mine = list.body.questions.filter(
      (q: { conversationId: string }) => q.conversationId === `web:${id}`,
    );
    expect(mine.length).toBeGreaterThan(0);
    // A best guess is titled only when it is an FAQ entry; an intent ("talk to a person") is not.
    for (const question of mine.filter((q: { bestGuess?: unknown }) => q.bestGuess)) {
      const entry = fx.bot.understanding.knowledge.get(question.bestGuess.id, 'de');
      expect(question.bestGuess.title?.de).toBe(entry?.title);
    }
    const dismissed = await admin('POST', `/api/admin/unanswered/${mine[0].id}/dismiss`);
    expect(dismissed).toMatchObject({ status: 200, body: { status: 'dismissed' } });
    const after = await admin('GET', '/api/admin/unanswered');
    expect(after.body.questions.some((q: { id: string }) => q.id === mine[0].id)).toBe(false);
    expect((await admin('POST', '/api/admin/unanswered/nope/dismiss')).status).toBe(404);
  });

  it('shows negative feedback and counts it in today’s figures', async () => {
    const id = await newConversation();
    const answer = (await say(id, 'Ich habe mein Passwort vergessen')).body.replies[0] as Reply;
    const no = answer.actions.find((a) => a.type === 'feedback' && !a.helpful);
    expect(no).toBeDefined();
    expect((await click(id, no as Action)).status).toBe(200);
    // The bot asks what was missing; the answer is kept with the feedback.
    expect((await say(id, 'Mir fehlt der Link zum Portal')).status).toBe(200);
    const feedback = await admin('GET', '/api/admin/feedback?helpful=false');
    expect(feedback.status).toBe(200);
    const mine = feedback.body.feedback.find(
      (f: { conversationId: string }) => f.conversationId === `web:${id}`,
    );
    expect(mine).toMatchObject({ helpful: false, entryId: 'password-reset' });
    // The console shows the entry by its title in either language, not by its id.
    expect(mine.entryTitle.de).toBe(fx.bot.understanding.knowledge.get('password-reset', 'de')?.title);
    expect(mine.entryTitle.en).toBe(fx.bot.understanding.knowledge.get('password-reset', 'en')?.title);
    const stats = await admin('GET', '/api/admin/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(stats.body.feedbackToday.notHelpful).toBeGreaterThanOrEqual(1);
    expect(stats.body.tickets).toEqual(expect.objectContaining({ queued: expect.any(Number) }));
  });

  it('searches FAQ titles', async () => {
    const res = await admin('GET', '/api/admin/faq?q=VPN');
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
    expect(res.body.results[0].id).toContain('vpn');
    const en = await admin('GET', '/api/admin/faq?q=VPN&language=en');
    expect(en.body.results.every((r: { language: string }) => r.language === 'en')).toBe(true);
    expect((await admin('GET', '/api/admin/faq?q=VPN&language=fr')).status).toBe(400);
  });

  it('needs the token too', async () => {
    for (const path of [
      '/api/admin/unanswered',
      '/api/admin/feedback',
      '/api/admin/stats',
      '/api/admin/faq?q=x',
    ]) {
      expect((await call('GET', path)).status).toBe(401);
    }
  });
});

describe('pages', () => {
  it('serves the chat and the console with a strict content security policy', async () => {
    for (const path of ['/', '/admin']) {
      const res = await call('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const js = await call('GET', '/assets/chat.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await call('GET', '/assets/..%2Fhttp-server.ts')).status).toBe(404);
  });
});

describe('without ADMIN_TOKEN', () => {
  it('switches the agent and admin API off with a hint to set it', async () => {
    const off = await startWebFixture({ adminToken: undefined });
    try {
      const res = await fetch(`${off.url}/api/tickets`, { headers: { Authorization: 'Bearer anything' } });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('admin_disabled');
      expect(body.error.message).toContain('ADMIN_TOKEN');
    } finally {
      await off.close();
    }
  });
});
