import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/core/ticket.ts';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

/**
 * A ticket's "Bot's candidates": the FAQ entries the bot considered for the customer's problem,
 * which is what helps an agent; never intents such as "talk to a person".
 */

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

/** Finishes a running intake with a form (the summary too when given) and returns the ticket. */
async function finish(chat: Chat, summary?: string): Promise<Ticket> {
  const values = summary === undefined ? FORM_DETAILS : { ...FORM_DETAILS, summary };
  await chat.send({ type: 'submit-form', label: 'Send', values });
  const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
  if (!ticket) throw new Error('no ticket stored');
  return ticket;
}

async function acceptProposal(chat: Chat): Promise<void> {
  await chat.click('choose-value', (a) => a.type === 'choose-value' && a.field === 'summary');
}

const ids = (ticket: Ticket) => ticket.candidates.map((c) => c.id);

describe.each([
  {
    language: 'en',
    person: 'I want to talk to a human',
    faq: 'How do I reset my password?',
    other: 'The printer on the second floor prints blank pages',
  },
  {
    language: 'de',
    person: 'ich möchte mit einem Menschen sprechen',
    faq: 'Wie setze ich mein Passwort zurück?',
    other: 'Der Drucker im zweiten Stock druckt nur leere Seiten',
  },
])('ticket candidates ($language)', (t) => {
  it('a hand-off after an FAQ question lists that entry, and no intent', async () => {
    const chat = desk.chat();
    await chat.say(t.faq);
    await chat.say(t.person);
    await acceptProposal(chat);
    const ticket = await finish(chat);
    expect(ids(ticket)[0]).toBe('password-reset');
    expect(ticket.candidates.every((c) => c.kind === 'faq')).toBe(true);
    // Titles as agents read them, not intent names.
    expect(ticket.candidates[0]?.title).toMatch(/password|Passwort/i);
  });

  it('after "talk to a person" alone the candidates hold no intent', async () => {
    const chat = desk.chat();
    await chat.say(t.person);
    const ticket = await finish(chat, t.other);
    expect(ticket.candidates.some((c) => c.kind === 'intent')).toBe(false);
    expect(ids(ticket)).not.toContain('human');
    // The customer's own summary is what the bot considers instead.
    expect(ids(ticket)).toContain('printer-not-printing');
  });

  it('an accepted proposal lists what was considered for that message, not for earlier ones', async () => {
    const chat = desk.chat();
    await chat.say(t.faq);
    await chat.say(t.other);
    expect(chat.reply('answer').entryId).toBe('printer-not-printing');
    await chat.say(t.person);
    await acceptProposal(chat);
    const ticket = await finish(chat);
    expect(ticket.details.summary).toBe(t.other);
    expect(ids(ticket)[0]).toBe('printer-not-printing');
    expect(ids(ticket)).not.toContain('password-reset');
  });

  it('a summary of the customer’s own adds its entries to those of every problem message', async () => {
    const chat = desk.chat();
    await chat.say(t.faq);
    await chat.say(t.person);
    const ticket = await finish(chat, t.other);
    expect(ids(ticket)).toEqual(expect.arrayContaining(['password-reset', 'printer-not-printing']));
    expect(new Set(ids(ticket)).size).toBe(ticket.candidates.length);
    const scores = ticket.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
