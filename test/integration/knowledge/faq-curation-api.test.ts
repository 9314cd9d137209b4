import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAuth } from '../../../src/admin/admin-auth.ts';
import { FaqCurationApi } from '../../../src/admin/faq-curation-api.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Stores } from '../../../src/core/ports.ts';
import { HttpServer } from '../../../src/http/http-server.ts';
import { KnowledgeCuration } from '../../../src/knowledge/knowledge-curation.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import type { Understanding } from '../../../src/understanding/understanding.ts';
import {
  answeredId,
  BADGE_DRAFT,
  defaultKnowledge,
  freshUnderstanding,
  STAMP_QUESTION,
} from './curation-fixture.ts';

const TOKEN = 'console-token-for-tests';
let server: HttpServer;
let stores: Stores;
let understanding: Understanding;
let base: string;

beforeAll(async () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 10, 0, 0));
  stores = await createEmbeddedStores({ clock });
  understanding = await freshUnderstanding();
  const { entries } = await defaultKnowledge();
  const curation = new KnowledgeCuration({ index: understanding, stores, shipped: entries, clock });
  await curation.start();
  server = new HttpServer({ port: 0 });
  new FaqCurationApi({ curation, auth: new AdminAuth({ token: TOKEN }) }).mount(server);
  base = (await server.start()).url;
});

afterAll(async () => {
  await server.stop();
  await stores.close();
});

function call(method: string, path: string, body?: unknown, token = TOKEN): Promise<Response> {
  return fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const { id: _id, language: _language, ...badgeBody } = BADGE_DRAFT;

describe('FAQ curation API', () => {
  it('wants the admin token', async () => {
    const response = await call('PUT', '/api/admin/faq/badge-reader/en', badgeBody, 'wrong-token');
    expect(response.status).toBe(401);
    expect(answeredId(understanding, 'The badge reader at reception rejects my card')).toBeUndefined();
  });

  it('answers 400 with every problem of a bad body, and saves nothing', async () => {
    const response = await call('PUT', '/api/admin/faq/badge-reader/en', {
      ...badgeBody,
      title: '',
      questions: ['door badge', 'Door badge?'],
      related: ['vpn-setup', 'no-such-entry'],
      billable: 'yes',
      language: 'de',
      answer: '',
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(error.code).toBe('invalid_entry');
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      ['answer', 'billable', 'language', 'questions[1]', 'related[1]', 'title'].sort(),
    );
    expect((await call('GET', '/api/admin/faq/badge-reader')).status).toBe(404);
  });

  it('saves a language version (201, then 200), shows it with its history, and the bot answers it', async () => {
    const created = await call('PUT', '/api/admin/faq/badge-reader/en', {
      ...badgeBody,
      reason: 'new office',
      by: 'Erika',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ created: true, changed: true, version: 1 });
    const edited = await call('PUT', '/api/admin/faq/badge-reader/en', {
      ...badgeBody,
      title: 'Door badge not accepted',
    });
    expect(edited.status).toBe(200);

    const view = (await (await call('GET', '/api/admin/faq/badge-reader')).json()) as {
      version: number;
      languages: {
        en?: { origin: string; entry: { title: string }; history: { version: number; actor: string }[] };
      };
    };
    expect(view.version).toBe(2);
    expect(view.languages.en?.origin).toBe('store');
    expect(view.languages.en?.entry.title).toBe('Door badge not accepted');
    expect(view.languages.en?.history.map((h) => [h.version, h.actor])).toEqual([
      [2, 'admin-console'],
      [1, 'Erika'],
    ]);
    expect(answeredId(understanding, 'The badge reader at reception rejects my card')).toBe('badge-reader');
    expect((await stores.audit.list()).map((a) => [a.action, a.detail])).toEqual([
      ['faq.edit', 'version 2'],
      ['faq.add', 'version 1; new office'],
    ]);
  });

  it('exports the Markdown file to commit', async () => {
    const response = await call('GET', '/api/admin/faq/vpn-setup/de/export');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(response.headers.get('x-knowledge-path')).toBe('knowledge/de/vpn-setup.md');
    const text = await response.text();
    expect(text.startsWith('---\nid: vpn-setup\n')).toBe(true);
    expect((await call('GET', '/api/admin/faq/no-such-entry/de/export')).status).toBe(404);
    expect((await call('GET', '/api/admin/faq/vpn-setup/fr/export')).status).toBe(404);
  });

  it('teaches an entry an unanswered question', async () => {
    const question = await stores.unanswered.add({
      at: 1,
      text: STAMP_QUESTION,
      language: 'de',
      conversationId: 'web:9',
    });
    const bad = await call('POST', `/api/admin/unanswered/${question.id}/answer`, {
      entry: 'hardware-request',
    });
    expect(bad.status).toBe(400);
    const response = await call('POST', `/api/admin/unanswered/${question.id}/answer`, {
      entryId: 'hardware-request',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ added: true, question: { status: 'answered' } });
    expect(answeredId(understanding, STAMP_QUESTION)).toBe('hardware-request');
    const missing = await call('POST', '/api/admin/unanswered/UQ-404/answer', {
      entryId: 'hardware-request',
    });
    expect(missing.status).toBe(404);
  });

  it('retires a version; a linked entry is refused with 409', async () => {
    const linked = await call('DELETE', '/api/admin/faq/vpn-connection-fails/de');
    expect(linked.status).toBe(200);
    const stillLinked = await call('DELETE', '/api/admin/faq/password-reset/de');
    expect(stillLinked.status).toBe(200);
    const refused = await call('DELETE', '/api/admin/faq/password-reset/en', { reason: 'replaced' });
    expect(refused.status).toBe(409);
    const { error } = (await refused.json()) as { error: { code: string; issues: unknown[] } };
    expect(error.code).toBe('entry_referenced');
    expect(error.issues.length).toBeGreaterThan(0);

    const view = (await (await call('GET', '/api/admin/faq/vpn-connection-fails')).json()) as {
      languages: { de?: { origin: string }; en?: { origin: string } };
    };
    expect(view.languages.de?.origin).toBe('retired');
    expect(view.languages.en?.origin).toBe('file');
    expect((await call('DELETE', '/api/admin/faq/vpn-connection-fails/de')).status).toBe(404);
  });
});
