import { describe, expect, it } from 'vitest';
import {
  renderIntakeFormCard,
  renderSentFormCard,
} from '../../../../src/channels/teams/cards/intake-form-card.ts';
import { renderReplyCard, renderReplyMessage } from '../../../../src/channels/teams/cards/reply-card.ts';
import type { Reply } from '../../../../src/core/reply.ts';
import type { FormConfig } from '../../../../src/intake/forms.ts';

type Json = Record<string, unknown>;

function collect(node: unknown, predicate: (n: Json) => boolean, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const item of node) collect(item, predicate, out);
  else if (typeof node === 'object' && node !== null) {
    if (predicate(node as Json)) out.push(node as Json);
    for (const value of Object.values(node)) collect(value, predicate, out);
  }
  return out;
}

const texts = (card: unknown) => collect(card, (n) => n.type === 'TextBlock').map((n) => String(n.text));
const buttons = (card: unknown) => collect(card, (n) => n.type === 'Action.Execute');
const inputs = (card: unknown) =>
  collect(card, (n) => typeof n.type === 'string' && n.type.startsWith('Input.'));

const answer: Reply = {
  type: 'answer',
  entryId: 'vpn-connect',
  title: 'VPN verbindet nicht',
  text: '## Schritte\n\n* Neu starten\n* Mit *Firmen-WLAN* verbinden\n\nDann `vpncli` aufrufen. Kein {{DATE(2024-01-01)}}.',
  related: [{ entryId: 'wifi', title: 'WLAN' }],
  actions: [
    { type: 'show-entry', entryId: 'wifi', label: 'WLAN' },
    { type: 'feedback', entryId: 'vpn-connect', helpful: true, label: 'Ja, hat geholfen' },
    { type: 'feedback', entryId: 'vpn-connect', helpful: false, label: 'Nein' },
    { type: 'talk-to-person', label: 'Mit einer Person sprechen' },
  ],
  language: 'de',
};

