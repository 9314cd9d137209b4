import { describe, expect, it } from 'vitest';
import { IntentRanker } from '../../../src/understanding/intent-ranker.ts';
import type { LabelledText } from '../../../src/understanding/ranker-types.ts';

const phrasings: LabelledText[] = [
  ...['when are you open', 'what are your opening hours', 'are you open on saturday', 'support hours'].map(
    (text) => ({ label: 'hours', text, language: 'en' as const }),
  ),
  ...['vpn does not connect', 'set up the vpn client', 'vpn keeps dropping', 'remote access vpn'].map(
    (text) => ({ label: 'vpn', text, language: 'en' as const }),
  ),
  ...['Drucker druckt nicht', 'Treiber für den Drucker installieren', 'Drucker hinzufügen', 'Papierstau'].map(
    (text) => ({ label: 'printer', text, language: 'de' as const }),
  ),
  ...['Passwort vergessen', 'Passwort zurücksetzen', 'Konto gesperrt', 'neues Passwort'].map((text) => ({
    label: 'password',
    text,
    language: 'de' as const,
  })),
];

const ranker = IntentRanker.train(phrasings, { wordVectors: null, sentenceVectors: null });

function top(text: string, hint: 'de' | 'en') {
  const best = ranker.rank(text, { hint }).ranked[0];
  if (!best) throw new Error(`no candidate for "${text}"`);
  return best;
}

describe('coverage: how much of the message the label speaks of', () => {
  it('is whole for a paraphrase in the label’s words and small when one common word is shared', () => {
    expect(top('when are you open on saturday', 'en')).toMatchObject({ label: 'hours', coverage: 1 });
    const canteen = top('is the canteen open on weekends', 'en');
    expect(canteen.label).toBe('hours');
    expect(canteen.coverage).toBeLessThan(0.5);
  });

  it('counts a compound by the parts the label uses', () => {
    const compound = top('Druckertreiber', 'de');
    expect(compound.label).toBe('printer');
    expect(compound.coverage).toBeGreaterThan(0.9);
  });

  it('does not count a compound the label speaks of only in part', () => {
    // Both parts are words of the knowledge, of two labels: neither speaks of a driver password.
    const partial = top('Treiberpasswort', 'de');
    expect(['printer', 'password']).toContain(partial.label);
    expect(partial.coverage).toBeLessThan(0.1);
    expect(top('Druckertreiber', 'de').coverage).toBeGreaterThan(0.9);
  });

  it('lowers the score of a message that shares a word, against one the label covers', () => {
    const paraphrase = top('vpn does not connect', 'en');
    const sharing = top('my neighbour’s wifi router does not connect to the tv', 'en');
    expect(paraphrase.coverage).toBeGreaterThan(sharing.coverage);
    expect(paraphrase.score).toBeGreaterThan(sharing.score);
  });
});
