import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { Stores } from '../../../src/core/ports.ts';
import type { Priority, Ticket, TicketEvent } from '../../../src/core/ticket.ts';
import { TicketEventHub } from '../../../src/core/ticket-events.ts';
import { BusinessCalendar } from '../../../src/handoff/business-calendar.ts';
import { expectedWaitMinutes } from '../../../src/handoff/expected-wait.ts';
import { SlaClock } from '../../../src/handoff/sla-clock.ts';
import { SlaWatcher } from '../../../src/handoff/sla-watcher.ts';
import { findQueue, loadSupportConfig, type SupportConfig } from '../../../src/handoff/support-config.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';

const berlin = {
  timezone: 'Europe/Berlin',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
  start: '08:00',
  end: '18:00',
  holidays: ['2026-04-03'],
};

const iso = (ms: number) => new Date(ms).toISOString();

describe('business calendar (Mon–Fri 08:00–18:00 Europe/Berlin)', () => {
  const calendar = new BusinessCalendar(berlin);

  it('adds minutes inside one business day', () => {
    // Monday 10:00 Berlin (CET, UTC+1) + 2 h = 12:00 Berlin.
    expect(iso(calendar.addBusinessMinutes(Date.UTC(2026, 0, 5, 9, 0), 120))).toBe(
      '2026-01-05T11:00:00.000Z',
    );
  });

  it('pauses overnight and over the weekend', () => {
    // Friday 17:00 Berlin + 2 h = Monday 09:00 Berlin.
    expect(iso(calendar.addBusinessMinutes(Date.UTC(2026, 0, 9, 16, 0), 120))).toBe(
      '2026-01-12T08:00:00.000Z',
    );
  });

  it('starts counting at opening time for a ticket created at night or on Sunday', () => {
    // Sunday 23:00 Berlin + 30 min = Monday 08:30 Berlin.
    expect(iso(calendar.addBusinessMinutes(Date.UTC(2026, 0, 11, 22, 0), 30))).toBe(
      '2026-01-12T07:30:00.000Z',
    );
  });

  it('skips holidays and follows daylight saving time', () => {
    // Thursday 2 April 2026 17:00 (CEST, UTC+2) + 2 h: Good Friday is a holiday → Monday 6 April 09:00.
    expect(iso(calendar.addBusinessMinutes(Date.UTC(2026, 3, 2, 15, 0), 120))).toBe(
      '2026-04-06T07:00:00.000Z',
    );
    // Friday 27 March 17:00 CET + 2 h → Monday 30 March 09:00 CEST (clocks moved on Sunday).
    expect(iso(calendar.addBusinessMinutes(Date.UTC(2026, 2, 27, 16, 0), 120))).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });

  it('knows when support is open', () => {
    expect(calendar.isOpen(Date.UTC(2026, 0, 5, 9, 0))).toBe(true);
    expect(calendar.isOpen(Date.UTC(2026, 0, 5, 17, 0))).toBe(false);
    expect(calendar.isOpen(Date.UTC(2026, 0, 10, 10, 0))).toBe(false);
  });
});

describe('SLA clock and expected wait', () => {
  let config: SupportConfig;
  beforeEach(async () => {
    config = await loadSupportConfig('config/support.yaml');
  });

  it('runs P1 around the clock and the others in business hours', () => {
    const sla = new SlaClock(config);
    const fridayEvening = Date.UTC(2026, 0, 9, 19, 0); // 20:00 Berlin
    expect(iso(sla.dueTimes('general', 'P1', fridayEvening).reactionDueAt)).toBe('2026-01-09T19:30:00.000Z');
    expect(iso(sla.dueTimes('general', 'P1', fridayEvening).resolutionDueAt)).toBe(
      '2026-01-09T23:00:00.000Z',
    );
    // P2: 2 business hours → Monday 10:00 Berlin.
    expect(iso(sla.dueTimes('general', 'P2', fridayEvening).reactionDueAt)).toBe('2026-01-12T09:00:00.000Z');
  });

  it('estimates the wait from queue position, handling time and agents', () => {
    const general = findQueue(config, 'general'); // 20 min, 2 agents
    expect(expectedWaitMinutes(general, 1)).toBe(10);
    expect(expectedWaitMinutes(general, 5)).toBe(50);
    expect(findQueue(config, 'no-such-queue').id).toBe('general');
  });
});

