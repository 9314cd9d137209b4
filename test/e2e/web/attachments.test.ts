import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app.ts';
import { AttachmentLinks } from '../../../src/channels/web/attachment-links.ts';
import { parseConfig } from '../../../src/config/config.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Ticket } from '../../../src/core/ticket.ts';
import { AttachmentFiles } from '../../../src/store/attachment-files.ts';
import { type IssuedChat, openWebChat } from '../../support/web-chats.ts';

// The whole bot as `npm start` builds it; files at most 2,000 bytes.
const ADMIN = 'attachments-admin-token';
let bot: RunningBot;
let dataDir: string;
const filesDir = () => join(dataDir, 'attachments');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'support-bot-attachments-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_TOKEN: ADMIN,
    ATTACHMENT_MAX_BYTES: '2000',
  });
  bot = await startBot(config, silentLogger);
});

afterAll(async () => {
  await bot?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A PNG's signature and header chunk, then filler: what a screenshot starts with. */
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
  Buffer.alloc(600, 7),
]);

async function upload(
  chat: IssuedChat,
  body: RequestInit['body'],
  name: string,
  init: RequestInit = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(
    `${bot.url}/api/conversations/${chat.id}/attachments?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${chat.token}`,
        'Accept-Language': 'de',
        'Content-Type': 'image/png',
      },
      body,
      ...init,
    },
  );
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

