import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { counterDay } from '../../../src/core/counters.ts';
import { openSupportDesk, pickMessage, type SupportDesk } from './chat-harness.ts';

let desk: SupportDesk;

/**
 * Short, vague messages whose top two candidates lie close together. How close depends on the
 * matcher's calibration, so "Did you mean" is shown with a wide margin (a setting of the bot).
 */
const CLOSE_CALLS = [
  'password',
  'Passwort',
  'drucker',
  'printer',
  'vpn',
  'support',
  'Wartung',
  'mail',
  'Teams',
];
// Not the shipped defaults on purpose: a wide margin makes sure some real question is ambiguous,
// so the "Did you mean" dialogue can be walked through whatever the matcher's current scores.
const WIDE_MARGIN = { threshold: 0.1, margin: 0.6 };

async function reopenWith(thresholds: typeof WIDE_MARGIN): Promise<SupportDesk> {
  await desk.close();
  return openSupportDesk({ thresholds });
}

beforeEach(async () => {
  desk = await openSupportDesk();
});

afterEach(async () => {
  await desk.close();
});

describe('answers from the FAQ', () => {
  it('answers a clear English question with title, related follow-ups, "Did this help?" and a person', async () => {
    const chat = desk.chat();
    await chat.say('How do I reset my password?');
    const answer = chat.reply('answer');
    expect(answer.entryId).toBe('password-reset');
    expect(answer.language).toBe('en');
    expect(answer.title.length).toBeGreaterThan(3);
    expect(answer.text.length).toBeGreaterThan(50);
    expect(answer.related.length).toBeGreaterThan(0);
    const types = chat.actions().map((a) => a.type);
    expect(types).toContain('show-entry');
    expect(chat.actions().filter((a) => a.type === 'feedback')).toHaveLength(2);
    expect(types).toContain('talk-to-person');
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters.answered).toBe(1);
  });

  it('answers in German and follows a related entry', async () => {
    const chat = desk.chat();
    await chat.say('Ich habe mein Passwort vergessen, wie setze ich es zurück?');
    expect(chat.reply('answer').entryId).toBe('password-reset');
    expect(chat.reply('answer').language).toBe('de');
    const related = chat.reply('answer').related[0];
    expect(related).toBeDefined();
    await chat.click('show-entry');
    expect(chat.reply('answer').entryId).toBe(related?.entryId);
    expect(chat.reply('answer').language).toBe('de');
  });

  it('keeps the language for a short "ok" and switches on a full sentence', async () => {
    const chat = desk.chat();
    await chat.say('Wie richte ich das VPN für das Homeoffice ein?');
    expect(chat.reply('answer').language).toBe('de');
    await chat.say('ok');
    expect(chat.last[0]?.language).toBe('de');
    // "ok" acknowledges; it is not recorded as "that helped".
    expect(await desk.stores.feedback.list()).toEqual([]);
    await chat.say('How do I set up the VPN client on my laptop?');
    expect(chat.reply('answer').language).toBe('en');
  });

  it('records "Did this help? – yes" as positive feedback', async () => {
    const chat = desk.chat();
    await chat.say('How do I reset my password?');
    await chat.click('feedback', (a) => a.type === 'feedback' && a.helpful);
    expect(chat.types()).toEqual(['notice']);
    expect(chat.text()).toMatch(/thanks/i);
    const [feedback] = await desk.stores.feedback.list();
    expect(feedback).toMatchObject({
      entryId: 'password-reset',
      helpful: true,
      question: 'How do I reset my password?',
    });
  });

  it('takes feedback only for an answer it gave in this conversation, and only once', async () => {
    const chat = desk.chat();
    // Never answered here: a forged rating is refused and not stored or counted.
    await chat.send({ type: 'feedback', entryId: 'vpn-setup', helpful: false, label: 'Nein' });
    expect(chat.text()).toMatch(/no longer current|nicht mehr aktuell/);
    await chat.say('How do I reset my password?');
    const offered = chat.actions().find((a) => a.type === 'feedback' && a.helpful);
    await chat.send({ type: 'feedback', entryId: 'vpn-setup', helpful: true, label: 'Yes' });
    expect(chat.text()).toMatch(/no longer current/);
    if (!offered) throw new Error('no "Did this help?" offered');
    await chat.send(offered);
    expect(chat.text()).toMatch(/thanks/i);
    // The same button again (a replayed request with a new id) counts nothing more.
    await chat.send({ type: 'feedback', entryId: 'password-reset', helpful: true, label: 'Yes' });
    expect(chat.text()).toMatch(/no longer current/);
    expect((await desk.stores.feedback.list()).map((f) => f.entryId)).toEqual(['password-reset']);
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters['feedback-positive']).toBe(1);
    expect(counters['feedback-negative']).toBeUndefined();
  });

  it('answers a message of only invisible characters instead of staying silent', async () => {
    const chat = desk.chat();
    for (const text of ['\u200b\u200b', '\u2060\ufeff\u200d', '\u3164', '\u202e\u202d']) {
      const replies = await chat.say(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ type: 'notice' });
      expect(replies[0]?.text).toMatch(/leer|empty/);
    }
  });

  it('on "no" asks for a reason, stores it and offers a person; "ja" starts the intake', async () => {
    const chat = desk.chat();
    await chat.say('Ich habe mein Passwort vergessen, wie setze ich es zurück?');
    await chat.say('nein');
    expect(chat.text()).toMatch(/Was hat gefehlt/);
    expect(chat.actions().map((a) => a.type)).toEqual(['skip', 'talk-to-person']);
    await chat.say('Das Self-Service-Portal sagt, mein Konto sei unbekannt');
    expect(chat.text()).toMatch(/an eine Person übergeben/);
    const [feedback] = await desk.stores.feedback.list();
    expect(feedback).toMatchObject({
      helpful: false,
      entryId: 'password-reset',
      reason: 'Das Self-Service-Portal sagt, mein Konto sei unbekannt',
    });
    await chat.say('ja');
    expect(chat.types()).toEqual(['notice', 'ask']);
    expect((await chat.conversation())?.owner).toBe('intake');
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters['feedback-negative']).toBe(1);
  });

  it('offers "Did you mean …?" for two close candidates and answers the one picked', async () => {
    const message = await pickMessage('ambiguous', CLOSE_CALLS, WIDE_MARGIN);
    desk = await reopenWith(WIDE_MARGIN);
    const chat = desk.chat();
    await chat.say(message);
    const choices = chat.reply('choices');
    const entries = choices.actions.filter((a) => a.type === 'show-entry');
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(choices.text).toMatch(
      /^(Meinten Sie|Did you mean) .+ (oder|or) .+ – (oder etwas anderes|or something else)\?$/,
    );
    expect(choices.text).toContain(entries[0]?.label);
    expect(choices.actions.at(-1)?.type).toBe('none-of-these');
    const second = entries[1];
    if (second?.type !== 'show-entry') throw new Error('expected a show-entry choice');
    await chat.send(second);
    expect(chat.reply('answer').entryId).toBe(second.entryId);
  });

  it('"none of these" asks to rephrase once, then starts the intake', async () => {
    const message = await pickMessage('ambiguous', CLOSE_CALLS, WIDE_MARGIN);
    desk = await reopenWith(WIDE_MARGIN);
    const chat = desk.chat({ locale: 'de' });
    await chat.say(message);
    await chat.click('none-of-these');
    expect(chat.types()).toEqual(['notice']);
    expect(chat.actions().map((a) => a.type)).toEqual(['talk-to-person']);
    const unanswered = await desk.stores.unanswered.list('open');
    expect(unanswered.map((q) => q.text)).toContain(message);
    await chat.say('qwzx blorf vrumm');
    expect(chat.types()).toEqual(['notice', 'ask']);
    expect(chat.asking()).toBe('summary');
  });

  it('asks once to rephrase what it does not understand, then starts the intake', async () => {
    const chat = desk.chat();
    await chat.say('Die Kiste macht seit dem Umzug komische Geräusche');
    expect(chat.types()).toEqual(['notice']);
    expect(chat.text()).toMatch(/anders formulieren/);
    await chat.say('Das Gerät brummt und klackert laut');
    expect(chat.types()).toEqual(['notice', 'ask']);
    const ask = chat.reply('ask');
    // The latest rephrasing is offered as the summary, not the first attempt.
    expect(ask.text).toContain('Das Gerät brummt und klackert laut');
    expect(ask.text).not.toContain('Die Kiste');
    expect(ask.actions[0]).toMatchObject({ type: 'choose-value', field: 'summary' });
    expect(await desk.stores.unanswered.list('open')).toHaveLength(2);
    const counters = await desk.stores.counters.get(counterDay(desk.clock.now()));
    expect(counters.unanswered).toBe(2);
  });
});

