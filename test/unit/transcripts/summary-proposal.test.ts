import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideMatch } from '../../../src/core/match.ts';
import { messagesFor } from '../../../src/core/messages.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import {
  type Chat,
  defaultUnderstanding,
  FORM_DETAILS,
  openSupportDesk,
  pickMessage,
  type SupportDesk,
} from './chat-harness.ts';

/**
 * Which message the intake proposes as the ticket's summary when the customer asks for a person:
 * only one about the problem (answered, "Did you mean", not understood), the latest of them.
 */

let desk: SupportDesk;

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

/** The first message the real matcher does not understand and does not take as out of scope. */
async function pickUnclear(messages: string[]): Promise<string> {
  const matcher = await defaultUnderstanding();
  for (const message of messages) {
    const match = matcher.match(message);
    if (!match.outOfScope && decideMatch(match, shippedThresholds()).kind === 'none') return message;
  }
  throw new Error(`every message is understood or out of scope: ${messages.join(' | ')}`);
}

/** The summary the intake offers to note (undefined: it asks for one instead). */
async function proposed(chat: Chat): Promise<string | undefined> {
  expect(chat.asking()).toBe('summary');
  const offer = chat.actions().find((a) => a.type === 'choose-value' && a.field === 'summary');
  const stored = (await chat.conversation())?.intake?.proposed;
  expect(offer?.type === 'choose-value' ? offer.value : undefined).toBe(stored);
  return stored;
}

/** Accepts the proposed summary with its button and sends the other details as a form. */
async function acceptAndHandOff(chat: Chat): Promise<string> {
  await chat.click('choose-value', (a) => a.type === 'choose-value' && a.field === 'summary');
  expect(chat.asking()).toBe('system');
  await chat.send({
    type: 'submit-form',
    label: 'Send',
    values: FORM_DETAILS,
  });
  return chat.reply('ticket').ticket.id;
}

const LANGUAGES = [
  {
    language: 'en' as const,
    offTopic: "what's the weather in Paris",
    smallTalk: 'tell me a joke',
    greeting: 'Hello',
    thanks: 'thanks',
    person: 'I want to talk to a human',
    faq: 'How do I reset my password?',
    faqEntry: 'password-reset',
    unclear: [
      'My monitor flickers strangely purple since moving to the new office',
      'My laptop does not start anymore',
    ],
    rephrased: ['The screen shows weird purple stripes', 'I still have a question about this'],
    vague: ['printer', 'my printer', 'password', 'vpn'],
    askSummary: 'Please describe the problem in a sentence or two.',
  },
  {
    language: 'de' as const,
    offTopic: 'Wie wird das Wetter morgen in Paris?',
    smallTalk: 'Erzähl mir einen Witz',
    greeting: 'Hallo',
    thanks: 'danke',
    person: 'ich möchte mit einem Menschen sprechen',
    faq: 'Wie setze ich mein Passwort zurück?',
    faqEntry: 'password-reset',
    unclear: ['Mein Monitor flackert seltsam lila seit dem Umzug ins neue Büro', 'Laptop startet nicht mehr'],
    rephrased: ['Der Bildschirm zeigt komische lila Streifen', 'Ich habe noch eine Frage dazu'],
    vague: ['Drucker', 'WLAN', 'Passwort'],
    askSummary: 'Beschreiben Sie das Problem bitte in ein, zwei Sätzen.',
  },
];

describe.each(LANGUAGES)('the summary proposed at hand-off ($language)', (t) => {
  it('an unrelated question right before "talk to a person" is not proposed: the summary is asked for', async () => {
    const chat = desk.chat();
    await chat.say(t.offTopic);
    // Out of scope is said as such, with a person on offer; no "please rephrase".
    expect(chat.text()).toBe(messagesFor(t.language).outOfScope);
    expect(chat.actions().map((a) => a.type)).toEqual(['talk-to-person']);
    await chat.say(t.person);
    expect(await proposed(chat)).toBeUndefined();
    expect(chat.reply('ask').text).toBe(t.askSummary);
  });

  it('greetings, thanks, small talk and the request for a person are never proposed', async () => {
    const chat = desk.chat();
    for (const text of [t.greeting, t.smallTalk, t.thanks, t.offTopic]) await chat.say(text);
    await chat.say(t.person);
    expect(await proposed(chat)).toBeUndefined();
  });

  it('out-of-scope messages never use up the one "please rephrase" nor start an intake', async () => {
    const chat = desk.chat();
    await chat.say(t.offTopic);
    await chat.say(t.smallTalk);
    expect(chat.types()).toEqual(['notice']);
    expect((await chat.conversation())?.owner).toBe('bot');
    await chat.say(await pickUnclear(t.unclear));
    expect(chat.text()).toBe(messagesFor(t.language).rephrase);
  });

  it('proposes the question the bot answered, past small talk after it; accepted, it is the ticket title', async () => {
    const chat = desk.chat();
    await chat.say(t.faq);
    expect(chat.reply('answer').entryId).toBe(t.faqEntry);
    await chat.say(t.offTopic);
    await chat.say(t.greeting);
    await chat.say(t.person);
    expect(await proposed(chat)).toBe(t.faq);
    const id = await acceptAndHandOff(chat);
    const ticket = await desk.stores.tickets.get(id);
    expect(ticket?.details.summary).toBe(t.faq);
    expect(ticket?.candidates[0]?.id).toBe(t.faqEntry);
    expect(ticket?.candidates.every((c) => c.kind === 'faq')).toBe(true);
  });

  it('proposes the message "Did you mean" was offered for', async () => {
    const vague = await pickMessage('ambiguous', t.vague);
    const chat = desk.chat({ locale: t.language });
    await chat.say(vague);
    expect(chat.types()).toEqual(['choices']);
    await chat.say(t.person);
    expect(await proposed(chat)).toBe(vague);
  });

  it('after "please rephrase", proposes the rephrasing, not the first attempt', async () => {
    const first = await pickUnclear(t.unclear);
    const rephrasing = await pickUnclear(t.rephrased);
    const chat = desk.chat();
    await chat.say(first);
    expect(chat.text()).toBe(messagesFor(t.language).rephrase);
    await chat.say(rephrasing);
    // Not understood twice: the intake starts by itself.
    expect(await proposed(chat)).toBe(rephrasing);
  });

  it('after "please rephrase", a rephrasing the bot answers is proposed when the customer still wants a person', async () => {
    const chat = desk.chat();
    await chat.say(await pickUnclear(t.unclear));
    await chat.say(t.faq);
    expect(chat.reply('answer').entryId).toBe(t.faqEntry);
    await chat.say(t.person);
    expect(await proposed(chat)).toBe(t.faq);
  });

  it('a helpful answer settles the problem: a later request for a person proposes nothing', async () => {
    const chat = desk.chat();
    await chat.say(t.faq);
    await chat.click('feedback', (a) => a.type === 'feedback' && a.helpful);
    await chat.say(t.person);
    expect(await proposed(chat)).toBeUndefined();
  });
});
