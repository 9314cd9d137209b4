import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { type Chat, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

/** Answers every remaining question with valid values (German). */
async function finishIntakeDe(chat: Chat): Promise<void> {
  const answers: Record<string, string> = {
    summary: 'VPN verbindet sich nicht mehr',
    system: 'VPN-Client',
    error: 'Fehler 809',
    since: 'seit heute Morgen',
    impact: 'nur ich',
    urgency: 'ich kann nicht arbeiten',
    contact: 'kim.kunde@example.com',
  };
  for (let i = 0; i < 10 && chat.asking(); i++) {
    await chat.say(answers[chat.asking() ?? ''] ?? 'x');
  }
}

describe('intake', () => {
  it('"I want a person" at any point starts intake; the first question pre-fills the summary', async () => {
    const chat = desk.chat();
    await chat.say('How do I reset my password?');
    await chat.say('I want to talk to a human');
    expect(chat.types()).toEqual(['notice', 'ask']);
    expect(chat.asking()).toBe('summary');
    expect(chat.reply('ask').text).toContain('"How do I reset my password?"');
    await chat.say('yes');
    expect(chat.asking()).toBe('system');
    const conversation = await chat.conversation();
    expect(conversation?.owner).toBe('intake');
    expect(conversation?.intake?.values.summary).toBe('How do I reset my password?');
    // From an answered entry, the intake goes to that entry's queue.
    expect(conversation?.intake?.queue).toBe('identity');
  });

  it('walks a German customer through every field and hands off with priority from impact × urgency', async () => {
    const chat = desk.chat();
    await chat.say('ich möchte mit einem Menschen sprechen');
    expect(chat.reply('ask').language).toBe('de');
    await finishIntakeDe(chat);
    const ticketReply = chat.reply('ticket');
    expect(ticketReply.ticket.id).toMatch(/^SUP-\d+$/);
    const ticket = await desk.stores.tickets.get(ticketReply.ticket.id);
    expect(ticket).toMatchObject({
      queue: 'general',
      priority: 'P3',
      status: 'queued',
      language: 'de',
      details: {
        summary: 'VPN verbindet sich nicht mehr',
        system: 'VPN-Client',
        error: 'Fehler 809',
        impact: 'one',
        urgency: 'blocks',
        contact: 'kim.kunde@example.com',
      },
    });
  });

  it('re-prompts friendly on invalid values and accepts the corrected ones', async () => {
    const chat = desk.chat();
    await chat.say('talk to a person');
    await chat.say('no');
    expect(chat.asking()).toBe('summary');
    await chat.say('vpn');
    expect(chat.reply('ask').error).toMatch(/at least 5 characters/);
    expect(chat.asking()).toBe('summary');
    await chat.say('The VPN drops every ten minutes');
    await chat.say('VPN client');
    await chat.say('skip');
    await chat.say('since Monday');
    await chat.say('my neighbour');
    expect(chat.reply('ask').error).toMatch(
      /Please pick one of: 1\. Just me, 2\. A team, 3\. The whole company/,
    );
    expect(chat.reply('ask').field.options?.map((o) => o.value)).toEqual(['one', 'team', 'company']);
    await chat.say('2');
    await chat.click('choose-value', (a) => a.type === 'choose-value' && a.value === 'hinders');
    expect(chat.asking()).toBe('contact');
    await chat.say('call me maybe');
    expect(chat.reply('ask').error).toMatch(/neither an e-mail address nor a phone number/);
    await chat.say('You can reach me at +49 30 1234567');
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket?.details).toMatchObject({ impact: 'team', urgency: 'hinders', contact: '+49 30 1234567' });
    expect(ticket?.priority).toBe('P2');
  });

  it('skips an optional field with the skip action or "überspringen", but not a required one', async () => {
    const chat = desk.chat();
    await chat.say('ich möchte mit einem Menschen sprechen');
    await chat.say('Drucker im 2. Stock druckt nicht');
    await chat.say('überspringen');
    expect(chat.reply('ask').error).toMatch(/nicht überspringen/);
    expect(chat.asking()).toBe('system');
    await chat.say('Drucker');
    expect(chat.asking()).toBe('error');
    await chat.click('skip');
    expect(chat.asking()).toBe('since');
    const conversation = await chat.conversation();
    expect(conversation?.intake?.skipped).toEqual(['error']);
  });

  it('lets the customer correct an earlier answer, in English and German', async () => {
    const chat = desk.chat();
    await chat.say('talk to a person');
    await chat.say('Outlook keeps crashing on start');
    await chat.say('Outlook');
    await chat.say('0x800ccc0e');
    expect(chat.asking()).toBe('since');
    await chat.say('the error is actually 0x800ccc0f');
    expect(chat.reply('ask').text).toMatch(/Corrected – Error message: "0x800ccc0f"/);
    expect(chat.asking()).toBe('since');
    await chat.say('change system');
    expect(chat.asking()).toBe('system');
    await chat.say('Outlook 365 desktop app');
    expect(chat.asking()).toBe('since');
    await chat.say('die Fehlermeldung ist eigentlich 0x8004010f');
    const intake = (await chat.conversation())?.intake;
    expect(intake?.values).toMatchObject({ system: 'Outlook 365 desktop app', error: '0x8004010f' });
  });

  it('cancels mid-intake with "abbrechen" and with the cancel action; no ticket is created', async () => {
    const chat = desk.chat();
    await chat.say('ich möchte mit einem Menschen sprechen');
    await chat.say('Das WLAN im Besprechungsraum ist weg');
    await chat.say('abbrechen');
    expect(chat.text()).toMatch(/kein Ticket angelegt/);
    expect((await chat.conversation())?.owner).toBe('bot');
    await chat.say('ich möchte mit einem Menschen sprechen');
    await chat.click('cancel');
    expect((await chat.conversation())?.owner).toBe('bot');
    expect(await desk.stores.tickets.list()).toEqual([]);
  });

  it('asks for consent before a billable ticket; accepted, the ticket is marked billable', async () => {
    const chat = desk.chat();
    await chat.say('Can you fix an error in my website design?');
    expect(chat.reply('answer').entryId).toBe('website-error-help');
    await chat.click('talk-to-person');
    expect(chat.text()).toMatch(/billable, charged per started quarter hour/);
    expect(chat.actions().filter((a) => a.type === 'consent')).toHaveLength(2);
    await chat.click('consent', (a) => a.type === 'consent' && a.accept);
    expect(chat.asking()).toBe('summary');
    await chat.send({
      type: 'submit-form',
      label: 'Send',
      values: {
        summary: 'Layout broken after theme update',
        system: 'Company website',
        error: '',
        since: 'yesterday',
        impact: 'company',
        urgency: 'can-wait',
        contact: 'web@example.com',
      },
    });
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket).toMatchObject({ queue: 'billing', billable: true, billableConsent: true, priority: 'P3' });
  });

  it('declined consent: no ticket, a notice of what standard support covers', async () => {
    const chat = desk.chat();
    await chat.say('Können Sie einen Fehler in meinem Webdesign beheben?');
    expect(chat.reply('answer').entryId).toBe('website-error-help');
    await chat.say('Ich möchte mit einem Menschen sprechen');
    expect(chat.text()).toMatch(/je angefangene Viertelstunde/);
    await chat.say('nein');
    expect(chat.text()).toMatch(/kein Ticket an.*Standard-Support/s);
    expect((await chat.conversation())?.owner).toBe('bot');
    expect(await desk.stores.tickets.list()).toEqual([]);
  });

  it('validates a submitted form field by field and re-asks only what is wrong', async () => {
    const chat = desk.chat();
    await chat.say('talk to a person');
    await chat.send({
      type: 'submit-form',
      label: 'Send',
      values: {
        summary: 'Printer on floor 3 prints blank pages',
        system: 'Printer',
        since: 'today',
        impact: 'galaxy',
        urgency: 'blocks',
        contact: 'not-an-address',
      },
    });
    expect(chat.asking()).toBe('impact');
    expect(chat.reply('ask').error).toMatch(/Please pick one of/);
    let intake = (await chat.conversation())?.intake;
    expect(intake?.values).toMatchObject({
      summary: 'Printer on floor 3 prints blank pages',
      urgency: 'blocks',
    });
    expect(intake?.values.contact).toBeUndefined();
    await chat.say('the whole company');
    // The optional error field was not in the form: it is asked, then the wrong contact.
    expect(chat.asking()).toBe('error');
    await chat.say('skip');
    expect(chat.asking()).toBe('contact');
    intake = (await chat.conversation())?.intake;
    expect(intake?.values.impact).toBe('company');
    await chat.say('printer-help@example.com');
    expect(chat.reply('ticket').ticket.priority).toBe('P1');
  });

  it("uses the queue's own form: a phishing report asks for the sender and what was clicked", async () => {
    const chat = desk.chat();
    await chat.say('I got a suspicious phishing email, how do I report it?');
    expect(chat.reply('answer').entryId).toBe('phishing-report');
    await chat.click('talk-to-person');
    await chat.say('yes');
    expect(chat.asking()).toBe('sender');
    await chat.say('ceo-urgent@examp1e.com');
    expect(chat.asking()).toBe('clicked');
    expect(chat.reply('ask').field.options?.map((o) => o.value)).toEqual([
      'nothing',
      'clicked',
      'credentials',
    ]);
    await chat.say('I entered my password');
    await chat.send({
      type: 'submit-form',
      label: 'Send',
      values: { since: '10 minutes ago', impact: 'one', urgency: 'blocks', contact: 'kim@example.com' },
    });
    const ticket = await desk.stores.tickets.get(chat.reply('ticket').ticket.id);
    expect(ticket).toMatchObject({
      queue: 'security',
      details: { sender: 'ceo-urgent@examp1e.com', clicked: 'credentials' },
    });
  });

  it('continues an intake where it was after a restart (new engine, same data dir)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'intake-restart-'));
    try {
      const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
      const first = await openSupportDesk({ dataDir, clock });
      const before = first.chat({ id: 'restart' });
      await before.say('ich möchte mit einem Menschen sprechen');
      await before.say('Teams-Anrufe brechen nach einer Minute ab');
      await before.say('Microsoft Teams');
      expect(before.asking()).toBe('error');
      await first.close();

      const second = await openSupportDesk({ dataDir, clock });
      const after = second.chat({ id: 'restart' });
      await after.say('Verbindung unterbrochen');
      expect(after.asking()).toBe('since');
      const intake = (await after.conversation())?.intake;
      expect(intake?.values).toMatchObject({
        summary: 'Teams-Anrufe brechen nach einer Minute ab',
        system: 'Microsoft Teams',
        error: 'Verbindung unterbrochen',
      });
      expect(intake?.values.summary).toBeDefined();
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