describe('small talk and intents', () => {
  it('greets, thanks, says goodbye and explains what it can do, in German', async () => {
    const chat = desk.chat();
    await chat.say('Hallo');
    expect(chat.text()).toMatch(/^Hallo!/);
    await chat.say('Was kannst du?');
    expect(chat.text()).toMatch(/Ich beantworte häufige IT-Fragen/);
    expect(chat.actions().map((a) => a.type)).toEqual(['talk-to-person']);
    await chat.say('danke');
    expect(chat.text()).toMatch(/Gern geschehen/);
    await chat.say('tschüss');
    expect(chat.text()).toMatch(/Auf Wiedersehen/);
  });

  it('greets, thanks, says goodbye and explains what it can do, in English', async () => {
    const chat = desk.chat();
    await chat.say('hi');
    expect(chat.text()).toMatch(/^Hello!/);
    await chat.say('what can you do');
    expect(chat.text()).toMatch(/I answer common IT questions/);
    await chat.say('thanks');
    expect(chat.text()).toMatch(/welcome/);
    await chat.say('bye');
    expect(chat.text()).toMatch(/Goodbye/);
  });

  it('says there is nothing to cancel outside intake', async () => {
    const chat = desk.chat();
    await chat.say('abbrechen');
    expect(chat.text()).toMatch(/nichts, das ich abbrechen/);
    expect((await chat.conversation())?.owner).toBe('bot');
  });
});

