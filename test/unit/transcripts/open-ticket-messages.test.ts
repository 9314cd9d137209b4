import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

async function handOff(chat: Chat, summary: string): Promise<string> {
  await chat.say(
    chat.locale === 'en' ? 'I want to talk to a person' : 'ich möchte mit einem Menschen sprechen',
  );
  await chat.send({ type: 'submit-form', label: 'Senden', values: { ...FORM_DETAILS, summary } });
  return chat.reply('ticket').ticket.id;
}

const customerMessages = async (id: string) =>
  (await desk.stores.tickets.get(id))?.events.filter((e) => e.type === 'customer-message').map((e) => e.text);
const heard = (id: string, type: string) =>
  desk.events.filter((e) => e.ticket.id === id && e.event.type === type);

describe('while a ticket is open, every customer message reaches it', () => {
  it('"Bitte SUP-… eskalieren, alle Kunden betroffen": added to the ticket, marked, the queue told, the customer told', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, 'Mailserver nimmt keine Mails an');
    const message = `Bitte ${id} eskalieren, alle Kunden betroffen`;
    await chat.say(message);
    expect(await customerMessages(id)).toEqual([message]);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.escalationRequestedAt).toBe(desk.clock.now());
    expect(heard(id, 'escalation-requested').map((e) => e.event.text)).toEqual([message]);
    expect(chat.text()).toMatch(new RegExp(`${id} für das Team als dringend markiert`));

    // Once marked, a second request is added too, and said to be known; the queue is not told twice.
    await chat.say('Es ist wirklich dringend!');
    expect(await customerMessages(id)).toEqual([message, 'Es ist wirklich dringend!']);
    expect(heard(id, 'escalation-requested')).toHaveLength(1);
    expect(chat.text()).toMatch(/bereits als dringend markiert/);
  });

  it('a status question naming the ticket is answered and added to the ticket', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, 'VPN bricht ab');
    await chat.say(`Wie ist der Stand bei ${id}? Es passiert jetzt auch im Büro`);
    expect(chat.text()).toMatch(new RegExp(`Ticket ${id}:`));
    expect(await customerMessages(id)).toEqual([
      `Wie ist der Stand bei ${id}? Es passiert jetzt auch im Büro`,
    ]);
  });

  it('the escalate button, in English, while waiting and while an agent has it', async () => {
    const chat = desk.chat({ locale: 'en' });
    const id = await handOff(chat, 'The printer on floor 2 prints blank pages');
    await chat.say('It also affects the scanner now, by the way');
    expect(chat.actions().map((a) => a.type)).toContain('escalate');
    await chat.click('escalate');
    expect(chat.text()).toMatch(new RegExp(`I flagged ${id} as urgent`));
    expect((await desk.stores.tickets.get(id))?.escalationRequestedAt).toBeDefined();

    const other = desk.chat({ locale: 'en' });
    const taken = await handOff(other, 'Outlook keeps crashing on start');
    expect((await desk.desk.claim(taken, 'Dana')).ok).toBe(true);
    await other.say('Please escalate this, the whole sales team is blocked');
    expect(other.text()).toMatch(new RegExp(`I flagged ${taken} as urgent`));
    expect(await customerMessages(taken)).toEqual(['Please escalate this, the whole sales team is blocked']);
    expect((await other.conversation())?.owner).toBe('agent');
  });
});
