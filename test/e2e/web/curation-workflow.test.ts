import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { WebChats } from '../../support/web-chats.ts';
import { type ApiResult, apiCall } from './api-call.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

function call(method: string, path: string, body?: unknown): Promise<ApiResult> {
  return apiCall(fx.url, method, path, { token: ADMIN_TOKEN, body });
}

const chats = new WebChats(() => fx.url);
let seq = 0;
async function ask(text: string, conversation = `cw-${seq++}`): Promise<Reply[]> {
  return ((await (await chats.post(conversation, { text })).json()) as { replies: Reply[] }).replies;
}
const click = async (conversation: string, action: Action) =>
  ((await (await chats.post(conversation, { action })).json()) as { replies: Reply[] }).replies;
const answered = (replies: Reply[]) => replies.find((r) => r.type === 'answer')?.entryId;

interface Group {
  id: string;
  count: number;
  questionIds: string[];
  examples: string[];
  languages: string[];
  sources: Record<string, number>;
  hesitated: { id: string }[];
}
const groups = async () => (await call('GET', '/api/admin/inbox')).body.groups as Group[];
const groupWith = async (text: string) => (await groups()).find((g) => g.examples.includes(text));

describe('learning from what the bot missed', () => {
  it('groups paraphrases into one inbox group and makes an entry of it that the bot answers', async () => {
    const canteen = [
      'Wo finde ich den Speiseplan der Kantine?',
      'Kantine Speiseplan heute',
      'Wo finde ich den Speiseplan der Kantine?',
    ];
    for (const text of canteen) await ask(text);
    await ask('Are dogs allowed in the office?');
    const group = await groupWith('Kantine Speiseplan heute');
    expect(group).toMatchObject({ count: 3, languages: ['de'] });
    expect(group?.examples).toEqual(['Wo finde ich den Speiseplan der Kantine?', 'Kantine Speiseplan heute']);
    expect(group?.examples).not.toContain('Are dogs allowed in the office?');

    const created = await call('POST', '/api/admin/inbox/create', {
      questionIds: group?.questionIds,
      entry: {
        id: 'canteen-menu',
        language: 'de',
        title: 'Speiseplan der Kantine',
        questions: group?.examples,
        answer: 'Den Speiseplan finden Sie im Intranet unter *Kantine*.',
      },
    });
    expect(created.status).toBe(200);
    expect(answered(await ask('Wo steht der Speiseplan der Kantine?'))).toBe('canteen-menu');
    expect(await groupWith('Kantine Speiseplan heute')).toBeUndefined();
  });

  it('adds a group’s wordings to an existing entry, and ignores another', async () => {
    const headset = ['Mein Headset knistert furchtbar', 'Headset knistert ständig'];
    for (const text of headset) await ask(text);
    const group = await groupWith('Headset knistert ständig');
    expect(group?.count).toBe(2);
    const missing = await call('POST', '/api/admin/inbox/add-to-entry', {
      questionIds: group?.questionIds,
      entryId: 'nope',
    });
    expect(missing.status).toBe(404);
    const merged = await call('POST', '/api/admin/inbox/add-to-entry', {
      questionIds: group?.questionIds,
      entryId: 'teams-meeting-audio',
    });
    expect(merged.body).toMatchObject({ ok: true, questions: 2 });
    const entry = (await call('GET', '/api/admin/faq/teams-meeting-audio')).body;
    expect(entry.languages.de.entry.questions).toEqual(expect.arrayContaining(headset));
    expect(answered(await ask('Mein Headset knistert furchtbar'))).toBe('teams-meeting-audio');

    const dogs = await groupWith('Are dogs allowed in the office?');
    expect((await call('POST', '/api/admin/inbox/ignore', { questionIds: dogs?.questionIds })).status).toBe(
      200,
    );
    expect(await groupWith('Are dogs allowed in the office?')).toBeUndefined();
    const actions = (await call('GET', '/api/admin/audit')).body.events.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['inbox.create', 'inbox.merge', 'inbox.ignore']));
  });

  it('files an answer that did not help in the inbox', async () => {
    const conversation = 'cw-feedback';
    const replies = await ask('Mein Drucker druckt nur leere Seiten', conversation);
    const no = replies.flatMap((r) => r.actions).find((a) => a.type === 'feedback' && !a.helpful);
    await click(conversation, no as Action);
    await ask('Es fehlt die Anleitung für den Drucker im Keller', conversation);
    const group = await groupWith('Mein Drucker druckt nur leere Seiten');
    expect(group?.sources).toMatchObject({ 'negative-feedback': 1 });
    expect(group?.hesitated.length).toBeGreaterThan(0);
  });
});