describe('robustness', () => {
  it('ignores a repeated turn id (a retried platform event)', async () => {
    const chat = desk.chat();
    const first = await chat.say('How do I reset my password?', 'evt-1');
    expect(first).toHaveLength(1);
    expect(await chat.say('How do I reset my password?', 'evt-1')).toEqual([]);
    const conversation = await chat.conversation();
    expect(conversation?.transcript.filter((l) => l.from === 'customer')).toHaveLength(1);
  });

  it('answers a hostile, huge message safely', async () => {
    const chat = desk.chat();
    const hostile = `<script>alert(1)</script>\u0000\u202e${'💣'.repeat(500)}${'A'.repeat(200_000)}`;
    const replies = await chat.say(hostile);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]?.type).toBe('notice');
    expect(chat.text()).toMatch(/very long|sehr lang/);
    const conversation = await chat.conversation();
    const line = conversation?.transcript.find((l) => l.from === 'customer');
    expect(line?.text.length).toBeLessThanOrEqual(4000);
    expect(line?.text).not.toContain('\u0000');
  });

  it('serialises two quick messages of one conversation', async () => {
    const chat = desk.chat();
    const [first, second] = await Promise.all([
      chat.say('Hallo', 'quick-1'),
      chat.say('How do I reset my password?', 'quick-2'),
    ]);
    expect(first?.[0]?.type).toBe('notice');
    expect(second?.[0]?.type).toBe('answer');
    const transcript = (await chat.conversation())?.transcript.map((l) => l.from);
    expect(transcript).toEqual(['customer', 'bot', 'customer', 'bot']);
  });

  it('ignores an empty message', async () => {
    const chat = desk.chat();
    expect(await chat.say('   ')).toEqual([]);
  });
});
