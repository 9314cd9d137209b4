import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { WebChats } from '../../support/web-chats.ts';
import { type ApiResult, apiCall } from './api-call.ts';
import { nextIntakeStep } from './intake-driver.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from './web-fixture.ts';

let fx: WebFixture;
const FIXTURE = new URL('../../fixtures/transfer/qnamaker-export.tsv', import.meta.url);

beforeAll(async () => {
  fx = await startWebFixture();
});

afterAll(async () => {
  await fx?.close();
});

const chats = new WebChats(() => fx.url);

function call(method: string, path: string, token: string | null, body?: unknown): Promise<ApiResult> {
  return apiCall(fx.url, method, path, { token, body });
}

async function addAccount(name: string, role: string): Promise<string> {
  const added = await call('POST', '/api/admin/accounts', ADMIN_TOKEN, { name, role });
  expect(added.status).toBe(201);
  expect(added.body.token).toMatch(/^sbp_/);
  expect(JSON.stringify(added.body.account)).not.toContain('tokenHash');
  return added.body.token as string;
}

async function openTicket(conversation: string): Promise<string> {
  const say = async (text?: string, action?: Action) =>
    ((await (await chats.post(conversation, text ? { text } : { action })).json()) as { replies: Reply[] })
      .replies;
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

describe('named accounts and roles', () => {
  let agent: string;
  let curator: string;

  beforeAll(async () => {
    agent = await addAccount('Anna Agent', 'agent');
    curator = await addAccount('Carl Curator', 'curator');
  });

  it('answers 401 without a token or with a wrong personal token, 403 for a role that may not', async () => {
    expect((await call('GET', '/api/tickets', null)).status).toBe(401);
    expect((await call('GET', '/api/tickets', 'sbp_not-a-real-token')).status).toBe(401);
    expect((await call('GET', '/api/tickets', agent)).status).toBe(200);
    const editor = await call('PUT', '/api/admin/faq/badge/en', agent, { title: 'x' });
    expect(editor.status).toBe(403);
    expect(editor.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('agent') });
    expect((await call('GET', '/api/admin/faq/vpn-setup', agent)).status).toBe(403);
    expect((await call('GET', '/api/tickets', curator)).status).toBe(403);
    expect((await call('GET', '/api/admin/faq/vpn-setup', curator)).status).toBe(200);
    expect((await call('GET', '/api/admin/accounts', curator)).status).toBe(403);
    expect((await call('GET', '/api/admin/audit', agent)).status).toBe(403);
    expect((await call('GET', '/api/admin/me', curator)).body).toMatchObject({
      kind: 'account',
      name: 'Carl Curator',
      role: 'curator',
      permissions: expect.arrayContaining(['curate', 'report']),
    });
    expect((await call('GET', '/api/admin/me', ADMIN_TOKEN)).body).toMatchObject({
      kind: 'bootstrap',
      role: 'admin',
    });
  });

  it('lets an agent act as themselves only, and logs the ticket before and after', async () => {
    const id = await openTicket(`acc-${Date.now()}`);
    const posing = await call('POST', `/api/tickets/${id}/claim`, agent, { agent: 'Someone Else' });
    expect(posing.status).toBe(400);
    const claimed = await call('POST', `/api/tickets/${id}/claim`, agent, {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket.assignee).toBe('Anna Agent');
    // The shared admin token still says who acts.
    expect((await call('POST', `/api/tickets/${id}/reply`, ADMIN_TOKEN, { text: 'Hallo' })).status).toBe(400);

    const audit = await call('GET', '/api/admin/audit', ADMIN_TOKEN);
    const claim = audit.body.events.find(
      (e: { action: string; target: string }) => e.action === 'ticket.claim' && e.target === id,
    );
    expect(claim).toMatchObject({
      actor: 'Anna Agent',
      before: { status: 'queued' },
      after: { status: 'claimed', assignee: 'Anna Agent' },
    });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['account.add']),
    );
  });

  it('imports a QnA Maker export as a curator, all or nothing, audited, and the bot answers it at once', async () => {
    const text = await readFile(FIXTURE, 'utf8');
    const broken = await call('POST', '/api/admin/faq-import', curator, {
      format: 'qnamaker',
      language: 'en',
      files: [
        {
          name: 'kb.tsv',
          text: text.replace('Use the printer', '').replace(/\tEditorial\t\t\[\]/, '\tEditorial\tbad\t[]'),
        },
      ],
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_import');
    expect(broken.body.error.issues[0].path).toMatch(/^kb\.tsv:\d+ /);
    expect((await call('GET', '/api/admin/faq/my-account-is-locked', curator)).status).toBe(404);

    const imported = await call('POST', '/api/admin/faq-import', curator, {
      format: 'qnamaker',
      language: 'en',
      files: [{ name: 'kb.tsv', text }],
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ ok: true, created: 3, replaced: 0 });
    const replies = (
      (await (
        await chats.post('import-ask', { text: 'Which printers can I use on the third floor?' })
      ).json()) as { replies: Reply[] }
    ).replies;
    expect(replies.find((r) => r.type === 'answer')).toMatchObject({
      entryId: 'which-printers-can-i-use-on-the-third-floor',
    });
    const exported = await call('GET', '/api/admin/faq-export?format=csv', curator);
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('which-printers-can-i-use-on-the-third-floor,en,');

    const csv = await call('GET', '/api/admin/audit?format=csv', ADMIN_TOKEN);
    expect(csv.text.split('\n')[0]).toBe('at,actor,action,target,detail,before,after');
    expect(csv.text).toContain('Carl Curator,faq.import,3 entries');
  });

  it('maps an account to a Teams user by Entra object id, once, and refuses anything else', async () => {
    const aad = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const teams = await call('POST', '/api/admin/accounts', ADMIN_TOKEN, {
      name: 'Tom Teams',
      role: 'agent',
      teamsUserId: aad.toUpperCase(),
    });
    expect(teams.status).toBe(201);
    expect(teams.body.account.teamsUserId).toBe(aad);
    const twice = await call('POST', '/api/admin/accounts', ADMIN_TOKEN, {
      name: 'Tom Twice',
      role: 'agent',
      teamsUserId: aad,
    });
    expect(twice.status).toBe(409);
    expect(JSON.stringify(twice.body)).toContain('belongs to Tom Teams');
    const bad = await call('POST', '/api/admin/accounts', ADMIN_TOKEN, {
      name: 'Bad Id',
      role: 'agent',
      teamsUserId: '29:1abc',
    });
    expect(bad.status).toBe(409);
    expect(JSON.stringify(bad.body)).toContain('teamsUserId');
  });

  it('removes an account: its token signs in no more', async () => {
    const temp = await addAccount('Tina Temp', 'agent');
    expect((await call('DELETE', '/api/admin/accounts/tina-temp', ADMIN_TOKEN)).status).toBe(200);
    expect((await call('GET', '/api/tickets', temp)).status).toBe(401);
  });
});
