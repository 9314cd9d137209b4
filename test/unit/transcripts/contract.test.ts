import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startedQuarterHours } from '../../../src/handoff/billable-time.ts';
import { type CustomersConfig, loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { type Chat, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;
let customers: CustomersConfig;

beforeEach(async () => {
  customers = await loadCustomersConfig('config/customers.yaml');
  desk = await openSupportDesk({ customers });
});

afterEach(async () => {
  await desk.close();
});

/** A Muster Bau employee (recognised by their Slack workspace) opens a billable ticket. */
async function billableTicket(chat: Chat): Promise<string> {
  await chat.say('Can you fix an error in my website design?');
  await chat.send({
    type: 'submit-form',
    label: 'Send',
    values: {
      summary: 'Layout broken after theme update',
      system: 'Company website',
      error: '',
      since: 'yesterday',
      impact: 'one',
      urgency: 'hinders',
      contact: 'anna@muster-bau.example',
    },
  });
  await chat.click('consent', (a) => a.type === 'consent' && a.accept);
  return chat.reply('ticket').ticket.id;
}

describe('whom the bot serves', () => {
  it('answers "how many hours are left" with the organisation’s block-hour balance', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U1' });
    await chat.say('Wie viele Stunden habe ich noch?');
    expect(chat.types()).toEqual(['notice', 'answer']);
    expect(chat.last[0]?.text).toBe(
      'Blockstunden von Muster Bau GmbH: noch 20 von 20 Stunden übrig (0 h verbraucht).',
    );
    await chat.say('how many hours are left on our contract?');
    expect(chat.last[0]?.text).toBe('Block hours of Muster Bau GmbH: 20 of 20 hours left (0 h used).');
  });

  it('answers "what is our reaction time for a P1?" from the contract’s tier, with the emergency route', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U2' });
    await chat.say('what is our reaction time for a P1?');
    expect(chat.reply('answer').entryId).toBe('sla-reaction-times');
    expect(chat.last[0]?.text).toBe(
      'Under the contract of Muster Bau GmbH (SLA Business) the reaction time is P1: 30 minutes, around the clock.\n' +
        'For a total outage (P1) our on-call team is reachable around the clock at +49 30 1234567.',
    );
  });

  it('gives unknown customers the general answer alone', async () => {
    const chat = desk.chat({ customer: 'slack:T0SOMEONE:U1' });
    await chat.say('Wie viele Stunden habe ich noch?');
    expect(chat.types()).toEqual(['answer']);
    await chat.say('what is our reaction time for a P1?');
    expect(chat.types()).toEqual(['answer']);
  });

  it('opens the organisation’s tickets under its tier’s SLA', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U3' });
    const id = await billableTicket(chat);
    const ticket = await desk.stores.tickets.get(id);
    // Business tier, P3 (one person, hinders): 240 business minutes from Monday 10:00 Berlin.
    expect(ticket).toMatchObject({ organisation: 'muster-bau', priority: 'P3', billable: true });
    expect(new Date(ticket?.reactionDueAt ?? 0).toISOString()).toBe('2026-01-05T13:00:00.000Z');
    const stranger = desk.chat({ customer: 'web-visitor' });
    const other = await billableTicket(stranger);
    expect((await desk.stores.tickets.get(other))?.organisation).toBeUndefined();
  });
});

describe('billable time', () => {
  it('bills per started quarter hour', () => {
    expect([0, 1, 7, 14, 15, 16, 30, 31, 60, 61].map(startedQuarterHours)).toEqual([
      0, 1, 1, 1, 1, 2, 2, 3, 4, 5,
    ]);
  });

  it('an agent records 7 minutes: the block-hour balance drops by 0.25 h', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U4' });
    const id = await billableTicket(chat);
    const recorded = await desk.desk.recordTime(id, 'agent-ole', 7, 'checked the theme');
    expect(recorded).toMatchObject({
      ok: true,
      quarterHours: 1,
      balance: { hoursLeft: 19.75, hoursUsed: 0.25 },
    });
    // Another 8 minutes stay within the started quarter hour.
    expect(await desk.desk.recordTime(id, 'agent-ole', 8)).toMatchObject({ quarterHours: 1 });
    // A colleague asks: the balance is the organisation's.
    const colleague = desk.chat({ customer: 'slack:T0MUSTER:U40' });
    await colleague.say('how many hours are left on our contract?');
    expect(colleague.last[0]?.text).toBe(
      'Block hours of Muster Bau GmbH: 19.75 of 20 hours left (0.25 h used).',
    );
    expect(desk.events.filter((e) => e.event.type === 'time-recorded').map((e) => e.event.minutes)).toEqual([
      7, 8,
    ]);
  });

  it('refuses nonsense minutes and withdrawn tickets', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U5' });
    const id = await billableTicket(chat);
    for (const minutes of [0, -5, 2.5, 100_000, Number.NaN]) {
      expect(await desk.desk.recordTime(id, 'agent-ole', minutes)).toMatchObject({
        ok: false,
        code: 'invalid',
      });
    }
    expect(await desk.desk.recordTime('SUP-9999', 'agent-ole', 5)).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('warns the customer once when the block runs low, and once when it is used up', async () => {
    const chat = desk.chat({ customer: 'slack:T0MUSTER:U6' });
    const id = await billableTicket(chat);
    // 20 h bought, warning at 2 h left: 18 h of work brings it to the mark.
    expect(await desk.desk.recordTime(id, 'agent-ole', 600)).toMatchObject({ balance: { hoursLeft: 10 } });
    expect(desk.sink.to(chat.ref.conversationId)).toEqual([]);
    await desk.desk.recordTime(id, 'agent-ole', 480);
    // Below the mark already: no second "low" warning.
    await desk.desk.recordTime(id, 'agent-ole', 30);
    const warnings = () => desk.sink.to(chat.ref.conversationId).map((r) => r.text);
    expect(warnings()).toEqual(['Note for Muster Bau GmbH: only 2 h of your block hours are left.']);
    await desk.desk.recordTime(id, 'agent-ole', 120);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatch(/block of support hours is used up/);
    await desk.desk.recordTime(id, 'agent-ole', 15);
    expect(warnings()).toHaveLength(2);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.events.filter((e) => e.type === 'balance-low').map((e) => e.text)).toEqual(['low', 'out']);
  });

  it('managed services bill nothing per ticket', async () => {
    const chat = desk.chat({ customer: 'teams:abc' });
    const id = await billableTicket(chat);
    // As if the Teams tenant of Kanzlei Beispiel had recognised the customer at hand-off.
    await desk.stores.tickets.update(id, (t) => ({ ...t, organisation: 'kanzlei-beispiel' }));
    expect(await desk.desk.recordTime(id, 'agent-ole', 45)).toMatchObject({ ok: true, quarterHours: 0 });
  });
});
