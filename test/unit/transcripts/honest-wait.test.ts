import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { loadCustomersConfig } from '../../../src/handoff/customers-config.ts';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function open(at: number): Promise<SupportDesk> {
  desk = await openSupportDesk({
    clock: new ManualClock(at),
    customers: await loadCustomersConfig('config/customers.yaml'),
  });
  return desk;
}

async function handOff(chat: Chat, values: Record<string, string> = {}): Promise<string> {
  await chat.say('I want to talk to a person');
  await chat.send({
    type: 'submit-form',
    label: 'Send',
    values: { ...FORM_DETAILS, summary: 'Printer offline', ...values },
  });
  return chat.reply('ticket').ticket.id;
}

describe('honest waits', () => {
  it('on a Sunday evening says when the team is back, what the SLA promises and the emergency route', async () => {
    // Sunday 6 December 2026, 20:00 Berlin.
    const d = await open(Date.UTC(2026, 11, 6, 19));
    const chat = d.chat({ customer: 'slack:T0MUSTER:U1', locale: 'en' });
    await handOff(chat);
    const text = chat.reply('ticket').text;
    expect(text).not.toMatch(/expected wait/);
    // Business tier, P3: reaction within 240 business minutes from Monday 08:00 → 12:00.
    expect(text).toContain('Our team is off duty right now and back on Monday 7 December at 08:00.');
    expect(text).toContain('someone reacts by Monday 7 December at 12:00 at the latest');
    expect(text).toContain('+49 30 1234567');
    // Asked again later: the due times, and still when the team is back.
    await chat.say('what is the status of my ticket?');
    expect(chat.text()).toContain('Reaction due by Monday 7 December at 12:00, resolution by');
    expect(chat.text()).toContain('back on Monday 7 December at 08:00');
  });

  it('in business hours tells the wait in minutes, and a wait past closing time includes the night', async () => {
    // Monday 7 December 2026, 10:00 Berlin; the general queue: 20 minutes per ticket, two agents.
    const d = await open(Date.UTC(2026, 11, 7, 9));
    const chat = d.chat({ locale: 'en' });
    await handOff(chat);
    expect(chat.reply('ticket')).toMatchObject({ position: 1, expectedWaitMinutes: 10 });
    // Monday 17:55, second in the queue: twenty business minutes end on Tuesday 08:15.
    d.clock.set(Date.UTC(2026, 11, 7, 16, 55));
    const late = d.chat({ locale: 'en' });
    await handOff(late);
    expect(late.reply('ticket')).toMatchObject({ position: 2, expectedWaitMinutes: 5 + 14 * 60 + 15 });
  });

  it('orders a queue by priority, then by due time', async () => {
    const d = await open(Date.UTC(2026, 11, 7, 9));
    const first = d.chat({ locale: 'en' });
    await handOff(first, { impact: 'one', urgency: 'can-wait' });
    expect(first.reply('ticket')).toMatchObject({ position: 1, ticket: { priority: 'P4' } });
    d.clock.advance(60_000);
    const urgent = d.chat({ locale: 'en' });
    await handOff(urgent, { impact: 'company', urgency: 'blocks' });
    expect(urgent.reply('ticket')).toMatchObject({ position: 1, ticket: { priority: 'P1' } });
    await first.say('any news?');
    expect(first.text()).toMatch(/number 2/);
  });
});