describe('SLA watcher', () => {
  let stores: Stores;
  let clock: ManualClock;
  let config: SupportConfig;
  let heard: TicketEvent[];
  let watcher: SlaWatcher;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0)); // Monday 10:00 Berlin
    stores = await createEmbeddedStores({ clock, warn: () => {} });
    config = await loadSupportConfig('config/support.yaml');
    heard = [];
    const hub = new TicketEventHub();
    hub.subscribe({ onTicketEvent: async (_ticket, event) => void heard.push(event) });
    watcher = new SlaWatcher({ stores, support: config, ticketEvents: hub, clock });
  });

  afterEach(async () => {
    await stores.close();
  });

  async function openTicket(priority: Priority): Promise<Ticket> {
    const now = clock.now();
    const due = new SlaClock(config).dueTimes('general', priority, now);
    const ticket: Ticket = {
      id: await stores.tickets.nextId(),
      queue: 'general',
      level: 2,
      priority,
      status: 'queued',
      details: { summary: 'Server down' },
      transcript: [],
      candidates: [],
      language: 'de',
      customer: { id: 'c1' },
      conversation: { channel: 'web', conversationId: 'web:c1', address: {} },
      billable: false,
      createdAt: now,
      updatedAt: now,
      events: [{ at: now, type: 'created' }],
      ...due,
    };
    await stores.tickets.create(ticket);
    return ticket;
  }

  it('warns at 80 % of the reaction time and reports the breach, each once', async () => {
    const ticket = await openTicket('P2'); // 120 business minutes → due 12:00 Berlin
    clock.advanceMinutes(95);
    expect(await watcher.check()).toEqual([]);
    clock.advanceMinutes(1); // 96 min = 80 %
    expect(await watcher.check()).toEqual([{ ticketId: ticket.id, type: 'sla-warning', sla: 'reaction' }]);
    expect(await watcher.check()).toEqual([]);
    clock.advanceMinutes(24);
    expect(await watcher.check()).toEqual([{ ticketId: ticket.id, type: 'sla-breached', sla: 'reaction' }]);
    clock.advanceMinutes(60);
    expect(await watcher.check()).toEqual([]);
    expect(heard.map((e) => `${e.type}/${e.sla}`)).toEqual(['sla-warning/reaction', 'sla-breached/reaction']);
    const stored = await stores.tickets.get(ticket.id);
    expect(stored?.events.filter((e) => e.type === 'sla-breached')).toHaveLength(1);
  });

  it("moves each clock's timer from the warning to the breach, and drops it once nothing is left to send", async () => {
    const ticket = await openTicket('P2');
    const sla = new SlaClock(config);
    expect(await watcher.check()).toEqual([]);
    // A ticket written straight into the store got its timers from the watcher's first check.
    const timers = async () => (await stores.slaTimers.list()).map((t) => `${t.name}@${iso(t.dueAt)}`);
    expect(await timers()).toEqual([
      `reaction@${iso(sla.warningAt(ticket, 'reaction'))}`,
      `resolution@${iso(sla.warningAt(ticket, 'resolution'))}`,
    ]);
    clock.set(sla.warningAt(ticket, 'reaction'));
    expect(await watcher.check()).toEqual([{ ticketId: ticket.id, type: 'sla-warning', sla: 'reaction' }]);
    expect((await timers())[0]).toBe(`reaction@${iso(ticket.reactionDueAt)}`);
    clock.set(ticket.reactionDueAt);
    expect(await watcher.check()).toEqual([{ ticketId: ticket.id, type: 'sla-breached', sla: 'reaction' }]);
    expect(await timers()).toEqual([`resolution@${iso(sla.warningAt(ticket, 'resolution'))}`]);
    await stores.tickets.update(ticket.id, (t) => ({ ...t, status: 'resolved', resolvedAt: clock.now() }));
    clock.set(ticket.resolutionDueAt);
    expect(await watcher.check()).toEqual([]);
    expect(await timers()).toEqual([]);
  });

  it('a second watcher (another process) on the same store sends nothing twice', async () => {
    const ticket = await openTicket('P2');
    const other = new SlaWatcher({ stores, support: config, ticketEvents: new TicketEventHub(), clock });
    await watcher.check();
    await other.check();
    clock.set(ticket.reactionDueAt + 60_000);
    const alerts = [...(await watcher.check()), ...(await other.check()), ...(await watcher.check())];
    expect(alerts).toEqual([{ ticketId: ticket.id, type: 'sla-breached', sla: 'reaction' }]);
    expect(
      (await stores.tickets.get(ticket.id))?.events.filter((e) => e.type === 'sla-breached'),
    ).toHaveLength(1);
  });

  it('pauses outside business hours: no breach overnight for a P3 ticket', async () => {
    clock.set(Date.UTC(2026, 0, 5, 16, 0)); // Monday 17:00 Berlin, P3 reaction = 8 business hours
    const ticket = await openTicket('P3');
    expect(iso(ticket.reactionDueAt)).toBe('2026-01-06T14:00:00.000Z'); // Tuesday 15:00 Berlin
    clock.set(Date.UTC(2026, 0, 6, 6, 59)); // Tuesday 07:59 Berlin
    expect(await watcher.check()).toEqual([]);
    clock.set(Date.UTC(2026, 0, 6, 14, 0));
    // Warning time (80 %) and due time both passed: only the breach is worth sending now.
    const alerts = await watcher.check();
    expect(alerts).toEqual([{ ticketId: ticket.id, type: 'sla-breached', sla: 'reaction' }]);
  });

  it('stops the reaction clock once an agent reacted; resolution still runs', async () => {
    const ticket = await openTicket('P1');
    await stores.tickets.update(ticket.id, (t) => ({
      ...t,
      status: 'claimed',
      firstReactionAt: clock.now(),
    }));
    clock.advanceMinutes(60);
    expect(await watcher.check()).toEqual([]);
    clock.advanceMinutes(180); // 240 min = P1 resolution, around the clock
    expect(await watcher.check()).toEqual([{ ticketId: ticket.id, type: 'sla-breached', sla: 'resolution' }]);
  });
});
