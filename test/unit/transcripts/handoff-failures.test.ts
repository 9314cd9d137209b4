import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { counterDay } from '../../../src/core/counters.ts';
import { createEmbeddedStores } from '../../../src/store/embedded/embedded-stores.ts';
import { type Chat, openSupportDesk, type SupportDesk } from './chat-harness.ts';
import { faultAfterTicket } from './faulty-stores.ts';

/**
 * A hand-off writes the ticket and then the conversation. When the second write fails, or the
 * process dies between the two, a retry must finish the hand-off with the same ticket.
 */

const opened: SupportDesk[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function open(options: Parameters<typeof openSupportDesk>[0]): Promise<SupportDesk> {
  const desk = await openSupportDesk(options);
  opened.push(desk);
  return desk;
}

const monday = () => new ManualClock(Date.UTC(2026, 0, 5, 9, 0));

const PRINTER_PROBLEM = {
  summary: 'Printer on floor 3 prints blank pages',
  system: 'Printer PRN-3OG-01',
  error: '',
  since: 'since this morning',
  impact: 'team',
  urgency: 'hinders',
  contact: 'kim@example.com',
};

/** Answers the intake questions by typing, all but the last one (the contact). */
async function typeAllButContact(chat: Chat): Promise<void> {
  const answers: Record<string, string> = {
    summary: 'Drucker im 3. OG druckt leere Seiten',
    system: 'Drucker PRN-3OG-01',
    error: 'überspringen',
    since: 'seit heute Morgen',
    impact: 'mein Team',
    urgency: 'behindert die Arbeit',
  };
  await chat.say('ich möchte mit einem Menschen sprechen');
  for (let i = 0; i < 10 && chat.asking() !== 'contact'; i++) {
    const field = chat.asking() ?? '';
    const answer = answers[field];
    if (!answer) throw new Error(`unexpected question for ${field}: ${chat.text()}`);
    await chat.say(answer);
  }
  expect(chat.asking()).toBe('contact');
}

describe('hand-off that fails half way', () => {
  it('the conversation cannot be saved after the ticket: the retried turn gets the same ticket', async () => {
    const clock = monday();
    const real = await createEmbeddedStores({ clock, warn: () => {} });
    const stores = faultAfterTicket(real, 'conversation-write-fails-once');
    const desk = await open({ stores, clock });
    const chat = desk.chat({ locale: 'en' });
    const submit = { type: 'submit-form' as const, label: 'Send', values: PRINTER_PROBLEM };

    const failed = await chat.send(submit, 'form-turn');
    expect(failed.map((r) => r.type)).toEqual(['notice']);
    expect(chat.text()).toMatch(/something went wrong/);
    const [ticket] = await real.tickets.list();
    expect(ticket?.id).toBeDefined();
    // The ticket id was written to the conversation before the ticket existed.
    expect((await chat.conversation())?.intake?.ticketId).toBe(ticket?.id);

    await chat.send(submit, 'form-turn');
    expect(chat.types()).toEqual(['ticket']);
    expect(chat.reply('ticket').ticket.id).toBe(ticket?.id);
    expect(chat.reply('ticket').position).toBe(1);
    expect(stores.ticketsCreated()).toBe(1);
    expect(await real.tickets.list()).toHaveLength(1);
    expect(await real.queues.list('general')).toEqual([ticket?.id]);
    // Announced once (the first attempt got that far), counted once.
    expect(desk.events.map((e) => [e.ticket.id, e.event.type])).toEqual([[ticket?.id, 'created']]);
    expect((await real.counters.get(counterDay(clock.now()))).handoffs).toBe(1);
    expect((await chat.conversation())?.owner).toBe('queued');

    // A plain repeat of the finished turn is a duplicate again.
    expect(await chat.send(submit, 'form-turn')).toEqual([]);
  });

  it('the next message after such a failure learns about the ticket instead of opening another', async () => {
    const clock = monday();
    const real = await createEmbeddedStores({ clock, warn: () => {} });
    const stores = faultAfterTicket(real, 'conversation-write-fails-once');
    const desk = await open({ stores, clock });
    const chat = desk.chat();
    await typeAllButContact(chat);
    await chat.say('kim.kunde@example.com');
    expect(chat.text()).toMatch(/schiefgegangen/);
    const [ticket] = await real.tickets.list();

    await chat.say('Hallo? Ist mein Ticket angekommen?');
    expect(chat.types()).toEqual(['ticket']);
    expect(chat.reply('ticket').ticket.id).toBe(ticket?.id);
    expect(stores.ticketsCreated()).toBe(1);
    await chat.say('Der Drucker im 2. OG hat es jetzt auch');
    expect(chat.text()).toMatch(new RegExp(`an das Ticket ${ticket?.id} angehängt`));
    expect(await real.tickets.list()).toHaveLength(1);
  });

  it('the process dies right after storing the ticket: a new process finishes the hand-off on the retry', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'handoff-crash-'));
    dirs.push(dataDir);
    const clock = monday();
    const real = await createEmbeddedStores({ dataDir, clock, warn: () => {} });
    const first = await open({ stores: faultAfterTicket(real, 'store-goes-away'), clock });
    const before = first.chat({ id: 'crash' });
    await typeAllButContact(before);
    await before.say('kim.kunde@example.com', 'contact-turn');
    expect(before.text()).toMatch(/schiefgegangen/);
    expect(first.events).toEqual([]);

    const second = await open({ dataDir, clock });
    const after = second.chat({ id: 'crash' });
    await after.say('kim.kunde@example.com', 'contact-turn');
    expect(after.types()).toEqual(['ticket']);
    const id = after.reply('ticket').ticket.id;
    const tickets = await second.stores.tickets.list();
    expect(tickets.map((t) => t.id)).toEqual([id]);
    expect(tickets[0]).toMatchObject({
      queue: 'general',
      priority: 'P2',
      details: { summary: 'Drucker im 3. OG druckt leere Seiten', contact: 'kim.kunde@example.com' },
    });
    // It never reached its queue before; now it is there and announced, once.
    expect(await second.stores.queues.list('general')).toEqual([id]);
    expect(second.events.map((e) => [e.ticket.id, e.event.type])).toEqual([[id, 'created']]);
    expect((await after.conversation())?.owner).toBe('queued');
    expect(await after.say('kim.kunde@example.com', 'contact-turn')).toEqual([]);
  });
});
