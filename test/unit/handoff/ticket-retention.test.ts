import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, TicketRetention } from '../../../src/handoff/ticket-retention.ts';
import { AttachmentFiles } from '../../../src/store/attachment-files.ts';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from '../transcripts/chat-harness.ts';

// The real engine, desk and embedded stores; only the clock is moved.
let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

async function handOff(chat: Chat, summary: string): Promise<string> {
  await chat.say('ich möchte mit einem Menschen sprechen');
  await chat.send({ type: 'submit-form', label: 'Senden', values: { ...FORM_DETAILS, summary } });
  return chat.reply('ticket').ticket.id;
}

describe('retention of personal data in closed tickets', () => {
  it('removes transcript, details, identity and texts after RETENTION_DAYS, keeps the figures, and audits it', async () => {
    const retention = new TicketRetention({ stores: desk.stores, clock: desk.clock, retentionDays: 30 });
    const old = await handOff(desk.chat({ customer: 'kim' }), 'Kims Laptop mit Kennwort 1234 startet nicht');
    await desk.desk.claim(old, 'Alex');
    await desk.desk.reply(old, 'Alex', 'Ihr neues Kennwort ist Kiwi-7731');
    await desk.desk.resolve(old, 'Alex', 'Treiber aktualisiert');
    const open = await handOff(desk.chat({ customer: 'jo' }), 'Jos Drucker druckt leere Seiten');
    const before = await desk.stores.tickets.get(old);

    desk.clock.advance(29 * DAY_MS);
    expect(await retention.sweep()).toEqual([]);
    desk.clock.advance(2 * DAY_MS);
    expect(await retention.sweep()).toEqual([old]);

    const erased = await desk.stores.tickets.get(old);
    const text = JSON.stringify(erased);
    for (const personal of [
      'Kims Laptop',
      'Kiwi-7731',
      'kim@example.com',
      'Treiber aktualisiert',
      'Kim Kunde',
      'kim',
    ]) {
      expect(text).not.toContain(personal);
    }
    expect(erased).toMatchObject({
      id: old,
      queue: before?.queue,
      priority: before?.priority,
      status: 'resolved',
      language: before?.language,
      createdAt: before?.createdAt,
      resolvedAt: before?.resolvedAt,
      reactionDueAt: before?.reactionDueAt,
      transcript: [],
      details: {},
      personalDataErasedAt: desk.clock.now(),
    });
    expect(erased?.events.map((e) => e.type)).toEqual(before?.events.map((e) => e.type));
    // The open ticket is not touched, and a second sweep changes nothing.
    expect((await desk.stores.tickets.get(open))?.details.summary).toBe('Jos Drucker druckt leere Seiten');
    expect(await retention.sweep()).toEqual([]);
    const audit = await desk.stores.audit.list();
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: 'retention', action: 'tickets.personal-data-erased' }),
    );
  });
});

describe('retention of the files customers sent', () => {
  it('removes a closed ticket’s files with its personal data, and leaves an open ticket’s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-retention-files-'));
    try {
      const files = new AttachmentFiles(
        dir,
        { maxBytes: 10_000, types: new Set(['text/plain']) },
        desk.clock,
      );
      const keep = async (ticketId: string, text: string) => {
        const saved = await files.save(Readable.from([Buffer.from(text)]), 'log.txt');
        if (!saved.ok) throw new Error(saved.reason);
        await desk.stores.tickets.update(ticketId, (t) => ({ ...t, attachments: [saved.attachment] }));
        return saved.attachment.id;
      };
      const retention = new TicketRetention({
        stores: desk.stores,
        clock: desk.clock,
        retentionDays: 30,
        attachments: files,
      });
      const closed = await handOff(desk.chat({ customer: 'kim' }), 'Kims Protokoll');
      const closedFile = await keep(closed, 'Protokoll von Kim');
      await desk.desk.claim(closed, 'Alex');
      await desk.desk.resolve(closed, 'Alex', 'erledigt');
      const open = await handOff(desk.chat({ customer: 'jo' }), 'Jos Protokoll');
      const openFile = await keep(open, 'Protokoll von Jo');

      desk.clock.advance(31 * DAY_MS);
      expect(await retention.sweep()).toEqual([closed]);
      expect((await desk.stores.tickets.get(closed))?.attachments).toBeUndefined();
      expect(await files.open(closedFile)).toBeUndefined();
      expect((await readdir(dir)).filter((f) => f.startsWith(closedFile))).toEqual([]);
      expect(await files.open(openFile)).toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('retention of question logs, unanswered questions and feedback texts', () => {
  it('removes them after RETENTION_DAYS from the store and its files, keeps the ratings, and audits it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sb-retention-'));
    const local = await openSupportDesk({ dataDir });
    try {
      const retention = new TicketRetention({ stores: local.stores, clock: local.clock, retentionDays: 30 });
      const chat = local.chat({ customer: 'kim' });
      await chat.say('Ich habe mein Passwort vergessen Merkmal-Alt-1');
      await chat.click('feedback', (a) => a.type === 'feedback' && !a.helpful);
      await chat.say('Quallen tanzen Polka im Merkmal-Alt-2 Aquarium');
      const closed = await handOff(local.chat({ customer: 'kim' }), 'Merkmal-Alt-3 Laptop startet nicht');
      await local.desk.claim(closed, 'Alex');
      await local.desk.resolve(closed, 'Alex', 'Merkmal-Alt-4 Treiber');
      expect((await local.stores.questions.list()).length).toBeGreaterThan(0);
      expect(await local.stores.feedback.list()).toHaveLength(1);

      local.clock.advance(20 * DAY_MS);
      await local.chat({ customer: 'jo' }).say('Mein Drucker druckt leere Seiten Merkmal-Neu');
      await retention.sweep();
      // Nothing older than 30 days yet.
      expect(JSON.stringify(await local.stores.questions.list())).toContain('Merkmal-Alt-1');

      local.clock.advance(11 * DAY_MS);
      await retention.sweep();
      const kept = JSON.stringify([
        await local.stores.questions.list(),
        await local.stores.questions.outcomes(),
        await local.stores.unanswered.list(),
        await local.stores.feedback.list(),
      ]);
      expect(kept).not.toContain('Merkmal-Alt');
      expect(kept).toContain('Merkmal-Neu');
      // The rating stays for the figures, without who gave it and what they wrote.
      expect(await local.stores.feedback.list()).toEqual([
        expect.objectContaining({ helpful: false, entryId: 'password-reset', conversationId: 'erased' }),
      ]);
      for (const file of await readdir(dataDir, { recursive: true })) {
        const bytes = await readFile(join(dataDir, file)).catch(() => Buffer.alloc(0));
        expect(bytes.includes('Merkmal-Alt'), file).toBe(false);
      }
      expect(await local.stores.audit.list()).toContainEqual(
        expect.objectContaining({ actor: 'retention', action: 'logs.personal-data-expired' }),
      );
    } finally {
      await local.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
