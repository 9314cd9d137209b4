import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { repairDataDir } from '../../../src/store/repair-data.ts';
import { sampleConversation, sampleTicket, TestClock } from '../../support/store-samples.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-journal-'));
let dirs = 0;
const freshDir = (): string => path.join(root, `d${++dirs}`);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const storesModule = fileURLToPath(
  new URL('../../../src/store/embedded/embedded-stores.ts', import.meta.url),
);

/** The data directory as a crash would leave it: copied while the store is open (lock and all). */
function crashCopy(dataDir: string): string {
  const copy = freshDir();
  fs.cpSync(dataDir, copy, { recursive: true });
  return copy;
}

function journalFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('journal-'));
}

describe('embedded journal', () => {
  it("restores the tickets' figures from the journal after a restart", async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock, warn: () => {} });
    await stores.tickets.create(sampleTicket('SUP-1001', clock.now(), { billable: true }));
    await stores.tickets.update('SUP-1001', (t) => ({
      ...t,
      timeEntries: [{ at: clock.now(), by: 'agent', minutes: 7 }],
    }));
    await stores.close();
    const reopened = await createEmbeddedStores({ dataDir, clock, warn: () => {} });
    try {
      const [figures] = await reopened.tickets.listFigures();
      expect(figures).toMatchObject({ id: 'SUP-1001', billable: true, minutesWorked: 7 });
    } finally {
      await reopened.close();
    }
  });

  it('loses nothing when the process is killed right after the calls returned', async () => {
    const dataDir = freshDir();
    const script = path.join(root, 'crash.mjs');
    fs.writeFileSync(
      script,
      `import { createEmbeddedStores } from ${JSON.stringify(storesModule)};
const stores = await createEmbeddedStores({ dataDir: ${JSON.stringify(dataDir)} });
for (let i = 0; i < 500; i++) {
  const id = await stores.tickets.nextId();
  await stores.queues.enqueue('general', id);
  await stores.counters.increment('handoffs', '2025-03-03');
}
process.kill(process.pid, 'SIGKILL');
`,
    );
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    expect(result.signal).toBe('SIGKILL');

    // The killed process left its lock behind; a new start takes it over.
    const stores = await createEmbeddedStores({ dataDir, warn: () => {} });
    try {
      expect(await stores.queues.list('general')).toHaveLength(500);
      expect(await stores.counters.get('2025-03-03')).toEqual({ handoffs: 500 });
      expect(await stores.tickets.nextId()).toBe('SUP-1501');
    } finally {
      await stores.close();
    }
  });

  it('journals a turn as its new lines only, and a restart rebuilds the whole transcript', async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock });
    const long = 'Eine lange Antwort des Bots, die in jeder Zeile des Journals stünde. '.repeat(20);
    let conversation = sampleConversation('web:turns', clock.now());
    await stores.conversations.put(conversation);
    for (let turn = 1; turn <= 30; turn++) {
      conversation = (await stores.conversations.get('web:turns')) ?? conversation;
      conversation.transcript.push({ at: clock.now(), from: 'customer', text: `Frage ${turn}` });
      conversation.transcript.push({ at: clock.now(), from: 'bot', text: long });
      // The engine's cap: the oldest lines go once there are too many.
      if (conversation.transcript.length > 40)
        conversation.transcript.splice(0, conversation.transcript.length - 40);
      await stores.conversations.put(conversation);
    }
    const journal = fs.readFileSync(path.join(dataDir, journalFiles(dataDir)[0] as string), 'utf8');
    // Each turn's line holds its two new lines: far less than 30 copies of a growing transcript.
    expect(journal.length).toBeLessThan(31 * 3 * long.length);
    expect(journal.split('\n').filter((line) => line.includes('"conv.turn"'))).toHaveLength(30);
    await stores.close();

    const reopened = await createEmbeddedStores({ dataDir, clock, warn: () => {} });
    try {
      const restored = await reopened.conversations.get('web:turns');
      expect(restored?.transcript).toEqual(conversation.transcript);
      expect(restored?.transcript[0]?.text).toBe('Frage 11');
    } finally {
      await reopened.close();
    }
  });

  it('skips a torn last line with a warning and starts', async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock });
    await stores.conversations.put(sampleConversation('web:c1', clock.now()));
    await stores.conversations.put(sampleConversation('web:c2', clock.now()));
    // A crash while writing the last line: the copy has the lock of the (dead) writer and half a line.
    const crashed = crashCopy(dataDir);
    await stores.close();
    const [journal] = journalFiles(crashed);
    if (!journal) throw new Error('no journal written');
    const file = path.join(crashed, journal);
    const content = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, content.slice(0, content.length - 40));
    fs.rmSync(path.join(crashed, 'store.lock'));

    const warnings: string[] = [];
    const again = await createEmbeddedStores({ dataDir: crashed, clock, warn: (m) => warnings.push(m) });
    try {
      expect(await again.conversations.get('web:c1')).toBeDefined();
      expect(await again.conversations.get('web:c2')).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/torn last line/);
      // New writes go on cleanly after the damaged journal.
      await again.conversations.put(sampleConversation('web:c3', clock.now()));
    } finally {
      await again.close();
    }
    const third = await createEmbeddedStores({ dataDir: crashed, clock, warn: () => {} });
    try {
      expect(await third.conversations.get('web:c3')).toBeDefined();
      expect(await third.conversations.get('web:c1')).toBeDefined();
    } finally {
      await third.close();
    }
  });

  it('refuses a damaged line in the middle, naming the file, the line and the repair command', async () => {
    const dataDir = freshDir();
    fs.mkdirSync(dataDir);
    fs.writeFileSync(
      path.join(dataDir, 'journal-1.jsonl'),
      [
        '{"t":"counter","name":"answered","day":"2025-03-03","by":1}',
        '{"t":"counter","name":"answ',
        '{"t":"counter","name":"answered","day":"2025-03-03","by":2}',
        '',
      ].join('\n'),
    );
    const error = await createEmbeddedStores({ dataDir, warn: () => {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store_damaged' });
    const message = (error as Error).message;
    expect(message).toContain(`${path.join(dataDir, 'journal-1.jsonl')}: line 2 (27 bytes)`);
    expect(message).toContain('npx support-bot repair-data');
    // Nothing was compacted or deleted, and the lock is released.
    expect(fs.readdirSync(dataDir).sort()).toEqual(['journal-1.jsonl']);
  });

  it('a journal cut in half loses its tail, but no ticket id is ever given out twice', async () => {
    const dataDir = freshDir();
    const stores = await createEmbeddedStores({ dataDir });
    for (let i = 0; i < 95; i++) {
      const id = await stores.tickets.nextId();
      await stores.tickets.create(sampleTicket(id, 0));
    }
    const crashed = crashCopy(dataDir);
    await stores.close();
    fs.rmSync(path.join(crashed, 'store.lock'));
    const [journal] = journalFiles(crashed);
    const file = path.join(crashed, journal as string);
    const content = fs.readFileSync(file);
    // Cut in the middle of a line: the tail is gone, the last line torn.
    let cut = Math.floor(content.length / 2);
    while (content[cut - 1] === 10) cut++;
    fs.writeFileSync(file, content.subarray(0, cut));

    const warnings: string[] = [];
    const again = await createEmbeddedStores({ dataDir: crashed, warn: (m) => warnings.push(m) });
    try {
      expect(warnings.join('\n')).toMatch(/torn last line/);
      const left = await again.tickets.list();
      expect(left.length).toBeLessThan(95);
      // The ids of the lost tickets were issued to customers: the next one is new.
      expect(await again.tickets.nextId()).toBe('SUP-1096');
    } finally {
      await again.close();
    }
  });

  it('repair-data keeps a copy of the originals, drops what is damaged, reports it, and raises the ticket counter', async () => {
    const dataDir = freshDir();
    const stores = await createEmbeddedStores({ dataDir });
    await stores.counters.increment('answered', '2025-03-03');
    const id = await stores.tickets.nextId();
    await stores.tickets.create(sampleTicket(id, 0));
    const crashed = crashCopy(dataDir);
    await stores.close();
    fs.rmSync(path.join(crashed, 'store.lock'));
    const journal = path.join(crashed, journalFiles(crashed)[0] as string);
    const damagedLine = '{"t":"ticket.put","c":{"id":"SUP-1500","subj';
    fs.appendFileSync(
      journal,
      `${damagedLine}\n{"t":"counter","name":"answered","day":"2025-03-03","by":4}\n`,
    );
    const original = fs.readFileSync(journal);
    await expect(createEmbeddedStores({ dataDir: crashed })).rejects.toMatchObject({ code: 'store_damaged' });

    const report = repairDataDir(crashed, Date.UTC(2026, 11, 6, 12));
    expect(report.dropped.map((d) => [path.basename(d.file), d.line, d.excerpt])).toEqual([
      [path.basename(journal), 4, damagedLine],
    ]);
    expect(report.ticketCounter).toEqual({ before: 1001, after: 1500 });
    expect(fs.readFileSync(path.join(report.backupDir, path.basename(journal)))).toEqual(original);
    expect(path.dirname(report.backupDir)).toBe(path.resolve(crashed));

    const repaired = await createEmbeddedStores({ dataDir: crashed });
    try {
      expect(await repaired.counters.get('2025-03-03')).toEqual({ answered: 5 });
      expect((await repaired.tickets.get('SUP-1001'))?.id).toBe('SUP-1001');
      expect(await repaired.tickets.nextId()).toBe('SUP-1501');
    } finally {
      await repaired.close();
    }
  });

  it('keeps every store file private to the bot (0600)', async () => {
    const dataDir = freshDir();
    const stores = await createEmbeddedStores({ dataDir });
    await stores.tickets.nextId();
    const modes = () =>
      Object.fromEntries(
        fs.readdirSync(dataDir).map((f) => [f, fs.statSync(path.join(dataDir, f)).mode & 0o777]),
      );
    expect(Object.values(modes()).every((mode) => mode === 0o600)).toBe(true);
    await stores.close();
    expect(modes()).toEqual({ 'journal-2.jsonl': 0o600, 'snapshot.jsonl': 0o600, 'ticket-counter': 0o600 });
  });

  it('refuses a data directory that another live process holds, naming the pid', async () => {
    const dataDir = freshDir();
    fs.mkdirSync(dataDir);
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dataDir, 'store.lock'), `${holder.pid}\n`);
      await expect(createEmbeddedStores({ dataDir })).rejects.toMatchObject({
        code: 'data_dir_locked',
        message: expect.stringContaining(`pid ${holder.pid}`),
      });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('refuses a second store on the same directory in the same process until the first closes', async () => {
    const dataDir = freshDir();
    const first = await createEmbeddedStores({ dataDir });
    await expect(createEmbeddedStores({ dataDir })).rejects.toMatchObject({ code: 'data_dir_locked' });
    await first.close();
    const second = await createEmbeddedStores({ dataDir });
    await second.close();
    expect(fs.existsSync(path.join(dataDir, 'store.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = freshDir();
    fs.mkdirSync(dataDir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    fs.writeFileSync(path.join(dataDir, 'store.lock'), `${gone.stdout}\n`);
    const stores = await createEmbeddedStores({ dataDir });
    await stores.close();
  });

  it('compacts a growing journal into a snapshot and still has everything after a restart', async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock, compactAfterBytes: 64 * 1024 });
    const ticket = sampleTicket('SUP-1001', clock.now());
    await stores.tickets.create(ticket);
    for (let i = 0; i < 400; i++) {
      const id = `web:c${i % 50}`;
      const current = (await stores.conversations.get(id)) ?? sampleConversation(id, clock.now());
      await stores.conversations.put({ ...current, updatedAt: i });
      await stores.tickets.update('SUP-1001', (t) => ({ ...t, updatedAt: i }));
      // Let scheduled compactions run.
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(fs.existsSync(path.join(dataDir, 'snapshot.jsonl'))).toBe(true);
    const journalBytes = journalFiles(dataDir).reduce(
      (sum, f) => sum + fs.statSync(path.join(dataDir, f)).size,
      0,
    );
    expect(journalBytes).toBeLessThan(400 * 2000);
    // As a crash leaves it: no final compaction.
    const crashed = crashCopy(dataDir);
    await stores.close();
    fs.rmSync(path.join(crashed, 'store.lock'));

    const again = await createEmbeddedStores({ dataDir: crashed, clock });
    try {
      expect((await again.conversations.get('web:c49'))?.updatedAt).toBe(399);
      expect((await again.tickets.get('SUP-1001'))?.updatedAt).toBe(399);
      expect(journalFiles(crashed)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it('keeps each report on an announcement as one short line, and reads reports an earlier version kept inside it', async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock });
    const link = (n: number) => ({
      conversationId: `web:c${n}`,
      customerId: `web-user:c${n}`,
      ref: { channel: 'web' as const, conversationId: `web:c${n}`, address: {} },
      language: 'de' as const,
      at: 1_000 + n,
    });
    const outage = {
      id: 'INC-1',
      kind: 'incident' as const,
      service: 'mail',
      startsAt: 1_000,
      status: { de: 'gestört', en: 'down' },
      updates: [],
      links: [],
      createdAt: 1_000,
      createdBy: 'admin',
    };
    await stores.announcements.put(outage);
    for (let n = 0; n < 50; n++) await stores.announcements.addLink('INC-1', link(n));
    await stores.close();
    const [journal] = journalFiles(dataDir);
    const file = path.join(dataDir, journal as string);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    // A report costs its own line, not a copy of all the reports before it.
    const longest = Math.max(...lines.filter((l) => l.includes('announcement')).map((l) => l.length));
    expect(longest).toBeLessThan(400);
    // As an earlier version wrote it: the reports inside the announcement, one of them also apart.
    const earlier = { ...outage, revision: 'old.1', links: [link(49), link(50), link(51)] };
    fs.appendFileSync(file, `${JSON.stringify({ t: 'announcement.put', json: JSON.stringify(earlier) })}\n`);

    const again = await createEmbeddedStores({ dataDir, clock, compactAfterBytes: 1 });
    const read = await again.announcements.get('INC-1');
    expect(read?.links.map((l) => l.conversationId)).toHaveLength(52);
    expect(read?.revision).toBe('old.1');
    expect(await again.announcements.addLink('INC-1', link(51))).toBe('present');
    expect(await again.announcements.removeLinks('INC-1', ['web:c50'])).toBe(1);
    await again.close();
    const third = await createEmbeddedStores({ dataDir, clock });
    try {
      expect((await third.announcements.get('INC-1'))?.links).toHaveLength(51);
    } finally {
      await third.close();
    }
  });

  it('stops with a clear error when the snapshot was damaged, instead of starting with half the data', async () => {
    const dataDir = freshDir();
    const stores = await createEmbeddedStores({ dataDir });
    await stores.counters.increment('answered', '2025-03-03');
    await stores.close();
    const file = path.join(dataDir, 'snapshot.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
    await expect(createEmbeddedStores({ dataDir })).rejects.toMatchObject({
      code: 'store_damaged',
      message: expect.stringMatching(/snapshot\.jsonl: line \d+ \(end marker missing\)/),
    });
    // The failed start released its lock.
    expect(fs.existsSync(path.join(dataDir, 'store.lock'))).toBe(false);
  });

  it('drops expired conversations and dedupe keys from the snapshot', async () => {
    const dataDir = freshDir();
    const clock = new TestClock();
    const stores = await createEmbeddedStores({ dataDir, clock, conversationTtlMs: 1000 });
    await stores.conversations.put(sampleConversation('web:old', clock.now()));
    await stores.dedupe.firstSeen('slack:Ev-old', 1000);
    clock.advance(2000);
    await stores.close();
    const snapshot = fs.readFileSync(path.join(dataDir, 'snapshot.jsonl'), 'utf8');
    expect(snapshot).not.toContain('web:old');
    expect(snapshot).not.toContain('Ev-old');
  });
});

describe('upgrade from web-events.json', () => {
  it('moves pushed web replies of an earlier version into the journal, once', async () => {
    const dataDir = freshDir();
    fs.mkdirSync(dataDir);
    const reply: Reply = {
      type: 'relay',
      from: 'Erika',
      text: 'noch nicht abgeholt',
      actions: [],
      language: 'de',
    };
    fs.writeFileSync(
      path.join(dataDir, 'web-events.json'),
      JSON.stringify({
        version: 1,
        conversations: { 'web:old': { next: 3, touchedAt: Date.now(), events: [{ seq: 2, at: 1, reply }] } },
      }),
    );
    const stores = await createEmbeddedStores({ dataDir });
    await stores.close();
    expect(fs.existsSync(path.join(dataDir, 'web-events.json'))).toBe(false);
    const again = await createEmbeddedStores({ dataDir });
    try {
      expect(await again.webEvents.since('web:old', 0)).toEqual({
        events: [{ seq: 2, at: 1, reply }],
        cursor: 2,
      });
      expect((await again.webEvents.append('web:old', [reply]))[0]?.seq).toBe(3);
    } finally {
      await again.close();
    }
  });
});

describe('upgrade from the event log', () => {
  it('reads a journal with event log and effect lines of an earlier version, keeps the rest, and writes them no more', async () => {
    const dataDir = freshDir();
    fs.mkdirSync(dataDir);
    fs.writeFileSync(
      path.join(dataDir, 'journal-1.jsonl'),
      [
        '{"t":"counter","name":"answered","day":"2025-03-03","by":1}',
        '{"t":"event.add","n":1,"type":"ticket-event","payload":{"ticketId":"SUP-1001"},"at":1}',
        '{"t":"event.ack","group":"announcer","ns":[1]}',
        '{"t":"event.group","group":"relay","low":0,"acked":[]}',
        '{"t":"effect","key":"announce:1","state":"done","until":99999999999999}',
        '{"t":"effect.del","key":"announce:1"}',
        '{"t":"counter","name":"answered","day":"2025-03-03","by":2}',
        '',
      ].join('\n'),
    );
    const warnings: string[] = [];
    const stores = await createEmbeddedStores({ dataDir, warn: (m) => warnings.push(m) });
    try {
      expect(await stores.counters.get('2025-03-03')).toEqual({ answered: 3 });
      expect(warnings).toEqual([]);
    } finally {
      await stores.close();
    }
    // Whatever was compacted or written since holds no event log line.
    const written = fs
      .readdirSync(dataDir)
      .filter((f) => f !== 'journal-1.jsonl' && /\.jsonl?$/.test(f))
      .map((f) => fs.readFileSync(path.join(dataDir, f), 'utf8'))
      .join('\n');
    expect(written).not.toMatch(/"t":"(event|effect)/);
  });
});
