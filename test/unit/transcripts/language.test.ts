import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Language } from '../../../src/core/language.ts';
import { messagesFor } from '../../../src/core/messages.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { type Chat, FORM_DETAILS, openSupportDesk, type SupportDesk } from './chat-harness.ts';

/**
 * Every reply follows the customer's current language (their latest message that says enough),
 * also the ones sent later, outside a turn: agent joined, relay, resolve with the rating question,
 * give-back, escalation.
 */

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

const SPEAKS = {
  de: { person: 'ich möchte mit einem Menschen sprechen', summary: 'Mein Laptop startet nicht mehr' },
  en: { person: 'I want to talk to a human', summary: 'My laptop does not start any more' },
};

/** Asks for a person and sends the problem form; returns the ticket id. */
async function handOff(chat: Chat, language: Language): Promise<string> {
  await chat.say(SPEAKS[language].person);
  await chat.send({
    type: 'submit-form',
    label: 'Send',
    values: { ...FORM_DETAILS, summary: SPEAKS[language].summary },
  });
  const reply = chat.reply('ticket');
  expect(reply.language).toBe(language);
  return reply.ticket.id;
}

/** What reached the customer later (outside their turns), latest last. */
function later(chat: Chat): Reply[] {
  return desk.sink.to(chat.ref.conversationId);
}

/** Clicks a rating the resolve notice offered. */
async function rate(chat: Chat, rating: number): Promise<void> {
  const notice = later(chat).at(-1);
  const action = notice?.actions.find((a) => a.type === 'rate' && a.rating === rating);
  if (!action) throw new Error(`no rating ${rating} offered: ${notice?.text}`);
  await chat.send(action);
}

describe.each(['de', 'en'] as const)('a %s customer', (language) => {
  const say = messagesFor(language);

  it('gets the agent, the relay, the resolve notice with the rating question, and the thanks in that language', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, language);
    await desk.desk.claim(id, 'Alex');
    expect(later(chat).at(-1)).toMatchObject({ text: say.agentJoined('Alex'), language });
    await desk.desk.reply(id, 'Alex', 'Please hold the power button / Bitte Power-Knopf halten.');
    expect(later(chat).at(-1)).toMatchObject({ type: 'relay', language });
    await desk.desk.resolve(id, 'Alex');
    const notice = later(chat).at(-1);
    expect(notice).toMatchObject({ text: say.resolved(id), language });
    expect(notice?.actions.map((a) => a.label)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => say.rating(n)),
      say.reopenAction,
    ]);
    await rate(chat, 5);
    expect(chat.last).toEqual([{ type: 'notice', text: say.ratingThanks, actions: [], language }]);
    expect((await desk.stores.tickets.get(id))?.rating).toBe(5);
  });

  it('is told of a give-back and an escalation in that language', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, language);
    await desk.desk.escalate(id, 'Alex', { queue: 'network' });
    const queue = desk.support.queues.find((q) => q.id === 'network')?.name[language] ?? '';
    expect(later(chat).at(-1)).toMatchObject({ text: say.escalatedQueue(id, queue), language });
    await desk.desk.giveBack(id, 'Alex');
    expect(later(chat).at(-1)).toMatchObject({ text: say.givenBack(id), language });
  });
});

describe('a customer who switches language', () => {
  it('gets the bot’s answers in the new language, and keeps it for a short "ok"', async () => {
    const chat = desk.chat();
    await chat.say('Wie setze ich mein Passwort zurück?');
    expect(chat.reply('answer').language).toBe('de');
    await chat.say('Sorry, how do I connect to the VPN from home?');
    expect(chat.last.every((r) => r.language === 'en')).toBe(true);
    await chat.say('ok');
    expect(chat.last.every((r) => r.language === 'en')).toBe(true);
    await chat.say('Danke, und wie richte ich den Drucker ein?');
    expect(chat.last.every((r) => r.language === 'de')).toBe(true);
  });

  it('after the hand-off: the later notices, the rating question and the thanks follow the switch', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, 'de');
    await desk.desk.claim(id, 'Alex');
    expect(later(chat).at(-1)?.language).toBe('de');
    // While the agent has it, the customer goes on in English.
    expect(await chat.say('Sorry, could we continue in English please?')).toEqual([]);
    expect((await desk.stores.tickets.get(id))?.language).toBe('en');
    await desk.desk.reply(id, 'Alex', 'Sure, no problem.');
    expect(later(chat).at(-1)).toMatchObject({ type: 'relay', language: 'en' });
    await desk.desk.resolve(id, 'Alex', 'Driver updated');
    expect(later(chat).at(-1)).toMatchObject({
      text: messagesFor('en').resolved(id, 'Driver updated'),
      language: 'en',
    });
    await chat.say('4');
    expect(chat.last).toMatchObject([{ text: messagesFor('en').ratingThanks, language: 'en' }]);
  });

  it('an English ticket whose customer went on in German gets the rating question and the thanks in German', async () => {
    const chat = desk.chat();
    const id = await handOff(chat, 'en');
    await chat.say('Ich schreibe lieber auf Deutsch weiter, geht das?');
    expect(chat.last.every((r) => r.language === 'de')).toBe(true);
    await desk.desk.resolve(id, 'Alex');
    expect(later(chat).at(-1)).toMatchObject({ text: messagesFor('de').resolved(id), language: 'de' });
    await rate(chat, 3);
    expect(chat.last).toMatchObject([{ text: messagesFor('de').ratingThanks, language: 'de' }]);
  });

  it('does not switch on a pasted English error message or product name in a German intake', async () => {
    const chat = desk.chat();
    await chat.say(SPEAKS.de.person);
    await chat.say('VPN verbindet sich nicht mehr');
    expect(chat.asking()).toBe('system');
    await chat.say('Cisco Secure Client for Windows');
    expect(chat.asking()).toBe('error');
    await chat.say(
      'Error 809: The network connection between your computer and the VPN server could not be established',
    );
    expect(chat.asking()).toBe('since');
    expect(chat.last.every((r) => r.language === 'de')).toBe(true);
    expect((await chat.conversation())?.language).toBe('de');
  });
});