async function post(chat: IssuedChat, body: unknown): Promise<Reply[]> {
  const response = await fetch(`${bot.url}/api/conversations/${chat.id}/messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${chat.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: Reply[] }).replies;
}

/** Asks for a person and sends the intake form: the ticket's id. */
async function handOff(chat: IssuedChat): Promise<string> {
  await post(chat, { text: 'Ich möchte mit einem Menschen sprechen' });
  const handoff = await post(chat, {
    action: {
      type: 'submit-form',
      label: 'Senden',
      values: {
        summary: 'Fehlermeldung im Portal',
        system: 'Portal',
        error: 'siehe Bildschirmfoto',
        since: 'heute',
        impact: 'one',
        urgency: 'hinders',
        contact: 'kim@example.com',
      },
    },
  });
  const reply = handoff.find((r) => r.type === 'ticket');
  return reply?.type === 'ticket' ? reply.ticket.id : '';
}

async function ticketOf(ticketId: string): Promise<Ticket> {
  const response = await fetch(`${bot.url}/api/tickets/${ticketId}`, {
    headers: { Authorization: `Bearer ${ADMIN}` },
  });
  return ((await response.json()) as { ticket: Ticket }).ticket;
}

async function storedFiles(): Promise<string[]> {
  return (await readdir(filesDir())).filter((f) => !f.startsWith('.'));
}

describe('files customers send in the web chat', () => {
  let chat: IssuedChat;

  beforeAll(async () => {
    chat = await openWebChat(bot.url);
  });

  it('keeps a screenshot sent before the ticket exists, and the ticket takes it over', async () => {
    const sent = await upload(chat, png, '../../etc/Bildschirmfoto.png');
    expect(sent.status).toBe(200);
    expect(sent.json.attachment).toMatchObject({
      name: 'Bildschirmfoto.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect(JSON.stringify(sent.json.replies)).toContain('aufbewahrt');

    const ticketId = await handOff(chat);
    const ticket = (await (
      await fetch(`${bot.url}/api/tickets/${ticketId}`, { headers: { Authorization: `Bearer ${ADMIN}` } })
    ).json()) as { ticket: Ticket; view: { files: { name: string; url?: string }[] } };
    expect(ticket.ticket.attachments?.map((a) => a.name)).toEqual(['Bildschirmfoto.png']);
    // The console lists it with a signed link that opens the file.
    expect(ticket.view.files.map((f) => f.name)).toEqual(['Bildschirmfoto.png']);
    const consoleLink = ticket.view.files[0]?.url ?? '';
    expect(consoleLink).toMatch(/\/attachments\/[0-9a-f]{32}\?exp=\d+&sig=/);
    expect(Buffer.from(await (await fetch(consoleLink)).arrayBuffer()).equals(png)).toBe(true);

    // On the open ticket, a further file is added to it at once.
    const later = await upload(chat, Buffer.from('Log: Fehler 42\nZeile 2\n'), 'log.txt');
    expect(later.status).toBe(200);
    expect(JSON.stringify(later.json.replies)).toContain(`zu Ihrem Ticket ${ticketId}`);

    // Agents open it through a signed link; the id alone, a forged or a changed link open nothing.
    const id = ticket.ticket.attachments?.[0]?.id ?? '';
    const files = new AttachmentFiles(filesDir(), { maxBytes: 2000, types: new Set() }, systemClock);
    const links = new AttachmentLinks(files, await files.linkKey(), () => bot.url, systemClock);
    const link = links.url({ id });
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${bot.url}/attachments/${id}`)).status).toBe(404);
    expect((await fetch(link.replace(/sig=./, 'sig=A'))).status).toBe(404);
    expect((await fetch(link.replace(/exp=\d+/, 'exp=9999999999'))).status).toBe(404);
    expect((await fetch(`${bot.url}/attachments/..%2F..%2Fadmin-token?exp=1&sig=x`)).status).toBe(404);
  });

  it('refuses a program named like a picture, judged by its first bytes, politely and in German', async () => {
    const before = await storedFiles();
    const program = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(100)]);
    const sent = await upload(chat, program, 'screenshot.png');
    expect(sent.status).toBe(415);
    expect(JSON.stringify(sent.json)).toContain('kann ich leider nicht annehmen');
    expect(await storedFiles()).toEqual(before);
  });

  it('refuses a file over the limit by its length, and one without a length while it streams in', async () => {
    const before = await storedFiles();
    const big = await upload(chat, Buffer.concat([png, Buffer.alloc(3000)]), 'gross.png');
    expect(big.status).toBe(413);
    expect(JSON.stringify(big.json)).toContain('ist leider zu groß (höchstens 2 kB)');
    // Chunked, no Content-Length: refused once 2,000 bytes have come; nothing stays on disk.
    let sentChunks = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sentChunks += 1;
        if (sentChunks > 50) controller.close();
        else controller.enqueue(sentChunks === 1 ? png : new Uint8Array(500));
      },
    });
    const streamed = await upload(chat, stream, 'endlos.png', { duplex: 'half' } as RequestInit).catch(
      () => ({ status: 0, json: {} }),
    );
    expect([0, 413]).toContain(streamed.status);
    expect(await storedFiles()).toEqual(before);
    expect((await readdir(filesDir())).some((f) => f.endsWith('.part'))).toBe(false);
  });

  it('answers 401 without the token and 404 with another conversation’s', async () => {
    const other = await openWebChat(bot.url);
    const response = await fetch(`${bot.url}/api/conversations/${chat.id}/attachments?name=x.png`, {
      method: 'POST',
      body: png,
    });
    expect(response.status).toBe(401);
    const foreign = await upload({ ...chat, token: other.token }, png, 'x.png');
    expect(foreign.status).toBe(404);
  });

  it('removes the files with the customer on erasure, and their links open nothing', async () => {
    const mine = await openWebChat(bot.url);
    expect((await upload(mine, png, 'vorher.png')).status).toBe(200);
    const ticketId = await handOff(mine);
    expect((await upload(mine, Buffer.from('Zeile 1\nZeile 2\n'), 'nachher.txt')).status).toBe(200);
    const ids = (await ticketOf(ticketId)).attachments?.map((a) => a.id) ?? [];
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(await storedFiles()).toContain(id);

    const erased = await fetch(`${bot.url}/api/admin/customers/${encodeURIComponent(`web:${mine.id}`)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN}` },
    });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ attachments: 2, tickets: [ticketId] });
    const left = await storedFiles();
    for (const id of ids) {
      expect(left).not.toContain(id);
      expect(left).not.toContain(`${id}.json`);
    }
    expect((await ticketOf(ticketId)).attachments).toBeUndefined();
    const files = new AttachmentFiles(filesDir(), { maxBytes: 2000, types: new Set() }, systemClock);
    const links = new AttachmentLinks(files, await files.linkKey(), () => bot.url, systemClock);
    expect((await fetch(links.url({ id: ids[0] ?? '' }))).status).toBe(404);
  });
});
