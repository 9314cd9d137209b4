import { describe, expect, it, vi } from 'vitest';
import type { FaqEntry } from '../../src/knowledge/faq-entry.ts';
import type { Stores } from '../../src/store/ports.ts';
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
 * The ports multi-process operation rests on: event log, effect guard, SLA timers, knowledge
 * versions. Called from describeStoreContract with its `open`, so every implementation runs it.
 */
export function describeCoordinationContract(
  open: () => Promise<{ stores: Stores; clock: TestClock }>,
): void {
  describe('event log', () => {
    it('hands every event to each group once, in order, until acknowledged', async () => {
      const { stores } = await open();
      const { events } = stores;
      const ids = [
        await events.append('ticket-event', { ticketId: 'SUP-1001', type: 'created' }),
        await events.append('ticket-event', { ticketId: 'SUP-1001', text: 'Grüße 🙂' }),
        await events.append('delivery', { to: 'web:c1' }),
      ];
      expect(new Set(ids).size).toBe(3);

      const first = await events.read('announcer', 'p1');
      expect(first.map((e) => e.id)).toEqual(ids);
      expect(first.map((e) => e.type)).toEqual(['ticket-event', 'ticket-event', 'delivery']);
      expect(first[1]?.payload).toEqual({ ticketId: 'SUP-1001', text: 'Grüße 🙂' });
      expect(first.every((e) => e.deliveries === 0)).toBe(true);
      expect(await events.read('announcer', 'p2')).toEqual([]);
      expect(await events.pendingCount('announcer')).toBe(3);

      await events.ack('announcer', [ids[0] as string, ids[1] as string]);
      expect(await events.pendingCount('announcer')).toBe(1);

      // Another group sees everything, independently.
      expect((await events.read('relay', 'p1')).map((e) => e.id)).toEqual(ids);
    });

    it('respects the count and continues where it left off', async () => {
      const { stores } = await open();
      for (let i = 0; i < 5; i++) await stores.events.append('n', { i });
      const a = await stores.events.read('g', 'p1', { count: 2 });
      const b = await stores.events.read('g', 'p1', { count: 10 });
      expect(a.map((e) => (e.payload as { i: number }).i)).toEqual([0, 1]);
      expect(b.map((e) => (e.payload as { i: number }).i)).toEqual([2, 3, 4]);
    });

    it('hands an event a consumer never acknowledged to another one after the reclaim time', async () => {
      const { stores } = await open();
      const id = await stores.events.append('ticket-event', { ticketId: 'SUP-1002' });
      await stores.events.append('ticket-event', { ticketId: 'SUP-1003' });
      const taken = await stores.events.read('announcer', 'dies', { count: 1 });
      expect(taken.map((e) => e.id)).toEqual([id]);
      // Not long enough: nobody else gets it.
      const early = await stores.events.read('announcer', 'survivor', { reclaimAfterMs: 60_000 });
      expect(early.map((e) => e.id)).not.toContain(id);
      const late = await stores.events.read('announcer', 'survivor', { reclaimAfterMs: 0 });
      expect(late.map((e) => e.id)).toContain(id);
      expect(late.find((e) => e.id === id)?.deliveries).toBeGreaterThan(0);
      await stores.events.ack(
        'announcer',
        late.map((e) => e.id),
      );
      expect(await stores.events.pendingCount('announcer')).toBe(0);
      expect(await stores.events.read('announcer', 'again', { reclaimAfterMs: 0 })).toEqual([]);
    });
  });

  describe('effect guard', () => {
    it('lets one claim through; then busy, done, or claimable again after release', async () => {
      const { stores } = await open();
      const { effects } = stores;
      expect(await effects.claim('announce:SUP-1001', 30_000)).toBe('claimed');
      expect(await effects.claim('announce:SUP-1001', 30_000)).toBe('busy');
      await effects.done('announce:SUP-1001', 60_000);
      expect(await effects.claim('announce:SUP-1001', 30_000)).toBe('done');

      expect(await effects.claim('relay:e7', 30_000)).toBe('claimed');
      await effects.release('relay:e7');
      expect(await effects.claim('relay:e7', 30_000)).toBe('claimed');
    });

    it('reports a retry when the earlier claim ran out without finishing; forgets done after its ttl', async () => {
      const { stores, clock } = await open();
      expect(await stores.effects.claim('announce:SUP-1002', 1_000)).toBe('claimed');
      clock.advance(1_000);
      expect(await stores.effects.claim('announce:SUP-1002', 1_000)).toBe('retry');
      await stores.effects.done('announce:SUP-1002', 5_000);
      clock.advance(5_000);
      expect(await stores.effects.claim('announce:SUP-1002', 1_000)).toBe('claimed');
    });

    it('lets exactly one of many concurrent claimers through', async () => {
      const { stores } = await open();
      const results = await Promise.all(Array.from({ length: 30 }, () => stores.effects.claim('k', 10_000)));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'busy')).toHaveLength(29);
    });
  });

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
