import { describe, expect, it, vi } from 'vitest';
import type { FaqEntry } from '../../src/core/faq-entry.ts';
import type { Stores } from '../../src/core/ports.ts';
import type { TestClock } from '../support/store-samples.ts';

function faqEntry(id: string, language: 'de' | 'en', title: string): FaqEntry {
  return {
    id,
    title,
    questions: [language === 'de' ? 'Wie richte ich das VPN ein?' : 'How do I set up the VPN?'],
    language,
    tags: ['vpn'],
    queue: 'network',
    billable: false,
    related: [],
    updated: '2025-03-03',
    answer: language === 'de' ? 'Öffnen Sie den **VPN-Client** …' : 'Open the **VPN client** …',
    source: 'store',
  };
}

/**
 * The ports multi-process operation rests on besides the outbox: SLA timers and knowledge
 * versions. Called from describeStoreContract with its `open`, so every implementation runs it.
 */
export function describeCoordinationContract(
  open: () => Promise<{ stores: Stores; clock: TestClock }>,
): void {
  describe('SLA timers', () => {
    it('leases due timers to one caller, gives them back after the lease, forgets them when done', async () => {
      const { stores, clock } = await open();
      const { slaTimers } = stores;
      const t0 = clock.now();
      await slaTimers.schedule({ ticketId: 'SUP-1001', name: 'reaction-warning', dueAt: t0 + 100 });
      await slaTimers.schedule({ ticketId: 'SUP-1002', name: 'reaction-warning', dueAt: t0 + 50 });
      await slaTimers.schedule({ ticketId: 'SUP-1001', name: 'resolution-breach', dueAt: t0 + 10_000 });

      expect(await slaTimers.claimDue(t0 + 10, 1_000)).toEqual([]);
      const due = await slaTimers.claimDue(t0 + 200, 1_000);
      expect(due).toEqual([
        { ticketId: 'SUP-1002', name: 'reaction-warning', dueAt: t0 + 50 },
        { ticketId: 'SUP-1001', name: 'reaction-warning', dueAt: t0 + 100 },
      ]);
      expect(await slaTimers.claimDue(t0 + 300, 1_000)).toEqual([]);
      await slaTimers.done('SUP-1002', 'reaction-warning');
      // The lease ran out without `done`: the timer comes back.
      const again = await slaTimers.claimDue(t0 + 1_300, 1_000);
      expect(again.map((t) => t.ticketId)).toEqual(['SUP-1001']);
      expect((await slaTimers.list()).map((t) => `${t.ticketId}/${t.name}`)).toEqual([
        'SUP-1001/reaction-warning',
        'SUP-1001/resolution-breach',
      ]);
    });

    it('moves a rescheduled timer and cancels one or all of a ticket', async () => {
      const { stores, clock } = await open();
      const { slaTimers } = stores;
      const t0 = clock.now();
      await slaTimers.schedule({ ticketId: 'SUP-1001', name: 'reaction-warning', dueAt: t0 + 100 });
      await slaTimers.schedule({ ticketId: 'SUP-1001', name: 'reaction-warning', dueAt: t0 + 900 });
      await slaTimers.schedule({ ticketId: 'SUP-1001', name: 'reaction-breach', dueAt: t0 + 1_000 });
      await slaTimers.schedule({ ticketId: 'SUP-1002', name: 'reaction-breach', dueAt: t0 + 1_000 });
      expect(await slaTimers.claimDue(t0 + 500, 1_000)).toEqual([]);
      await slaTimers.cancel('SUP-1002', 'reaction-breach');
      expect((await slaTimers.list()).map((t) => t.ticketId)).toEqual(['SUP-1001', 'SUP-1001']);
      await slaTimers.cancel('SUP-1001');
      expect(await slaTimers.list()).toEqual([]);
      expect(await slaTimers.claimDue(t0 + 5_000, 1_000)).toEqual([]);
    });
  });

  describe('knowledge versions', () => {
    it('saves many entries as one change: one version, each in its history, one notification', async () => {
      const { stores } = await open();
      const { knowledge } = stores;
      const seen: number[] = [];
      const stop = knowledge.onChange((version) => seen.push(version));
      await knowledge.save(faqEntry('vpn-einrichten', 'de', 'VPN einrichten'), 'admin');
      const revisions = await knowledge.saveMany(
        [faqEntry('vpn-einrichten', 'de', 'VPN einrichten (neu)'), faqEntry('drucker', 'en', 'Printers')],
        'import',
      );
      expect(revisions.map((r) => [r.version, r.id, r.language, r.actor])).toEqual([
        [2, 'vpn-einrichten', 'de', 'import'],
        [2, 'drucker', 'en', 'import'],
      ]);
      const current = await knowledge.current();
      expect(current.version).toBe(2);
      expect(current.entries.map((e) => e.title).sort()).toEqual(['Printers', 'VPN einrichten (neu)']);
      expect((await knowledge.history('vpn-einrichten', 'de')).map((r) => r.version)).toEqual([2, 1]);
      await vi.waitFor(() => expect(seen).toContain(2));
      expect(await knowledge.saveMany([], 'import')).toEqual([]);
      stop();
    });

    it('versions saves and removals, keeps the history, and tells listeners', async () => {
      const { stores } = await open();
      const { knowledge } = stores;
      const seen: number[] = [];
      const stop = knowledge.onChange((version) => seen.push(version));
      expect(await knowledge.current()).toEqual({ version: 0, entries: [], removed: [] });

      const first = await knowledge.save(faqEntry('vpn-einrichten', 'de', 'VPN einrichten'), 'admin');
      const second = await knowledge.save(
        faqEntry('vpn-einrichten', 'de', 'VPN einrichten (neu)'),
        'curator',
      );
      await knowledge.save(faqEntry('vpn-einrichten', 'en', 'Set up the VPN'), 'admin');
      const removed = await knowledge.remove('drucker-einrichten', 'de', 'admin');
      expect([first.version, second.version, removed.version]).toEqual([1, 2, 4]);

      const current = await knowledge.current();
      expect(current.version).toBe(4);
      expect(current.entries.map((e) => `${e.id}.${e.language}:${e.title}`).sort()).toEqual([
        'vpn-einrichten.de:VPN einrichten (neu)',
        'vpn-einrichten.en:Set up the VPN',
      ]);
      expect(current.removed).toEqual([{ id: 'drucker-einrichten', language: 'de' }]);

      const history = await knowledge.history('vpn-einrichten', 'de');
      expect(history.map((r) => [r.version, r.actor, r.entry?.title])).toEqual([
        [2, 'curator', 'VPN einrichten (neu)'],
        [1, 'admin', 'VPN einrichten'],
      ]);
      await vi.waitFor(() => expect(Math.max(...seen)).toBe(4));
      stop();
    });
  });
}
