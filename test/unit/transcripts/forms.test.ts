import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import { openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

/** The problem form as Slack's "Report a problem" modal or a Teams form card sends it. */
function form(values: Record<string, string>, label = 'Send'): Extract<Action, { type: 'submit-form' }> {
  return { type: 'submit-form', label, values };
}

const OUTLOOK_PROBLEM = {
  summary: 'Outlook crashes on start',
  system: 'Outlook',
  error: '',
  since: 'since yesterday',
  impact: 'team',
  urgency: 'hinders',
  contact: 'sam@example.com',
};

describe('a problem form sent straight away', () => {
  it('opens the ticket at once in a new conversation, with nothing asked before', async () => {
    const chat = desk.chat({ locale: 'en' });
    await chat.send(form(OUTLOOK_PROBLEM));
    expect(chat.types()).toEqual(['ticket']);
    const reply = chat.reply('ticket');
    expect(reply.text).toMatch(new RegExp(`ticket ${reply.ticket.id}`, 'i'));
    const ticket = await desk.stores.tickets.get(reply.ticket.id);
    expect(ticket).toMatchObject({
      queue: 'general',
      priority: 'P2',
      details: { summary: 'Outlook crashes on start', system: 'Outlook', contact: 'sam@example.com' },
      events: [{ type: 'created', text: 'form' }],
    });
    // The optional error field was left empty: skipped, not asked for.
    expect(ticket?.details.error).toBeUndefined();
    expect((await chat.conversation())?.owner).toBe('queued');
    expect(desk.events.map((e) => e.event.type)).toEqual(['created']);
  });

  it("right after an answer: goes to the entry's queue and asks again only for the wrong value", async () => {
    const chat = desk.chat();
    await chat.say('Wie setze ich mein Passwort zurück?');
    expect(chat.reply('answer').entryId).toBe('password-reset');
    await chat.send(
      form(
        {
          summary: 'Self-Service-Portal kennt mein Konto nicht',
          system: 'Self-Service-Portal',
          error: 'Konto unbekannt',
          since: 'seit heute Morgen',
          impact: 'one',
          urgency: 'blocks',
          contact: 'keine Adresse',
        },
        'Senden',
      ),
    );
    expect(chat.types()).toEqual(['ask']);
    expect(chat.asking()).toBe('contact');
    expect(chat.reply('ask').error).toMatch(/E-Mail-Adresse/);
    const intake = (await chat.conversation())?.intake;
    expect(intake).toMatchObject({
      queue: 'identity',
      reason: 'form',
      values: { summary: 'Self-Service-Portal kennt mein Konto nicht', impact: 'one', urgency: 'blocks' },
    });
    expect(intake?.values.contact).toBeUndefined();
    await chat.say('kim.kunde@example.com');
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket).toMatchObject({ queue: 'identity', priority: 'P3' });
  });

  it('does not put a form into a queue whose form lacks its fields; the default queue takes it', async () => {
    const chat = desk.chat();
    await chat.say('I got a suspicious phishing email, how do I report it?');
    expect(chat.reply('answer').entryId).toBe('phishing-report');
    await chat.send(form(OUTLOOK_PROBLEM));
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket?.queue).toBe('general');
    expect(chat.text()).not.toMatch(/does not exist in this form/);
  });

  it('after a resolved ticket, a form opens a new ticket', async () => {
    const chat = desk.chat({ locale: 'en' });
    await chat.send(form(OUTLOOK_PROBLEM));
    const first = chat.reply('ticket').ticket.id;
    await desk.desk.resolve(first, 'Alex');
    expect((await chat.conversation())?.owner).toBe('closed');
    await chat.send(
      form({ ...OUTLOOK_PROBLEM, summary: 'Teams calls drop after a minute', system: 'Teams' }),
    );
    const second = chat.reply('ticket').ticket.id;
    expect(second).not.toBe(first);
    expect((await desk.stores.tickets.get(second))?.details.summary).toBe('Teams calls drop after a minute');
  });

  it('about a billable topic: consent comes first, the values are kept', async () => {
    const chat = desk.chat();
    await chat.say('Can you fix an error in my website design?');
    expect(chat.reply('answer').entryId).toBe('website-error-help');
    await chat.send(
      form({
        summary: 'Layout broken after theme update',
        system: 'Company website',
        since: 'yesterday',
        impact: 'company',
        urgency: 'can-wait',
        contact: 'web@example.com',
      }),
    );
    expect(chat.text()).toMatch(/billable, charged per started quarter hour/);
    expect(await desk.stores.tickets.list()).toEqual([]);
    await chat.click('consent', (a) => a.type === 'consent' && a.accept);
    // Only the optional error field was not in the form.
    expect(chat.asking()).toBe('error');
    await chat.say('skip');
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket).toMatchObject({
      queue: 'billing',
      billable: true,
      billableConsent: true,
      details: { summary: 'Layout broken after theme update', contact: 'web@example.com' },
    });
  });

  it('while a ticket waits, a second form adds its details to that ticket instead of opening another', async () => {
    const chat = desk.chat({ locale: 'en' });
    await chat.send(form(OUTLOOK_PROBLEM));
    const id = chat.reply('ticket').ticket.id;
    await chat.send(form({ ...OUTLOOK_PROBLEM, error: 'Error 0x800CCC0E' }));
    expect(chat.text()).toMatch(new RegExp(`added your message to ticket ${id}`));
    expect(await desk.stores.tickets.list()).toHaveLength(1);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.events.at(-1)).toMatchObject({ type: 'customer-message' });
    expect(ticket?.events.at(-1)?.text).toContain('error: Error 0x800CCC0E');
  });
});
