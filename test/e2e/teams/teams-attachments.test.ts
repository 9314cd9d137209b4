import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.ts';
import { AttachmentFiles } from '../../../src/store/attachment-files.ts';
import { startTeamsFixture, type TeamsFixture } from './teams-fixture.ts';

// The real CloudAdapter against the connector stand-in: files a Teams customer sends are kept.
let fixture: TeamsFixture;
let dir: string;

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(300, 7),
]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'support-bot-teams-files-'));
  const files = new AttachmentFiles(
    dir,
    { maxBytes: 2_000, types: new Set(['image/png', 'text/plain']) },
    systemClock,
  );
  fixture = await startTeamsFixture({ attachmentSaver: files });
});

afterAll(async () => {
  await fixture?.close();
  await rm(dir, { recursive: true, force: true });
});

async function kept(conversationId: string): Promise<string[]> {
  const conversation = await fixture.bot.stores.conversations.get(conversationId);
  return conversation?.attachments?.map((a) => a.name) ?? [];
}

function sentTexts(conversationId: string): string {
  return JSON.stringify(fixture.connector.messages(conversationId).map((c) => c.activity));
}

describe('files a customer sends in Teams', () => {
  it('keeps a pasted picture (through the connector) and a file sent with the paper clip (its download link)', async () => {
    const customer = fixture.customer();
    const picture = fixture.connector.addInlineFile('0-weu-d1-abc', png);
    const log = fixture.connector.addDownload('log-1', Buffer.from('Fehler 42\nZeile 2\n'));
    const response = await fixture.post(
      customer.activity({
        type: 'message',
        text: 'Mein Drucker zeigt diesen Fehler',
        attachments: [
          { contentType: 'image/png', contentUrl: picture, name: 'bildschirm.png' },
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name: 'protokoll.txt',
            content: { downloadUrl: log, uniqueId: 'u-1', fileType: 'txt' },
          },
          // The message's own text as HTML: no file.
          { contentType: 'text/html', content: '<p>Mein Drucker zeigt diesen Fehler</p>' },
        ],
      }),
    );
    expect(response.status).toBe(200);
    expect(await kept(customer.engineConversationId)).toEqual(['bildschirm.png', 'protokoll.txt']);
    expect(fixture.connector.downloads.map((d) => d.path)).toEqual([
      '/v3/attachments/0-weu-d1-abc/views/original',
      '/files/log-1',
    ]);
    const stored = (await readdir(dir)).filter((f) => /^[0-9a-f]{32}$/.test(f));
    expect(stored).toHaveLength(2);
  });

  it('follows no link to a host Teams does not keep files on, fetches no picture from elsewhere, and says so', async () => {
    const customer = fixture.customer();
    const before = fixture.connector.downloads.length;
    await fixture.post(
      customer.activity({
        type: 'message',
        text: '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name: 'fremd.txt',
            content: { downloadUrl: 'http://127.0.0.2:9/files/secret' },
          },
          {
            contentType: 'image/png',
            contentUrl: 'https://attacker.example/v3/attachments/x/views/original',
          },
        ],
      }),
    );
    expect(fixture.connector.downloads.length).toBe(before);
    expect(await kept(customer.engineConversationId)).toEqual([]);
    expect(sentTexts(customer.conversationId)).toContain('fremd.txt');
  });

  it('refuses a file over the limit and one of another type, politely and in German', async () => {
    const customer = fixture.customer();
    const big = fixture.connector.addDownload('big', Buffer.concat([png, Buffer.alloc(3_000)]));
    const program = fixture.connector.addDownload(
      'prog',
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
    );
    await fixture.post(
      customer.activity({
        type: 'message',
        text: '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name: 'gross.png',
            content: { downloadUrl: big },
          },
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            name: 'tool.png',
            content: { downloadUrl: program },
          },
        ],
      }),
    );
    expect(await kept(customer.engineConversationId)).toEqual([]);
    const texts = sentTexts(customer.conversationId);
    expect(texts).toContain('gross.png');
    expect(texts).toContain('zu groß');
    expect(texts).toContain('tool.png');
  });
});
