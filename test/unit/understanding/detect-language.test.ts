import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/understanding/detect-language.ts';

describe('detectLanguage', () => {
  it.each([
    ['Ich habe mein Passwort vergessen, was soll ich tun?', 'de'],
    ['Wie kann ich den Drucker hinzufügen?', 'de'],
    ['Mein Konto ist gesperrt', 'de'],
    ['Größe des Postfachs', 'de'],
    ['I forgot my password, what should I do?', 'en'],
    ['How do I add the printer?', 'en'],
    ['my account is locked', 'en'],
    ['Where can I find the meeting recording?', 'en'],
  ] as const)('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
    expect(detectLanguage(text, { hint: language === 'de' ? 'en' : 'de' })).toBe(language);
  });

  it('falls back to the hint when the text says too little', () => {
    expect(detectLanguage('VPN?', { hint: 'en' })).toBe('en');
    expect(detectLanguage('VPN?', { hint: 'de' })).toBe('de');
    expect(detectLanguage('', { hint: 'en' })).toBe('en');
    expect(detectLanguage('😀', {})).toBe('de');
  });

  it('uses the words of the knowledge base for short texts', () => {
    const lexicon = (w: string) => (w === 'passwort' || w === 'vergessen' ? 1 : 0);
    expect(detectLanguage('Passwort vergessen', { hint: 'en', lexicon })).toBe('de');
  });
});