describe('try it, and tuning on real traffic', () => {
  it('shows ranked candidates with scores, the thresholds and why', async () => {
    const clear = (await call('POST', '/api/admin/try', { text: 'Ich habe mein Passwort vergessen' })).body;
    expect(clear).toMatchObject({
      language: 'de',
      thresholds: { threshold: 0.45, margin: 0.35 },
      decision: 'answer',
      reason: { code: 'clear', threshold: 0.45 },
    });
    expect(clear.candidates[0]).toMatchObject({
      kind: 'faq',
      id: 'password-reset',
      title: expect.any(String),
    });
    expect(clear.candidates.length).toBeGreaterThan(1);
    expect(clear.candidates[0].score).toBeGreaterThanOrEqual(0.45);
    const framed = (
      await call('POST', '/api/admin/try', {
        text: 'Guten Tag, ich habe mein Passwort vergessen. Viele Grüße, Anna Muster',
      })
    ).body;
    expect(framed).toMatchObject({ decision: 'answer', rankedText: 'ich habe mein passwort vergessen' });
    expect(framed.candidates[0].id).toBe('password-reset');
    expect(clear.rankedText).toBeUndefined();
    const none = (await call('POST', '/api/admin/try', { text: 'Wie wird das Wetter morgen?' })).body;
    expect(none).toMatchObject({ decision: 'none', reason: { code: 'out-of-scope' } });
    expect((await call('POST', '/api/admin/try', { text: '' })).status).toBe(400);
  });

  it('draws the curve from questions with an outcome, previews a threshold, and sets it for the bot at once', async () => {
    const conversation = 'cw-tuning';
    const replies = await ask('Ich habe mein Passwort vergessen', conversation);
    const yes = replies.flatMap((r) => r.actions).find((a) => a.type === 'feedback' && a.helpful);
    await click(conversation, yes as Action);

    const tuning = (await call('GET', '/api/admin/tuning')).body;
    expect(tuning.current).toEqual({ threshold: 0.45, margin: 0.35 });
    expect(tuning.judged).toBeGreaterThan(0);
    const at = (t: number) => tuning.points.find((p: { threshold: number }) => p.threshold === t);
    expect(at(0.4).coverage).toBeGreaterThan(0);
    expect(at(0.95).coverage).toBeLessThanOrEqual(at(0.05).coverage);

    const preview = (await call('GET', '/api/admin/tuning/preview?threshold=0.99')).body;
    expect(preview.changed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          text: 'Ich habe mein Passwort vergessen',
          before: { kind: 'answer', entry: 'password-reset' },
          after: { kind: 'none' },
          right: 'password-reset',
        }),
      ]),
    );
    expect((await call('PUT', '/api/admin/settings/matching', { threshold: 2, margin: 0.3 })).status).toBe(
      400,
    );
    const set = await call('PUT', '/api/admin/settings/matching', { threshold: 0.99, margin: 0.35 });
    expect(set.body).toEqual({
      before: { threshold: 0.45, margin: 0.35 },
      after: { threshold: 0.99, margin: 0.35 },
    });
    expect(answered(await ask('Ich habe mein Passwort vergessen'))).toBeUndefined();
    await call('PUT', '/api/admin/settings/matching', { threshold: 0.45, margin: 0.35 });
    expect(answered(await ask('Ich habe mein Passwort vergessen'))).toBe('password-reset');
    const audit = (await call('GET', '/api/admin/audit')).body.events;
    expect(audit.find((e: { action: string }) => e.action === 'settings.matching')).toMatchObject({
      before: { threshold: 0.99 },
      after: { threshold: 0.45 },
    });
  });
});

describe('what it achieves', () => {
  it('gives figures per day as JSON and CSV, and refuses a range it cannot give', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const json = (await call('GET', `/api/admin/analytics?from=${today}&to=${today}`)).body;
    expect(json.days).toHaveLength(1);
    expect(json.days[0].conversations).toBeGreaterThan(0);
    expect(json.days[0].topEntries.map((e: { id: string }) => e.id)).toContain('password-reset');
    const response = await fetch(`${fx.url}/api/admin/analytics?format=csv`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const csv = await response.text();
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(csv.split('\n')[0]).toMatch(
      /^day,conversations,answered,deflection,handoffs,handoffs_by_queue,top_entries,/,
    );
    expect(csv.trim().split('\n')).toHaveLength(31);
    expect((await call('GET', '/api/admin/analytics?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  });
});
