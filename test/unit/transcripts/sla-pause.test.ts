import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { SlaClock } from '../../../src/handoff/sla-clock.ts';
import { SlaWatcher } from '../../../src/handoff/sla-watcher.ts';
import { FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;
const minute = 60_000;

beforeEach(async () => {
  desk = await openSupportDesk({ customers: await loadCustomersConfig('config/customers.yaml') });
});
afterEach(async () => {
  await desk.close();
});

describe('the SLA clock while the ticket waits for the customer', () => {
  it('stands still from the agent’s question until the customer answers, then runs on with the time that was left', async () => {
    // Monday 5 January 2026, 10:00 Berlin; Muster Bau (business tier), P3: resolution in 1200 business minutes.
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U1' });
    await chat.say('ich möchte mit einem Menschen sprechen');
    await chat.send({
      type: 'submit-form',
      label: 'Senden',
      values: { ...FORM_DETAILS, summary: 'Drucker offline' },
    });
    const id = chat.reply('ticket').ticket.id;
    const created = await desk.stores.tickets.get(id);
    if (!created) throw new Error('no ticket');
    expect(created.priority).toBe('P3');
    const sla = new SlaClock(desk.support, desk.customers);
    expect(created.resolutionDueAt).toBe(sla.calendar.addBusinessMinutes(created.createdAt, 1200));

    desk.clock.advance(30 * minute);
    await desk.desk.claim(id, 'agent-ole');
    await desk.desk.reply(id, 'agent-ole', 'Welches Modell ist es?');
    expect(await desk.desk.waitForCustomer(id, 'agent-ole')).toMatchObject({
      ok: true,
      ticket: { slaPausedAt: desk.clock.now() },
    });
    expect(await desk.stores.slaTimers.list()).toEqual([]);
    // Three days of silence: nothing is due while the clock stands still.
    desk.clock.advance(3 * 24 * 60 * minute);
    const watcher = new SlaWatcher({
      stores: desk.stores,
      support: desk.support,
      customers: desk.customers,
      ticketEvents: desk.ticketEvents,
      clock: desk.clock,
    });
    expect(await watcher.check()).toEqual([]);

    // The customer answers: 30 business minutes were used, 1170 are left from now (Thursday 10:30).
    await chat.say('Es ist ein HP LaserJet 4000');
    const resumed = await desk.stores.tickets.get(id);
    expect(resumed?.slaPausedAt).toBeUndefined();
    expect(resumed?.resolutionDueAt).toBe(sla.calendar.addBusinessMinutes(desk.clock.now(), 1170));
    expect(resumed?.slaPausedMs).toBe(3 * 10 * 60 * minute);
    expect(resumed?.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['sla-paused', 'sla-resumed', 'customer-message']),
    );
    expect((await desk.stores.slaTimers.list()).map((t) => t.name)).toEqual(['resolution']);
    // Pausing twice changes nothing; a ticket nobody claimed cannot wait for the customer.
    await desk.desk.waitForCustomer(id, 'agent-ole');
    expect(await desk.desk.waitForCustomer(id, 'agent-ole')).toMatchObject({ ok: true });
    const other = desk.chat({ customer: 'slack:T0MUSTER:U2' });
    await other.say('ich möchte mit einem Menschen sprechen');
    await other.send({
      type: 'submit-form',
      label: 'Senden',
      values: { ...FORM_DETAILS, summary: 'Scanner' },
    });
    expect(await desk.desk.waitForCustomer(other.reply('ticket').ticket.id, 'agent-ole')).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
  });
});
