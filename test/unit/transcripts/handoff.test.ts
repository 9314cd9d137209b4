import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { counterDay } from '../../../src/core/counters.ts';
import { shownStatus } from '../../../src/core/ticket.ts';
import { collectStats } from '../../../src/handoff/collect-stats.ts';
import { SlaClock } from '../../../src/handoff/sla-clock.ts';
import { SlaWatcher } from '../../../src/handoff/sla-watcher.ts';
import { readTicket, writeRecord } from '../../../src/store/record-schemas.ts';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

/** A customer who asked for a person and filled the intake; returns the ticket id. */
async function handOff(chat: Chat, summary = 'Laptop startet nicht mehr'): Promise<string> {
  await chat.say('ich möchte mit einem Menschen sprechen');
  await chat.send({
    type: 'submit-form',
    label: 'Senden',
    values: { ...FORM_DETAILS, summary },
  });
  return chat.reply('ticket').ticket.id;
}

describe('hand-off', () => {
  it('opens a ticket with transcript, candidates, SLA due times and tells position and expected wait', async () => {
    const chat = desk.chat();
    await chat.say('Mein Laptop ist seit dem Update extrem langsam');
    const id = await handOff(chat);
    const reply = chat.reply('ticket');
    expect(reply.position).toBe(1);
    const ticket = await desk.stores.tickets.get(id);
    // First in the queue: one average handling time shared by the queue's agents.
    const queue = desk.support.queues.find((q) => q.id === ticket?.queue);
    const wait = Math.ceil((queue?.averageHandlingMinutes ?? 0) / (queue?.agents ?? 1));
    expect(reply.expectedWaitMinutes).toBe(wait);
    expect(reply.text).toMatch(new RegExp(`Ticket ${id}.*Platz 1.*etwa ${wait} Minuten`));
    expect(ticket?.transcript.some((l) => l.text === 'Mein Laptop ist seit dem Update extrem langsam')).toBe(
      true,
    );
    expect(ticket?.candidates.length).toBeGreaterThan(0);
    expect(ticket?.customer.id).toBe(chat.customerId);
    expect(ticket?.conversation.conversationId).toBe(chat.ref.conversationId);
    // P3 (one person, hinders): 8 business hours from Monday 10:00 Berlin → Monday 18:00;
    // resolution 30 business hours → Thursday 10:00.
    expect(ticket?.priority).toBe('P3');
    expect(new Date(ticket?.reactionDueAt ?? 0).toISOString()).toBe('2026-01-05T17:00:00.000Z');
    expect(new Date(ticket?.resolutionDueAt ?? 0).toISOString()).toBe('2026-01-08T09:00:00.000Z');
    expect(desk.events.map((e) => e.event.type)).toEqual(['created']);
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters.handoffs).toBe(1);
    // One SLA timer per clock, at the moment of its first alert (the warning at 80 %).
    const sla = new SlaClock(desk.support);
    if (!ticket) throw new Error('no ticket');
    expect(await desk.stores.slaTimers.list()).toEqual([
      { ticketId: id, name: 'reaction', dueAt: sla.warningAt(ticket, 'reaction') },
      { ticketId: id, name: 'resolution', dueAt: sla.warningAt(ticket, 'resolution') },
    ]);
    expect(sla.warningAt(ticket, 'reaction')).toBeLessThan(ticket.reactionDueAt);
  });

  it('while queued: tells position and wait, appends messages to the ticket, can withdraw', async () => {
    const first = desk.chat();
    await handOff(first, 'Erster Kunde mit Problem');
    const second = desk.chat();
    const id = await handOff(second, 'Zweiter Kunde mit Problem');
    expect(second.reply('ticket').position).toBe(2);
    await second.say('Es betrifft inzwischen auch den Drucker');
    expect(second.text()).toMatch(new RegExp(`an das Ticket ${id} angehängt.*Platz 2`));
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.events.at(-1)).toMatchObject({
      type: 'customer-message',
      text: 'Es betrifft inzwischen auch den Drucker',
    });
    expect(desk.events.at(-1)?.event.type).toBe('customer-message');
    await second.click('cancel');
    expect(second.text()).toMatch(/zurückgezogen/);
    expect((await desk.stores.tickets.get(id))?.status).toBe('cancelled');
    expect(await desk.stores.queues.list('general')).not.toContain(id);
  });

  it('when an agent owns the conversation the bot is silent, relays the agent, and keeps notes internal', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    const claimed = await desk.desk.claim(id, 'Alex');
    expect(claimed.ok).toBe(true);
    expect(desk.sink.to(chat.ref.conversationId).map((r) => r.text)).toEqual([
      'Alex aus dem Support-Team hat Ihr Anliegen übernommen und meldet sich hier.',
    ]);
    expect((await chat.conversation())?.owner).toBe('agent');

    // A question the bot could answer: still silent, the person answers.
    expect(await chat.say('Wie setze ich mein Passwort zurück?')).toEqual([]);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.events.at(-1)).toMatchObject({
      type: 'customer-message',
      text: 'Wie setze ich mein Passwort zurück?',
    });

    const relay = await desk.desk.reply(id, 'Alex', 'Bitte halten Sie den Power-Knopf 10 Sekunden gedrückt.');
    expect(relay.ok).toBe(true);
    const note = await desk.desk.reply(id, 'Alex', 'note: Gerät ist noch in Garantie');
    expect(note.ok).toBe(true);
    const delivered = desk.sink.to(chat.ref.conversationId);
    expect(delivered.at(-1)).toMatchObject({
      type: 'relay',
      from: 'Alex',
      text: expect.stringContaining('Power-Knopf'),
    });
    expect(delivered.some((r) => r.text.includes('Garantie'))).toBe(false);
    const events = (await desk.stores.tickets.get(id))?.events.map((e) => e.type);
    expect(events).toEqual(['created', 'claimed', 'customer-message', 'agent-message', 'internal-note']);
    expect(desk.events.map((e) => e.event.type)).toEqual(events);
  });

  it('an agent replying to a waiting ticket takes it: from then on the bot is silent', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    const result = await desk.desk.reply(id, 'Alex', 'Ich schaue mir das gleich an.');
    expect(result.ok && result.ticket).toMatchObject({ status: 'claimed', assignee: 'Alex' });
    expect(result.ok && result.ticket.firstReactionAt).toBe(desk.clock.now());
    expect(await desk.stores.queues.list('general')).toEqual([]);
    expect(await chat.say('Danke, ich warte')).toEqual([]);
    expect((await chat.conversation())?.owner).toBe('agent');
  });

  it('a customer message and an agent claim at the same moment do not overwrite each other', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    const [replies, claimed] = await Promise.all([
      chat.say('Ich habe den Laptop inzwischen neu gestartet, hilft nicht'),
      desk.desk.claim(id, 'Alex'),
    ]);
    expect(claimed.ok).toBe(true);
    expect(replies.length).toBeLessThanOrEqual(1);
    expect((await chat.conversation())?.owner).toBe('agent');
    const events = (await desk.stores.tickets.get(id))?.events.map((e) => e.type);
    expect(events).toEqual(['created', 'customer-message', 'claimed']);
  });

  it('resolve → closed with a rating question; the rating is stored; the next message starts afresh', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    await desk.desk.claim(id, 'Alex');
    const resolved = await desk.desk.resolve(id, 'Alex', 'Treiber aktualisiert');
    expect(resolved.ok && resolved.ticket.status).toBe('resolved');
    const notice = desk.sink.to(chat.ref.conversationId).at(-1);
    expect(notice?.text).toMatch(/gelöst.*Treiber aktualisiert.*Wie zufrieden/s);
    expect(notice?.actions.map((a) => (a.type === 'rate' ? a.rating : a.type))).toEqual([
      1,
      2,
      3,
      4,
      5,
      'reopen',
    ]);
    expect((await chat.conversation())?.owner).toBe('closed');

    chat.last = [notice ?? chat.last[0]].filter((r) => r !== undefined);
    await chat.click('rate', (a) => a.type === 'rate' && a.rating === 4);
    expect(chat.text()).toMatch(/Vielen Dank für Ihre Bewertung/);
    expect((await desk.stores.tickets.get(id))?.rating).toBe(4);

    await chat.say('Wie setze ich mein Passwort zurück?');
    expect(chat.reply('answer').entryId).toBe('password-reset');
    const conversation = await chat.conversation();
    expect(conversation?.owner).toBe('bot');
    expect(conversation?.ticketId).toBeUndefined();
  });

  it('takes a typed "5" after the rating question as the rating', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    await desk.desk.resolve(id, 'Alex');
    await chat.say('5');
    expect(chat.text()).toMatch(/Bewertung/);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.rating).toBe(5);
    expect(ticket?.events.at(-1)).toMatchObject({ type: 'rated', text: '5' });
  });

  it('give back: the ticket is closed as returned to the bot (not solved), the customer is told the bot carries on', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    await desk.desk.claim(id, 'Alex');
    const result = await desk.desk.giveBack(id, 'Alex');
    expect(result.ok).toBe(true);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket).toMatchObject({ status: 'resolved', closedReason: 'returned-to-bot' });
    expect(ticket && shownStatus(ticket)).toBe('returned');
    expect(ticket?.events.at(-1)).toMatchObject({ type: 'given-back', by: 'Alex' });
    // The shared-store schema reads the new field back.
    const stored = readTicket(writeRecord(ticket));
    expect(stored.ok && stored.value.closedReason).toBe('returned-to-bot');

    const notice = desk.sink.to(chat.ref.conversationId).at(-1);
    expect(notice?.text).toMatch(
      new RegExp(`Ticket ${id} geschlossen und das Gespräch an mich zurückgegeben`),
    );
    // Not a resolution: no satisfaction question.
    expect(notice?.actions).toEqual([]);
    expect((await chat.conversation())?.owner).toBe('bot');
    await chat.say('Wie setze ich mein Passwort zurück?');
    expect(chat.reply('answer').entryId).toBe('password-reset');
    await chat.say(`Wie ist der Stand von ${id}?`);
    expect(chat.text()).toContain(`Ticket ${id}: geschlossen, an den Bot zurückgegeben`);

    // Stats tell it apart from a real resolution.
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters.returned).toBe(1);
    expect(counters.resolved).toBeUndefined();
    const stats = await collectStats(desk.stores, desk.clock.now());
    expect(stats.tickets).toMatchObject({ resolvedToday: 0, returnedToday: 1 });
    const again = await desk.desk.resolve(id, 'Alex');
    expect(again.ok || again.message).toBe(`${id} is already returned`);
  });

  it('a real resolution is closed as resolved and counted as such', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    await desk.desk.resolve(id, 'Alex');
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket && [ticket.closedReason, shownStatus(ticket)]).toEqual(['resolved', 'resolved']);
    const stats = await collectStats(desk.stores, desk.clock.now());
    expect(stats.tickets).toMatchObject({ resolvedToday: 1, returnedToday: 0 });
  });

  it('escalates to another queue and to third level; the customer is told and waits again', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    await desk.desk.claim(id, 'Alex');
    const moved = await desk.desk.escalate(id, 'Alex', { queue: 'network' });
    expect(moved.ok && moved.ticket).toMatchObject({ queue: 'network', status: 'queued' });
    expect(moved.ok && moved.ticket.assignee).toBeUndefined();
    expect(await desk.stores.queues.list('network')).toEqual([id]);
    expect(desk.sink.to(chat.ref.conversationId).at(-1)?.text).toMatch(/Netzwerk und VPN/);
    expect((await chat.conversation())?.owner).toBe('queued');
    const third = await desk.desk.escalate(id, 'Bo', { level: 3, reason: 'Firmware-Fehler' });
    expect(third.ok && third.ticket.level).toBe(3);
    expect(desk.sink.to(chat.ref.conversationId).at(-1)?.text).toMatch(/3rd-Level/);
    const unknown = await desk.desk.escalate(id, 'Bo', { queue: 'nowhere' });
    expect(unknown).toMatchObject({ ok: false, code: 'invalid' });
    expect(desk.events.filter((e) => e.event.type === 'escalated')).toHaveLength(2);
  });

  it('agent desk results are values: unknown ticket, claimed by someone else, already resolved', async () => {
    const chat = desk.chat();
    const id = await handOff(chat);
    expect(await desk.desk.claim('SUP-999999', 'Alex')).toMatchObject({ ok: false, code: 'not_found' });
    expect((await desk.desk.claim(id, 'Alex')).ok).toBe(true);
    expect((await desk.desk.claim(id, 'Alex')).ok).toBe(true);
    expect(await desk.desk.claim(id, 'Bo')).toMatchObject({ ok: false, code: 'conflict' });
    expect(await desk.desk.reply(id, 'Alex', '   ')).toMatchObject({ ok: false, code: 'invalid' });
    await desk.desk.resolve(id, 'Alex');
    expect(await desk.desk.resolve(id, 'Alex')).toMatchObject({ ok: false, code: 'not_allowed' });
    expect(await desk.desk.reply(id, 'Alex', 'noch da?')).toMatchObject({ ok: false, code: 'not_allowed' });
    expect((await desk.desk.list({ status: ['resolved'] })).map((t) => t.id)).toEqual([id]);
  });
});

