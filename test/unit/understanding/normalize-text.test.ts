import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { analyzeText } from '../../../src/understanding/analyze-text.ts';
import { normalizeText, tokenize } from '../../../src/understanding/normalize-text.ts';
import { stemWord } from '../../../src/understanding/stem-word.ts';
import { Vocabulary, withinOneEdit } from '../../../src/understanding/vocabulary.ts';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;

function vocabularyOf(words: string[]): Vocabulary {
  const vocabulary = new Vocabulary();
  for (const w of words) vocabulary.add(w, 'de');
  vocabulary.build();
  return vocabulary;
}

describe('normalizeText and tokenize', () => {
  it('lower-cases, folds umlauts and ß to two letters and drops other accents', () => {
    expect(normalizeText('Zurücksetzen STRAßE Ärger Öl café')).toBe('zuruecksetzen strasse aerger oel cafe');
    expect(normalizeText('ZURÜCKSETZEN')).toBe(normalizeText('zuruecksetzen'));
  });

  it('applies NFKC, so composed and decomposed umlauts and full-width letters meet', () => {
    expect(normalizeText('zuru\u0308cksetzen')).toBe('zuruecksetzen');
    expect(normalizeText('ＶＰＮ')).toBe('vpn');
  });

  it('removes punctuation, emoji and control characters; keeps apostrophe words together', () => {
    expect(normalizeText("Hallo!!! 😀 don't\u0000\u0007 stop…")).toBe('hallo dont stop');
    expect(tokenize('🙈🙉🙊 ?!?! ...')).toEqual([]);
  });

  it('turns numbers into one token and drops words in other scripts', () => {
    expect(tokenize('Seit 3 Tagen kein VPN')).toEqual(['seit', '0', 'tagen', 'kein', 'vpn']);
    expect(tokenize('Пароль 密码 reset')).toEqual(['reset']);
  });

  it('tokenises plain text (ASCII and German umlauts) exactly as the full normalisation does', () => {
    const reference = (text: string) =>
      normalizeText(text)
        .split(' ')
        .filter((w) => /^[a-z0-9]+$/.test(w))
        .map((w) => (/^[0-9]+$/.test(w) ? '0' : w));
    const texts = [
      "Don't reset MY Passwort!! 12 34x x12 'quoted' `tick` a''b '' 1'2",
      'ÄRGER über Größe, Öl; STRAßE\tTab\nZeile\u0000ctl -- 007 ...',
      "rock'n'roll o'clock  ' leading",
      '',
      '   ',
    ];
    for (const text of texts) expect(tokenize(text)).toEqual(reference(text));
    expect(tokenize("Don't reset Größe 12x 34")).toEqual(['dont', 'reset', 'groesse', '12x', '0']);
  });

  it('bounds the work on very long input', () => {
    expect(normalizeText('a '.repeat(100_000)).length).toBeLessThanOrEqual(2000);
    expect(tokenize('wort '.repeat(10_000)).length).toBeLessThanOrEqual(120);
  });
});

describe('stemming and German word forms', () => {
  it('gives "zurücksetzen", "zuruecksetzen", "zurucksetzen" and "Zurücksetzung" one stem', () => {
    const stems = ['zurücksetzen', 'zuruecksetzen', 'zurucksetzen', 'Zurücksetzung'].map((w) =>
      stemWord(tokenize(w)[0] as string, 'de'),
    );
    expect(new Set(stems).size).toBe(1);
  });

  it('lets plural with umlaut meet the singular (Passwörter / Passwort)', () => {
    expect(stemWord('passwoerter', 'de')).toBe(stemWord('passwort', 'de'));
  });

  it('stems English inflections', () => {
    expect(stemWord('arrived', 'en')).toBe(stemWord('arrival', 'en'));
    expect(stemWord('cards', 'en')).toBe('card');
  });
});

describe('Vocabulary', () => {
  it('corrects one typo against known words and prefers frequent ones', () => {
    const vocabulary = vocabularyOf(['drucker', 'drucker', 'passwort', 'netzwerk']);
    expect(vocabulary.correct('druker')).toBe('drucker');
    expect(vocabulary.correct('paswort')).toBe('passwort');
    expect(vocabulary.correct('passwrot')).toBe('passwort');
    expect(vocabulary.correct('netzwerkk')).toBe('netzwerk');
    expect(vocabulary.correct('xyzxyz')).toBeUndefined();
  });

  it('finds umlaut words typed without the umlaut', () => {
    const vocabulary = vocabularyOf(['zuruecksetzen']);
    expect(vocabulary.correct('zurucksetzen')).toBe('zuruecksetzen');
  });

  it('splits German compounds into known words', () => {
    const vocabulary = vocabularyOf(['passwort', 'zuruecksetzen', 'konto', 'sperre', 'drucker', 'treiber']);
    expect(vocabulary.splitCompound('passwortzuruecksetzung')).toEqual(['passwort', 'zuruecksetzung']);
    expect(vocabulary.splitCompound('kontosperre')).toEqual(['konto', 'sperre']);
    expect(vocabulary.splitCompound('druckertreiber')).toEqual(['drucker', 'treiber']);
    expect(vocabulary.splitCompound('unbekannteswort')).toBeUndefined();
  });

  it('analyses a text again after the vocabulary changed, not from its memo of the old one', () => {
    const vocabulary = vocabularyOf(['drucker', 'druckt', 'nicht']);
    const before = analyzeText('drucker drukt nicht', vocabulary, { language: 'de', correct: true });
    expect(before.words).toEqual(['drucker', 'druckt', 'nicht']);
    expect(analyzeText('drucker drukt nicht', vocabulary, { language: 'de', correct: true })).toEqual(before);
    vocabulary.add('drukt', 'de');
    vocabulary.build();
    expect(analyzeText('drukt', vocabulary, { language: 'de', correct: true }).words).toEqual(['drukt']);
  });

  it('knows one-edit neighbours', () => {
    expect(withinOneEdit('form', 'from')).toBe(true);
    expect(withinOneEdit('drucker', 'druker')).toBe(true);
    expect(withinOneEdit('drucker', 'drucken')).toBe(true);
    expect(withinOneEdit('drucker', 'druckerei')).toBe(false);
  });

  it('makes "Passwortzurücksetzung" share word features with "Passwort zurücksetzen"', async () => {
    const entries = await loadKnowledge(`${fixtures}knowledge-valid`);
    const vocabulary = new Vocabulary();
    for (const e of entries)
      for (const q of e.questions) for (const t of tokenize(q)) vocabulary.add(t, e.language);
    vocabulary.build();
    const compound = analyzeText('Passwortzurücksetzung', vocabulary, { language: 'de', correct: true });
    const split = analyzeText('Passwort zurücksetzen', vocabulary, { language: 'de', correct: true });
    expect(compound.partStems).toEqual(split.stems);
  });
});
