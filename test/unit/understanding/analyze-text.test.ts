import { describe, expect, it } from 'vitest';
import { analyzeText, mixedWith } from '../../../src/understanding/analyze-text.ts';
import { tokenize } from '../../../src/understanding/normalize-text.ts';
import { stemWord } from '../../../src/understanding/stem-word.ts';
import { Vocabulary } from '../../../src/understanding/vocabulary.ts';

/** As the feature space builds it: every phrasing's tokens counted for its language first. */
function vocabularyOf(phrasings: [text: string, language: 'de' | 'en'][]): Vocabulary {
  const vocabulary = new Vocabulary();
  for (const [text, language] of phrasings) {
    for (const token of tokenize(text, [])) vocabulary.add(token, language);
  }
  vocabulary.build();
  return vocabulary;
}

describe('mixed German and English messages', () => {
  const vocabulary = vocabularyOf([
    ['my headset is not connected to the laptop', 'en'],
    ['the VPN keeps disconnecting', 'en'],
    ['mein Headset ist nicht mit dem Laptop verbunden', 'de'],
    ['Das VPN bricht ständig ab', 'de'],
  ]);

  it('stems a word the knowledge uses only in English phrasings as English, in a German message', () => {
    const analyzed = analyzeText('mein Headset connected nicht mit dem Laptop', vocabulary, {
      hint: 'de',
      correct: true,
    });
    expect(analyzed.language).toBe('de');
    const at = analyzed.words.indexOf('connected');
    expect(analyzed.stems[at]).toBe(stemWord('connected', 'en'));
    expect(stemWord('connected', 'en')).not.toBe(stemWord('connected', 'de'));
    // Words both languages use, and German words, keep the message's language.
    expect(analyzed.stems[analyzed.words.indexOf('laptop')]).toBe(stemWord('laptop', 'de'));
    expect(analyzed.stems[analyzed.words.indexOf('headset')]).toBe(stemWord('headset', 'de'));
  });

  it('stems as English an English word in a form no phrasing has, when only its English stem is known', () => {
    // The phrasings say "disconnecting"; "disconnected" is in none of them.
    expect(vocabulary.has('disconnected')).toBe(false);
    const analyzed = analyzeText('VPN disconnected dauernd im homeoffice', vocabulary, {
      hint: 'de',
      correct: true,
    });
    expect(analyzed.language).toBe('de');
    expect(analyzed.stems[analyzed.words.indexOf('disconnected')]).toBe(stemWord('disconnecting', 'en'));
    expect(mixedWith(analyzed, vocabulary)).toBe('en');
    // A German word unknown in both keeps the message's language.
    expect(analyzed.stems[analyzed.words.indexOf('dauernd')]).toBe(stemWord('dauernd', 'de'));
  });

  it('tells a mixed message and the other language it uses', () => {
    const mixed = analyzeText('mein Headset connected nicht', vocabulary, { hint: 'de', correct: true });
    expect(mixedWith(mixed, vocabulary)).toBe('en');
    const plain = analyzeText('mein Headset ist nicht verbunden', vocabulary, { hint: 'de', correct: true });
    expect(mixedWith(plain, vocabulary)).toBeUndefined();
  });

  it('leaves phrasings in their own language: their words count for it', () => {
    const withGermanUse = vocabularyOf([
      ['my headset is not connected', 'en'],
      ['Headset connected nicht', 'de'],
    ]);
    const analyzed = analyzeText('Headset connected nicht', withGermanUse, { language: 'de' });
    expect(analyzed.stems[1]).toBe(stemWord('connected', 'de'));
  });
});
