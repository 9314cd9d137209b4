import { describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/core/announcement.ts';
import type { Stores } from '../../src/store/ports.ts';

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