describe('Teams reply cards', () => {
  it('an answer: title, Markdown made card-safe, feedback, related and person buttons', () => {
    const card = renderReplyCard(answer);
    expect(card?.version).toBe('1.5');
    const shown = texts(card);
    expect(shown[0]).toBe('VPN verbindet nicht');
    expect(shown).toContain('**Schritte**');
    expect(shown).toContain('- Neu starten\n- Mit _Firmen-WLAN_ verbinden');
    const last = shown.find((t) => t.startsWith('Dann'));
    expect(last).toBe('Dann vpncli aufrufen. Kein {\u200b{DATE(2024-01-01)}}.');
    expect(shown).toContain('Hat das geholfen?');
    expect(buttons(card).map((b) => b.title)).toEqual([
      'Ja, hat geholfen',
      'Nein',
      'WLAN',
      'Mit einer Person sprechen',
    ]);
    const data = buttons(card)[0]?.data as Json;
    expect(data.sbAction).toEqual(answer.actions[1]);
  });

  it('a clicked answer keeps its text, loses every button and says what was chosen', () => {
    const card = renderReplyCard(answer, { chosen: 'Ja, hat geholfen' });
    expect(buttons(card)).toEqual([]);
    expect(texts(card)).toContain('✓ Ja, hat geholfen');
    expect(texts(card)[0]).toBe('VPN verbindet nicht');
  });

  it('an answer message switches on Teams feedback; a notice without actions is plain Markdown text', () => {
    expect(renderReplyMessage(answer).channelData).toEqual({ feedbackLoopEnabled: true });
    const notice = renderReplyMessage({
      type: 'notice',
      text: 'Alles **klar**.',
      actions: [],
      language: 'de',
    });
    expect(notice).toEqual({ type: 'message', text: 'Alles **klar**.', textFormat: 'markdown' });
    const withActions = renderReplyMessage({
      type: 'notice',
      text: 'Kostenpflichtig?',
      actions: [
        { type: 'consent', accept: true, label: 'Ja' },
        { type: 'consent', accept: false, label: 'Nein' },
      ],
      language: 'de',
    });
    expect(withActions.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(buttons(withActions).map((b) => b.style)).toEqual(['positive', undefined]);
  });

  it('an intake question without options: the error once, in attention colour, an input, Send and the form button', () => {
    const reply: Reply = {
      type: 'ask',
      field: { name: 'contact', label: 'Kontakt', required: true },
      error: 'Das sieht weder nach einer E-Mail-Adresse noch nach einer Telefonnummer aus.',
      text: 'Das sieht weder nach einer E-Mail-Adresse noch nach einer Telefonnummer aus. Wie erreichen wir Sie?',
      actions: [{ type: 'cancel', label: 'Abbrechen' }],
      language: 'de',
    };
    const card = renderReplyCard(reply, {}, { offerForm: true });
    const error = collect(card, (n) => n.color === 'attention');
    expect(error).toHaveLength(1);
    expect(texts(card).filter((t) => t.includes('weder nach'))).toHaveLength(1);
    expect(texts(card)).toContain('Wie erreichen wir Sie?');
    expect(inputs(card)).toEqual([expect.objectContaining({ id: 'sb_field_contact', isRequired: true })]);
    expect(buttons(card).map((b) => [b.title, b.verb, b.associatedInputs])).toEqual([
      ['Senden', 'sb.form', 'auto'],
      ['Abbrechen', 'sb.action', 'none'],
      ['Formular ausfüllen', 'sb.openForm', 'none'],
    ]);
    expect(buttons(renderReplyCard(reply)).map((b) => b.verb)).not.toContain('sb.openForm');
  });

  it('an intake question with options: one button per option, no input', () => {
    const card = renderReplyCard({
      type: 'ask',
      field: {
        name: 'urgency',
        label: 'Urgency',
        required: true,
        options: [
          { value: 'can-wait', label: 'Can wait' },
          { value: 'blocks', label: 'I cannot work' },
        ],
      },
      text: 'How urgent is it?',
      actions: [
        { type: 'choose-value', field: 'urgency', value: 'can-wait', label: 'Can wait' },
        { type: 'choose-value', field: 'urgency', value: 'blocks', label: 'I cannot work' },
        { type: 'cancel', label: 'Cancel' },
      ],
      language: 'en',
    });
    expect(inputs(card)).toEqual([]);
    expect(buttons(card).map((b) => b.title)).toEqual(['Can wait', 'I cannot work', 'Cancel']);
  });

  it('the ticket confirmation lists team (by name), priority, position and wait', () => {
    const card = renderReplyCard(
      {
        type: 'ticket',
        ticket: { id: 'SUP-1042', queue: 'network', priority: 'P2', status: 'queued' },
        position: 3,
        expectedWaitMinutes: 41.6,
        text: 'Ticket SUP-1042 angelegt.',
        actions: [{ type: 'cancel', label: 'Ticket zurückziehen' }],
        language: 'de',
      },
      {},
      { queueName: (id, language) => `${id}/${language}` },
    );
    const facts = collect(card, (n) => n.type === 'FactSet')[0]?.facts;
    expect(facts).toEqual([
      { title: 'Team', value: 'network/de' },
      { title: 'Priorität', value: 'P2' },
      { title: 'Platz in der Warteschlange', value: '3' },
      { title: 'Geschätzte Wartezeit', value: '42 Min.' },
    ]);
    expect(texts(card)[0]).toBe('Ticket SUP-1042');
  });

  it('"Did you mean": one button per entry and "None of these"; answered, it shows the choice', () => {
    const reply: Reply = {
      type: 'choices',
      text: 'Meinten Sie eines davon?',
      actions: [
        { type: 'show-entry', entryId: 'vpn-connect', label: 'VPN verbindet nicht' },
        { type: 'show-entry', entryId: 'wifi', label: 'WLAN' },
        { type: 'none-of-these', label: 'Nichts davon' },
      ],
      language: 'de',
    };
    const card = renderReplyCard(reply);
    expect(texts(card)).toEqual(['Meinten Sie eines davon?']);
    expect(buttons(card).map((b) => (b.data as Json).sbAction)).toEqual(reply.actions);
    const done = renderReplyCard(reply, { chosen: 'WLAN' });
    expect(buttons(done)).toEqual([]);
    expect(texts(done)).toEqual(['Meinten Sie eines davon?', '✓ WLAN']);
  });

  it("an agent's relayed message says who wrote it", () => {
    const card = renderReplyCard({
      type: 'relay',
      from: 'Erika',
      text: 'Bitte neu starten.',
      actions: [],
      language: 'de',
    });
    expect(texts(card)).toEqual(['Erika · Support-Team', 'Bitte neu starten.']);
  });

  it('the whole intake form: one input per field, pre-filled, choices for choice fields', () => {
    const form: FormConfig = {
      fields: [
        {
          name: 'summary',
          type: 'text',
          label: { de: 'Kurzbeschreibung', en: 'Summary' },
          prompt: { de: 'Beschreiben Sie es.', en: 'Describe it.' },
          required: true,
          minLength: 5,
          maxLength: 500,
          aliases: { de: [], en: [] },
        },
        {
          name: 'impact',
          type: 'choice',
          label: { de: 'Betroffene', en: 'Who is affected' },
          prompt: { de: 'Wie viele?', en: 'How many?' },
          required: true,
          minLength: 2,
          maxLength: 100,
          aliases: { de: [], en: [] },
          options: [
            { value: 'one', label: { de: 'Nur ich', en: 'Just me' }, synonyms: { de: [], en: [] } },
            { value: 'team', label: { de: 'Ein Team', en: 'A team' }, synonyms: { de: [], en: [] } },
          ],
        },
      ],
    };
    const card = renderIntakeFormCard(form, 'en', { summary: 'Printer prints blank pages' });
    expect(inputs(card)).toEqual([
      expect.objectContaining({
        type: 'Input.Text',
        id: 'sb_field_summary',
        value: 'Printer prints blank pages',
        isMultiline: true,
      }),
      expect.objectContaining({
        type: 'Input.ChoiceSet',
        id: 'sb_field_impact',
        choices: [
          { title: 'Just me', value: 'one' },
          { title: 'A team', value: 'team' },
        ],
      }),
    ]);
    const sent = renderSentFormCard(form, 'en', { summary: 'Printer prints blank pages', impact: 'team' });
    expect(collect(sent, (n) => n.type === 'FactSet')[0]?.facts).toEqual([
      { title: 'Summary', value: 'Printer prints blank pages' },
      { title: 'Who is affected', value: 'A team' },
    ]);
    expect(inputs(sent)).toEqual([]);
  });
});
