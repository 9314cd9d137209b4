import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { runCli } from '../../support/run-cli.ts';
import { WebChats } from '../../support/web-chats.ts';
import { ADMIN_TOKEN, startWebFixture, type WebFixture } from '../web/web-fixture.ts';

// `npx support-bot incident ...` as an admin runs it: on the data directory, and through the
// running bot's admin API when the bot holds it.
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-incident-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const idIn = (text: string) => /\b(INC|MNT)-[0-9A-F]{6}\b/.exec(text)?.[0] ?? '';

describe('support-bot incident on the stores', () => {
  const env = () => ({ DATA_DIR: dataDir });

  it('refuses wrong input with the problem and the usage, exit code 2', async () => {
    const noEnglish = await runCli(
      ['incident', 'declare', '--kind', 'incident', '--service', 'mail', '--de', 'x'],
      {
        env: env(),
      },
    );
    expect(noEnglish.code).toBe(2);
    expect(noEnglish.stderr).toContain('--en: ');
    expect(noEnglish.stderr).toContain('usage: support-bot incident');
    const badTime = await runCli(
      [
        'incident',
        'declare',
        '--kind',
        'maintenance',
        '--service',
        'mail',
        '--de',
        'x',
        '--en',
        'y',
        '--end',
        'morgen',
      ],
      { env: env() },
    );
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toContain('--end: use an ISO date and time');
    const unknown = await runCli(
      ['incident', 'declare', '--kind', 'incident', '--service', 'fax', '--de', 'x', '--en', 'y'],
      {
        env: env(),
      },
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no service "fax" in the customers config (known: mail, web, vpn)');
    expect((await runCli(['incident', 'end'], { env: env() })).code).toBe(2);
    expect((await runCli(['incident', 'end', 'INC-000000'], { env: env() })).stderr).toContain(
      'no announcement',
    );
    expect((await runCli(['incident', 'fly'], { env: env() })).code).toBe(2);
  });

  it('declares, lists, updates and ends; the end is queued in the outbox for every linked customer', async () => {
    const declared = await runCli(
      [
        'incident',
        'declare',
        '--kind',
        'maintenance',
        '--service',
        'vpn',
        '--start',
        '2026-12-07T20:00:00+01:00',
        '--end',
        '2026-12-07T22:00:00+01:00',
        '--de',
        'Das VPN wird gewartet.',
        '--en',
        'The VPN is being serviced.',
      ],
      { env: env() },
    );
    expect(declared.stderr).toBe('');
    expect(declared.code).toBe(0);
    const id = idIn(declared.stdout);
    expect(id).toMatch(/^MNT-/);

    // A customer reported during the window (what a linked report leaves in the store).
    const stores = await createEmbeddedStores({ dataDir });
    const stored = await stores.announcements.get(id);
    if (!stored) throw new Error('not stored');
    const report = {
      conversationId: 'web:lisa',
      customerId: 'web-user:lisa',
      ref: { channel: 'web' as const, conversationId: 'web:lisa', address: {} },
      language: 'en' as const,
      at: stored.startsAt,
    };
    expect(await stores.announcements.addLink(id, report)).toBe('added');
    await stores.close();

    const list = await runCli(['incident', 'list'], { env: env() });
    expect(list.stdout).toContain(`${id} maintenance vpn`);
    expect(list.stdout).toContain('The VPN is being serviced.');
    const updated = await runCli(
      [
        'incident',
        'update',
        id,
        '--de',
        'Dauert länger.',
        '--en',
        'Takes longer.',
        '--end',
        '2026-12-07T23:00:00+01:00',
      ],
      { env: env() },
    );
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('2026-12-07T22:00:00.000Z');
    const ended = await runCli(['incident', 'end', id], { env: env() });
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(/ended .*1 report/);
    const json = JSON.parse((await runCli(['incident', 'list', '--json'], { env: env() })).stdout);
    expect(json[0]).toMatchObject({ id, updates: [expect.anything(), expect.anything()], active: false });

    const after = await createEmbeddedStores({ dataDir });
    try {
      const [item] = await after.outbox.take('test', 10, 60_000);
      expect(item?.payload).toMatchObject({
        ref: { conversationId: 'web:lisa' },
        reply: { text: 'The maintenance of VPN is over.', language: 'en' },
      });
      expect((await after.audit.list()).map((e) => e.action)).toEqual(
        expect.arrayContaining(['incident.declare', 'incident.update', 'incident.end']),
      );
    } finally {
      await after.close();
    }
  });
});

describe('support-bot incident with the bot running', () => {
  let fx: WebFixture;
  beforeAll(async () => {
    fx = await startWebFixture();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('asks the running bot, whose customers are told at once', async () => {
    const env = { DATA_DIR: fx.dataDir, PORT: new URL(fx.url).port, ADMIN_TOKEN };
    const declared = await runCli(
      [
        'incident',
        'declare',
        '--kind',
        'incident',
        '--service',
        'web',
        '--de',
        'Portal gestört.',
        '--en',
        'Portal down.',
      ],
      { env },
    );
    expect(declared.stderr).toBe('');
    const id = idIn(declared.stdout);
    expect(id).toMatch(/^INC-/);
    const chats = new WebChats(fx.url);
    const response = await chats.post('ina', { text: 'Das Kundencenter lädt nicht' });
    const replies = ((await response.json()) as { replies: Reply[] }).replies;
    expect(replies[0]?.text).toContain('Aktuelle Störung: Kundencenter. Portal gestört.');
    expect((await runCli(['incident', 'list'], { env })).stdout).toContain(
      `${id} incident web: active, 1 report(s)`,
    );
    const wrongToken = await runCli(['incident', 'end', id], {
      env: { ...env, ADMIN_TOKEN: 'not-the-admin-token-0123456789' },
    });
    expect(wrongToken.code).not.toBe(0);
    expect(wrongToken.stderr).toContain('401');
    expect((await runCli(['incident', 'end', id], { env })).code).toBe(0);
  });
});