describe('SLA', () => {
  it('warns and reports a breach once each, on business time, to every ticket listener', async () => {
    const chat = desk.chat();
    const id = await handOff(chat); // P3 at Monday 10:00 Berlin: reaction due Monday 18:00
    const watcher = new SlaWatcher({
      stores: desk.stores,
      support: desk.support,
      ticketEvents: desk.ticketEvents,
      clock: desk.clock,
    });
    desk.clock.advanceMinutes(6 * 60); // 16:00: 75 % used
    expect(await watcher.check()).toEqual([]);
    desk.clock.advanceMinutes(30); // 16:30: 81 %
    expect(await watcher.check()).toEqual([{ ticketId: id, type: 'sla-warning', sla: 'reaction' }]);
    desk.clock.advanceMinutes(14 * 60); // Tuesday 06:30: overdue since Monday 18:00
    expect(await watcher.check()).toEqual([{ ticketId: id, type: 'sla-breached', sla: 'reaction' }]);
    expect(await watcher.check()).toEqual([]);
    const slaEvents = desk.events.filter((e) => e.event.type.startsWith('sla-')).map((e) => e.event.type);
    expect(slaEvents).toEqual(['sla-warning', 'sla-breached']);
  });
});

describe('ticket status', () => {
  it("tells the status of the customer's own ticket, and not of unknown or others' tickets", async () => {
    const owner = desk.chat();
    const id = await handOff(owner);
    await owner.say(`Wie ist der Stand von ${id}?`);
    expect(owner.text()).toMatch(new RegExp(`Ticket ${id}: wartet, Team „Allgemeiner Support“, Platz 1`));

    const stranger = desk.chat({ customer: 'someone-else' });
    await stranger.say(`what about ${id}?`);
    expect(stranger.text()).toMatch(new RegExp(`cannot find a ticket ${id}`));
    await stranger.say('what about SUP-4711?');
    expect(stranger.text()).toMatch(/cannot find a ticket SUP-4711/);

    await desk.desk.claim(id, 'Alex');
    const again = desk.chat({ customer: owner.customerId });
    await again.say(`What is the status of ${id}?`);
    expect(again.text()).toMatch(
      new RegExp(`Ticket ${id}: in progress, team "General support", handled by Alex`),
    );
  });
});

describe('error boundary', () => {
  it('apologises and offers a person when the store fails under a turn', async () => {
    const chat = desk.chat();
    await chat.say('Hallo');
    // A real fault: the store is shut down underneath the running engine.
    await desk.stores.close();
    const replies = await chat.say('Wie setze ich mein Passwort zurück?');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.type).toBe('notice');
    expect(replies[0]?.text).toMatch(/etwas schiefgegangen/);
    expect(replies[0]?.actions.map((a) => a.type)).toEqual(['talk-to-person']);
  });
});
