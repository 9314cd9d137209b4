import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { analyzeText } from '../../../src/understanding/analyze-text.ts';
import { germanSynonyms, SynonymTable } from '../../../src/understanding/german-synonyms.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { Vocabulary } from '../../../src/understanding/vocabulary.ts';

function vocabularyOf(words: Record<string, 'de' | 'en'>): Vocabulary {
  const vocabulary = new Vocabulary();
  for (const [word, language] of Object.entries(words)) vocabulary.add(word, language);
  vocabulary.build();
  return vocabulary;
}

describe('German synonyms', () => {
  const table = SynonymTable.of([
    ['kist', 'rechn', 'maschin', 'truh'],
    ['kist', 'truh', 'box'],
    ['futsch', 'weg', 'verlor'],
  ]);

  it('offers the known synonyms, those of the narrowest shared sets first', () => {
    expect(table.synonymsOf('kist', () => true)).toEqual(['truh', 'box', 'maschin']);
    expect(table.synonymsOf('kist', (s) => s === 'rechn')).toEqual(['rechn']);
    expect(table.synonymsOf('unbekannt', () => true)).toEqual([]);
  });

  it('gives a German word no phrasing uses the synonyms the phrasings use as its parts', () => {
    const vocabulary = vocabularyOf({ rechner: 'de', langsam: 'de', weg: 'de', printer: 'en' });
    const analyzed = analyzeText('die Kiste ist futsch', vocabulary, {
      hint: 'de',
      correct: true,
      synonyms: table,
    });
    expect(analyzed.language).toBe('de');
    const kiste = analyzed.words.indexOf('kiste');
    expect(analyzed.stems[kiste]).toBe('kist');
    expect(analyzed.partStems).toEqual(['rechn', 'weg']);
    expect(analyzed.partOf).toEqual([kiste, analyzed.words.indexOf('futsch')]);
    const without = analyzeText('die Kiste ist futsch', vocabulary, { hint: 'de', correct: true });
    expect(without.partStems).toEqual([]);
  });

  it('leaves known stems, English messages and phrasings alone', () => {
    const vocabulary = vocabularyOf({ kisten: 'de', weg: 'de', printer: 'en', box: 'en' });
    const known = analyzeText('die Kiste ist futsch', vocabulary, {
      hint: 'de',
      correct: true,
      synonyms: table,
    });
    expect(known.partStems).toEqual(['weg']);
    const english = analyzeText('my box is futsch', vocabulary, {
      hint: 'en',
      correct: true,
      synonyms: table,
    });
    expect(english.language).toBe('en');
    expect(english.partStems).toEqual([]);
    const phrasing = analyzeText('die Kiste ist futsch', vocabulary, { language: 'de', synonyms: table });
    expect(phrasing.partStems).toEqual([]);
  });

  it('ships a table, read from its file only when first asked, and GERMAN_SYNONYMS=off has none', () => {
    const shipped = germanSynonyms();
    expect(shipped?.source).toMatch(/de-synonyms\.txt\.gz/);
    expect(shipped?.size).toBeGreaterThan(20_000);
    expect(germanSynonyms('off')).toBeNull();
    expect(parseConfig({ GERMAN_SYNONYMS: 'off' }).GERMAN_SYNONYMS).toBe('off');
    expect(() => parseConfig({ GERMAN_SYNONYMS: '/nowhere/table.gz' })).toThrow(/GERMAN_SYNONYMS/);
  });

  it('lifts a colloquial German question with the default knowledge', async () => {
    const [entries, intents] = await Promise.all([loadKnowledge('knowledge'), loadIntents('intents')]);
    const on = Understanding.fromData(entries, intents);
    const off = Understanding.fromData(entries, intents, { germanSynonyms: null });
    const question = 'Meine Dokumente sind futsch';
    const withSynonyms = on.match(question, { languageHint: 'de' }).candidates[0];
    const withoutSynonyms = off.match(question, { languageHint: 'de' }).candidates[0];
    expect(withSynonyms?.id).toBe('file-restore');
    expect(withSynonyms?.score ?? 0).toBeGreaterThan(withoutSynonyms?.score ?? 0);
  });
});
