import { describe, expect, it } from 'vitest';
import type { Announcement, AnnouncementLink } from '../../src/core/announcement.ts';
import type { Stores } from '../../src/core/ports.ts';

function outage(id: string, startsAt: number): Announcement {
  return {
    id,
    kind: 'incident',
    service: 'mail',
    startsAt,
    status: { de: 'E-Mail gestört', en: 'E-mail disrupted' },
    updates: [],
    links: [],
    createdAt: startsAt,
    createdBy: 'admin',
  };
}

function report(n: number, at = 1_500): AnnouncementLink {
  return {
    conversationId: `web:c${n}`,
    customerId: `web-user:c${n}`,
    ref: { channel: 'web', conversationId: `web:c${n}`, address: {} },
    language: n % 2 === 0 ? 'de' : 'en',
    at,
  };
}

/** Maintenance windows and incidents; called from describeStoreContract for every implementation. */
export function describeAnnouncementContract(open: () => Promise<Stores>): void {
  describe('announcements', () => {
    it('writes a new announcement once, then only over the revision it was read at', async () => {
      const { announcements } = await open();
      const first = outage('INC-1', 1_000);
      expect(await announcements.put(first)).toBe('written');
      expect(first.revision).toBeDefined();
      // Someone else declares the same id: refused, the first stays.
      expect(await announcements.put(outage('INC-1', 5))).toBe('conflict');

      const readByA = await announcements.get('INC-1');
      const readByB = await announcements.get('INC-1');
      if (!readByA || !readByB) throw new Error('not stored');
      readByA.endedAt = 2_000;
      expect(await announcements.put(readByA)).toBe('written');
      // B read before A wrote: its write would undo A's end.
      readByB.links.push({
        conversationId: 'web:c1',
        customerId: 'web-user:c1',
        ref: { channel: 'web', conversationId: 'web:c1', address: {} },
        language: 'de',
        at: 1_500,
      });
      expect(await announcements.put(readByB)).toBe('conflict');
      const stored = await announcements.get('INC-1');
      expect(stored).toMatchObject({ endedAt: 2_000, links: [], startsAt: 1_000 });
      expect(stored?.revision).toBe(readByA.revision);
    });

    it('lists the latest start first and knows nothing of unknown ids', async () => {
      const { announcements } = await open();
      expect(await announcements.list()).toEqual([]);
      expect(await announcements.get('INC-9')).toBeUndefined();
      await announcements.put(outage('INC-1', 1_000));
      await announcements.put(outage('INC-2', 3_000));
      await announcements.put(outage('INC-3', 2_000));
      expect((await announcements.list()).map((a) => a.id)).toEqual(['INC-2', 'INC-3', 'INC-1']);
    });

    it('keeps reports apart: once per conversation, untouched by writes of the announcement', async () => {
      const { announcements } = await open();
      await announcements.put(outage('INC-1', 1_000));
      const readBefore = await announcements.get('INC-1');
      if (!readBefore) throw new Error('not stored');
      expect(await announcements.addLink('INC-1', report(1, 1_600))).toBe('added');
      expect(await announcements.addLink('INC-1', report(2, 1_700))).toBe('added');
      expect(await announcements.addLink('INC-1', { ...report(1), at: 9_999 })).toBe('present');
      // An admin's update read before the reports neither conflicts with them nor drops them.
      readBefore.updates.push({ at: 2_000, by: 'admin', text: { de: 'd', en: 'e' } });
      expect(await announcements.put(readBefore)).toBe('written');
      const stored = await announcements.get('INC-1');
      expect(stored?.links.map((l) => [l.conversationId, l.at])).toEqual([
        ['web:c1', 1_600],
        ['web:c2', 1_700],
      ]);
      expect(stored?.updates).toHaveLength(1);
      expect((await announcements.list())[0]?.links).toHaveLength(2);
      expect((await announcements.get('INC-1', { links: false }))?.links).toEqual([]);
      expect((await announcements.list({ links: false }))[0]?.links).toEqual([]);
    });

    it('notes a ticket on a report and removes reports, and only those asked', async () => {
      const { announcements } = await open();
      await announcements.put(outage('INC-1', 1_000));
      for (const n of [1, 2, 3]) await announcements.addLink('INC-1', report(n, 1_500 + n));
      await announcements.setLinkTicket('INC-1', 'web:c2', 'SUP-1001');
      await announcements.setLinkTicket('INC-1', 'web:c9', 'SUP-1002');
      expect(await announcements.removeLinks('INC-1', ['web:c1', 'web:c9'])).toBe(1);
      const links = (await announcements.get('INC-1'))?.links ?? [];
      expect(links.map((l) => [l.conversationId, l.ticketId])).toEqual([
        ['web:c2', 'SUP-1001'],
        ['web:c3', undefined],
      ]);
      expect(await announcements.removeLinks('INC-1', [])).toBe(0);
    });

    it('records every one of a flood of concurrent reports exactly once', async () => {
      const { announcements } = await open();
      await announcements.put(outage('INC-1', 1_000));
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, (_, i) => announcements.addLink('INC-1', report(i % 200))),
      );
      expect(outcomes.filter((o) => o === 'added')).toHaveLength(200);
      expect((await announcements.get('INC-1'))?.links).toHaveLength(200);
    });

    it('lets exactly one of many concurrent writers of one revision through', async () => {
      const { announcements } = await open();
      await announcements.put(outage('INC-1', 1_000));
      const copies = await Promise.all(Array.from({ length: 5 }, () => announcements.get('INC-1')));
      const results = await Promise.all(
        copies.map((copy, i) => {
          if (!copy) throw new Error('not stored');
          copy.updates.push({ at: 2_000 + i, by: `admin-${i}`, text: { de: `d${i}`, en: `e${i}` } });
          return announcements.put(copy);
        }),
      );
      expect(results.filter((r) => r === 'written')).toHaveLength(1);
      expect((await announcements.get('INC-1'))?.updates).toHaveLength(1);
    });
  });
}
