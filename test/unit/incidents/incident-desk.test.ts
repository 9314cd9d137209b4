import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { ReplySink } from '../../../src/core/delivery.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { ConversationRef } from '../../../src/core/turn.ts';
import { ServiceCatalogue } from '../../../src/handoff/service-catalogue.ts';
import { AnnouncementSchedule } from '../../../src/incidents/announcement-schedule.ts';
import { IncidentDesk } from '../../../src/incidents/incident-desk.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';

const HOUR = 3_600_000;

/** The channel's far side: what reached which conversation under which key (a key once, like the outbox). */
class RecordingSink implements ReplySink {
  readonly sent: { conversationId: string; text: string; language: string }[] = [];
  private readonly keys = new Set<string>();
  async deliver(ref: ConversationRef, replies: Reply[], key = String(Math.random())): Promise<void> {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    for (const r of replies)
      this.sent.push({ conversationId: ref.conversationId, text: r.text, language: r.language });
  }
}

let stores: Stores;
let clock: ManualClock;
let sink: RecordingSink;
let desk: IncidentDesk;

beforeEach(async () => {
  clock = new ManualClock(Date.UTC(2026, 11, 7, 8));
  stores = await createEmbeddedStores({ clock });
  sink = new RecordingSink();
  desk = new IncidentDesk({
    stores,
    services: new ServiceCatalogue({
      mail: { name: { de: 'E-Mail', en: 'e-mail' }, words: { de: ['Outlook'], en: ['email'] } },
    }),
    delivery: sink,
    clock,
    timeZone: 'Europe/Berlin',
  });
});

afterEach(async () => {
  await stores.close();
});

const report = (n: number, language: 'de' | 'en') => ({
  conversationId: `web:c${n}`,
  customerId: `web-user:c${n}`,
  ref: { channel: 'web' as const, conversationId: `web:c${n}`, address: {} },
  language,
  at: clock.now(),
});

describe('the incident desk', () => {
  it('ends a maintenance window at its end by itself and tells the linked customers once', async () => {
    const declared = await desk.declare(
      {
        kind: 'maintenance',
        service: 'mail',
        startsAt: clock.now() + HOUR,
        endsAt: clock.now() + 3 * HOUR,
        status: { de: 'Wartung', en: 'Maintenance' },
      },
      'admin',
    );
    if (!declared.ok) throw new Error(declared.message);
    const { id } = declared.announcement;
    // Announced, not begun: nothing to match, nothing to link.
    expect(await desk.matching('Outlook geht nicht', clock.now())).toEqual([]);
    expect(await desk.link(id, report(1, 'de'))).toBe(false);

    clock.advance(2 * HOUR);
    expect((await desk.matching('Outlook geht nicht', clock.now())).map((a) => a.id)).toEqual([id]);
    expect(await desk.link(id, report(1, 'de'))).toBe(true);
    expect(await desk.link(id, report(1, 'de'))).toBe(true);
    expect(await desk.link(id, report(2, 'en'))).toBe(true);
    expect((await desk.get(id))?.links).toHaveLength(2);

    const schedule = new AnnouncementSchedule(desk, clock);
    await schedule.check();
    expect(sink.sent).toEqual([]);
    clock.advance(HOUR + 60_000);
    await schedule.check();
    await schedule.check();
    expect(sink.sent).toEqual([
      { conversationId: 'web:c1', text: 'Die Wartung von E-Mail ist beendet.', language: 'de' },
      { conversationId: 'web:c2', text: 'The maintenance of e-mail is over.', language: 'en' },
    ]);
    // Ended as of its end, not as of the check.
    expect((await desk.get(id))?.endedAt).toBe(Date.UTC(2026, 11, 7, 11));
  });

  it('tells a customer whose report was written just after the end was told, instead of leaving them waiting', async () => {
    const declared = await desk.declare(
      { kind: 'incident', service: 'mail', status: { de: 'Gestört', en: 'Down' } },
      'admin',
    );
    if (!declared.ok) throw new Error(declared.message);
    const { id } = declared.announcement;
    expect(await desk.link(id, report(1, 'de'))).toBe(true);
    // Another process ends the incident between this report's check and its write.
    const announcements = stores.announcements;
    const racing = new IncidentDesk({
      stores: {
        ...stores,
        announcements: {
          ...announcements,
          get: (...args) => announcements.get(...args),
          list: (...args) => announcements.list(...args),
          put: (a) => announcements.put(a),
          setLinkTicket: (...args) => announcements.setLinkTicket(...args),
          removeLinks: (...args) => announcements.removeLinks(...args),
          addLink: async (...args) => {
            await desk.end(id, 'admin');
            return announcements.addLink(...args);
          },
        },
      },
      services: new ServiceCatalogue({
        mail: { name: { de: 'E-Mail', en: 'e-mail' }, words: { de: [], en: [] } },
      }),
      delivery: sink,
      clock,
      timeZone: 'Europe/Berlin',
    });
    expect(await racing.link(id, report(2, 'en'))).toBe(true);
    expect(sink.sent.map((s) => s.conversationId)).toEqual(['web:c1', 'web:c2']);
    // Ending again tells nobody twice.
    await desk.end(id, 'admin');
    expect(sink.sent).toHaveLength(2);
  });

  it('refuses what does not make sense, with the reason', async () => {
    const status = { de: 'x', en: 'y' };
    expect(await desk.declare({ kind: 'incident', service: 'fax', status }, 'a')).toMatchObject({
      ok: false,
      status: 400,
      code: 'unknown_service',
    });
    expect(
      await desk.declare({ kind: 'incident', service: 'mail', startsAt: 10, endsAt: 5, status }, 'a'),
    ).toMatchObject({ ok: false, code: 'end_before_start' });
    expect(await desk.update('INC-000000', { text: status }, 'a')).toMatchObject({ ok: false, status: 404 });
    const declared = await desk.declare({ kind: 'incident', service: 'mail', status }, 'a');
    if (!declared.ok) throw new Error('not declared');
    const moved = await desk.update(
      declared.announcement.id,
      { text: status, endsAt: clock.now() + HOUR },
      'a',
    );
    expect(moved).toMatchObject({ ok: true, announcement: { endsAt: clock.now() + HOUR } });
    await desk.end(declared.announcement.id, 'a');
    expect(await desk.update(declared.announcement.id, { text: status }, 'a')).toMatchObject({
      ok: false,
      status: 409,
    });
  });
});
