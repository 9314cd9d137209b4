import { describe, expect, it } from 'vitest';
import { dailyFigures, daysBetween } from '../../../src/admin/analytics/daily-figures.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { sampleTicket } from '../../support/store-samples.ts';

const DAY = 24 * 60 * 60_000;
const MINUTE = 60_000;

describe('figures per day', () => {
  it('keeps a day 13 months back and reads its conversations, deflection, queues, entries, feedback, satisfaction, SLA and medians', async () => {
    const stores = await createEmbeddedStores();
    const now = Date.parse('2026-12-06T12:00:00Z');
    const old = now - 400 * DAY;
    const oldDay = new Date(old).toISOString().slice(0, 10);
    for (const [name, by] of [
      ['conversations', 10],
      ['answered', 7],
      ['answered:vpn-setup', 5],
      ['answered:password-reset', 2],
      ['handoffs', 3],
      ['handoffs:network', 2],
      ['handoffs:general', 1],
      ['feedback-positive', 3],
      ['feedback-negative', 1],
    ] as const) {
      await stores.counters.increment(name, oldDay, by);
    }
    // Claimed after 10 and 30 minutes, solved within the SLA (one) and late (the other).
    await stores.tickets.create(
      sampleTicket('SUP-1001', old, {
        status: 'resolved',
        closedReason: 'resolved',
        firstReactionAt: old + 10 * MINUTE,
        resolvedAt: old + 60 * MINUTE,
        events: [
          { at: old, type: 'created' },
          { at: old + 61 * MINUTE, type: 'rated', text: '5' },
        ],
      }),
    );
    await stores.tickets.create(
      sampleTicket('SUP-1002', old, {
        status: 'resolved',
        closedReason: 'resolved',
        firstReactionAt: old + 30 * MINUTE,
        resolvedAt: old + 25 * 3_600_000,
        events: [
          { at: old, type: 'created' },
          { at: old + 70 * MINUTE, type: 'rated', text: '2' },
        ],
      }),
    );
    const days = daysBetween(oldDay, new Date(old + DAY).toISOString().slice(0, 10));
    expect(days).toHaveLength(2);
    const [first, second] = await dailyFigures(stores, days);
    expect(first).toEqual({
      day: oldDay,
      conversations: 10,
      answered: 7,
      deflection: 0.7,
      handoffs: 3,
      handoffsByQueue: { network: 2, general: 1 },
      topEntries: [
        { id: 'vpn-setup', count: 5 },
        { id: 'password-reset', count: 2 },
      ],
      helpful: 3,
      notHelpful: 1,
      feedbackRatio: 0.75,
      ratings: 2,
      satisfaction: 3.5,
      slaClosed: 1,
      slaMet: 1,
      slaCompliance: 1,
      medianMinutesToClaim: 20,
      medianMinutesToResolve: 60,
    });
    // The late one was solved the next day, over its resolution time.
    expect(second).toMatchObject({
      slaClosed: 1,
      slaMet: 0,
      slaCompliance: 0,
      conversations: 0,
      deflection: null,
    });
    await stores.close();
  });
});
