import { describe, expect, it } from 'vitest';
import { detectLanguage, type TokenEvidenceMemo } from '../../../src/understanding/detect-language.ts';

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

  it('decides the same with a memo of what each token says, first and second time', () => {
    const lexicon = (w: string) => (w === 'drucker' ? 1 : w === 'printer' ? -1 : 0);
    const memo: TokenEvidenceMemo = new Map();
    const texts = ['Drucker druckt nicht', 'printer not printing', 'VPN?', 'Größe', 'the Drucker', 'ok'];
    for (const round of [1, 2]) {
      for (const text of texts) {
        for (const hint of ['de', 'en'] as const) {
          expect(detectLanguage(text, { hint, lexicon, memo }), `${text} ${hint} ${round}`).toBe(
            detectLanguage(text, { hint, lexicon }),
          );
        }
      }
    }
    expect(memo.get('drucker')).toEqual({ score: 0.8, evidence: 0.8 });
    expect(memo.get('the')).toEqual({ score: -1, evidence: 1 });
  });
});
