import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/core/clean-text.ts';
import { isCancelWord, isSkipWord, isYesWord } from '../../../src/core/quick-words.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';
import { parseCorrection } from '../../../src/intake/correction.ts';
import { findContact, validateFieldValue } from '../../../src/intake/field-value.ts';
import type { FormField } from '../../../src/intake/forms.ts';
import { priorityFor } from '../../../src/intake/priority.ts';

let fields: FormField[];
const field = (name: string): FormField => {
  const found = fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
};

beforeAll(async () => {
  fields = (await loadSupportConfig('config/support.yaml')).forms.default?.fields ?? [];
});

describe('field values', () => {
  it('recognises choice values by label, synonym, number or value, in both languages', () => {
    const impact = field('impact');
    expect(validateFieldValue(impact, 'Nur ich', 'de')).toEqual({ ok: true, value: 'one' });
    expect(validateFieldValue(impact, 'eigentlich die ganze Firma!', 'de')).toEqual({
      ok: true,
      value: 'company',
    });
    expect(validateFieldValue(impact, 'my team', 'en')).toEqual({ ok: true, value: 'team' });
    expect(validateFieldValue(impact, '3', 'en')).toEqual({ ok: true, value: 'company' });
    expect(validateFieldValue(field('urgency'), "can't work", 'en')).toEqual({ ok: true, value: 'blocks' });
    const wrong = validateFieldValue(impact, 'vielleicht', 'de');
    expect(wrong).toEqual({ ok: false, error: expect.stringContaining('1. Nur ich, 2. Ein Team') });
  });

  it('accepts an e-mail address or phone number as contact, also inside a sentence', () => {
    const contact = field('contact');
    expect(validateFieldValue(contact, 'Kim.Kunde@Example.com', 'en')).toEqual({
      ok: true,
      value: 'kim.kunde@example.com',
    });
    expect(validateFieldValue(contact, 'Rufen Sie an: 0171 / 123 45 67', 'de')).toEqual({
      ok: true,
      value: '0171 / 123 45 67',
    });
    expect(findContact('12')).toBeUndefined();
    expect(validateFieldValue(contact, 'kim@', 'en').ok).toBe(false);
  });

  it('checks text length and strips control characters', () => {
    expect(validateFieldValue(field('summary'), 'kaputt', 'de')).toEqual({ ok: true, value: 'kaputt' });
    expect(validateFieldValue(field('summary'), 'ab', 'de')).toEqual({
      ok: false,
      error: expect.stringContaining('5'),
    });
    expect(validateFieldValue(field('summary'), 'x'.repeat(501), 'en').ok).toBe(false);
    expect(cleanText('a\u0000b\u202e  c\n\nd')).toBe('a b c d');
    for (const text of [
      'Drucker geht nicht!',
      ' padded ',
      'two  spaces',
      'ｆｕｌｌ',
      'Größe: 5 €',
      'tab\tx',
      '',
    ]) {
      expect(cleanText(text), text).toBe(
        text
          .normalize('NFKC')
          .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    }
  });

  it('computes the priority from impact × urgency', async () => {
    const config = await loadSupportConfig('config/support.yaml');
    expect(priorityFor(config, 'company', 'blocks')).toBe('P1');
    expect(priorityFor(config, 'team', 'hinders')).toBe('P2');
    expect(priorityFor(config, 'one', 'can-wait')).toBe('P4');
    expect(priorityFor(config, undefined, 'blocks')).toBe('P3');
  });
});

describe('corrections of earlier answers', () => {
  it.each([
    ['the error is actually 0x80070005', 'error', '0x80070005'],
    ['Actually, the system is Outlook', 'system', 'Outlook'],
    ['change the error message to "timeout"', 'error', 'timeout'],
    ['die Fehlermeldung ist eigentlich "Zugriff verweigert"', 'error', 'Zugriff verweigert'],
    ['Das System ist doch SAP', 'system', 'SAP'],
    ['Korrektur: Telefon ist 030 123456', 'contact', '030 123456'],
    ['ändere das System auf VPN-Client', 'system', 'VPN-Client'],
  ])('"%s" corrects %s', (text, name, value) => {
    expect(parseCorrection(text, fields)).toMatchObject({ field: { name }, value });
  });

  it('"change system" / "System ändern" asks again without a value', () => {
    expect(parseCorrection('change system', fields)).toMatchObject({
      field: { name: 'system' },
      value: undefined,
    });
    expect(parseCorrection('System ändern', fields)).toMatchObject({
      field: { name: 'system' },
      value: undefined,
    });
  });

  it('knows each form by its own fields, whichever form was asked about before', () => {
    const system = fields.filter((f) => f.name === 'system');
    const error = fields.filter((f) => f.name === 'error');
    expect(parseCorrection('change system', system)).toMatchObject({ field: { name: 'system' } });
    expect(parseCorrection('change system', error)).toBeUndefined();
    expect(parseCorrection('change the error message to X', error)).toMatchObject({
      field: { name: 'error' },
    });
    expect(parseCorrection('change the error message to X', system)).toBeUndefined();
    expect(parseCorrection('change system', [])).toBeUndefined();
  });

  it('leaves ordinary answers alone', () => {
    expect(parseCorrection('Outlook stürzt beim Start ab', fields)).toBeUndefined();
    expect(parseCorrection('The system crashes every morning', fields)).toBeUndefined();
    expect(parseCorrection('seit gestern', fields)).toBeUndefined();
  });
});

describe('control words', () => {
  it('knows cancel, skip and yes in both languages', () => {
    expect(isCancelWord('Abbrechen!')).toBe(true);
    expect(isCancelWord('cancel')).toBe(true);
    expect(isCancelWord('cancel my contract')).toBe(false);
    expect(isSkipWord('Überspringen')).toBe(true);
    expect(isSkipWord('skip')).toBe(true);
    expect(isYesWord('Ja, passt')).toBe(true);
    expect(isYesWord('yes')).toBe(true);
  });
});
