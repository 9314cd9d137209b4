import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebEventLog } from '../../../../src/channels/web/web-event-log.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import type { Reply } from '../../../../src/core/reply.ts';

const relay = (text: string): Reply => ({ type: 'relay', from: 'Erika', text, actions: [], language: 'de' });

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-events-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WebEventLog', () => {
  it('hands out events after a cursor, oldest first, and the next cursor', async () => {
    const log = await WebEventLog.open();
    await log.append('web:a', [relay('eins'), relay('zwei')]);
    await log.append('web:a', [relay('drei')]);
    await log.append('web:b', [relay('other')]);
    expect((await log.since('web:a', 0)).events.map((e) => [e.seq, e.reply.text])).toEqual([
      [1, 'eins'],
      [2, 'zwei'],
      [3, 'drei'],
    ]);
    expect(await log.since('web:a', 2)).toMatchObject({ events: [{ seq: 3 }], cursor: 3 });
    expect(await log.since('web:a', 3)).toEqual({ events: [], cursor: 3 });
    expect(await log.since('web:unknown', 0)).toEqual({ events: [], cursor: 0 });
  });

  it('knows touched conversations even before anything is pushed', async () => {
    const log = await WebEventLog.open();
    expect(await log.has('web:new')).toBe(false);
    await log.touch('web:new');
    expect(await log.has('web:new')).toBe(true);
    expect(await log.since('web:new', 0)).toEqual({ events: [], cursor: 0 });
  });

  it('survives a restart through its file in the data directory', async () => {
    const first = await WebEventLog.open({ dataDir: dir });
    await first.append('web:a', [relay('vor dem Neustart')]);
    await first.flush();
    const second = await WebEventLog.open({ dataDir: dir });
    expect((await second.since('web:a', 0)).events.map((e) => e.reply.text)).toEqual(['vor dem Neustart']);
    await second.append('web:a', [relay('danach')]);
    expect((await second.since('web:a', 1)).events).toMatchObject([{ seq: 2, reply: { text: 'danach' } }]);
    expect(JSON.parse(await readFile(join(dir, 'web-events.json'), 'utf8')).version).toBe(1);
  });

  it('keeps a bounded number of events per conversation and forgets idle conversations', async () => {
    const clock = new ManualClock();
    const log = await WebEventLog.open({ clock, maxEventsPerConversation: 2, retentionMs: 60_000 });
    await log.append('web:a', [relay('1'), relay('2'), relay('3')]);
    expect((await log.since('web:a', 0)).events.map((e) => e.seq)).toEqual([2, 3]);
    const fileLog = await WebEventLog.open({ dataDir: dir, clock, retentionMs: 60_000 });
    await fileLog.append('web:old', [relay('alt')]);
    clock.advance(61_000);
    await fileLog.append('web:new', [relay('neu')]);
    expect(await fileLog.has('web:old')).toBe(false);
    expect(await fileLog.has('web:new')).toBe(true);
  });

  it('wakes a long poll when an event arrives', async () => {
    const log = await WebEventLog.open();
    await log.touch('web:a');
    const waiting = log
      .waitFor('web:a', 0, 10_000)
      .then(async () => (await log.since('web:a', 0)).events.length);
    await log.append('web:a', [relay('da')]);
    expect(await waiting).toBe(1);
  });

  it('refuses a damaged file instead of starting empty', async () => {
    await writeFile(join(dir, 'web-events.json'), '{ not json');
    await expect(WebEventLog.open({ dataDir: dir })).rejects.toMatchObject({ code: 'web_events_corrupt' });
  });
});
