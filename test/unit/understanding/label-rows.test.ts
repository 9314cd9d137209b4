import { describe, expect, it } from 'vitest';
import type { Language } from '../../../src/core/language.ts';
import { CentroidIndex, centroidsSteps } from '../../../src/understanding/centroid-index.ts';
import { FeatureSpace } from '../../../src/understanding/feature-space.ts';
import { LabelRows } from '../../../src/understanding/label-rows.ts';
import { LinearModel } from '../../../src/understanding/linear-model.ts';
import { runSteps } from '../../../src/understanding/run-steps.ts';
import { DEFAULT_FEATURE_OPTIONS } from '../../../src/understanding/text-features.ts';

// Label 0 has German and English phrasings, label 1 English only, label 2 German only.
const phrasings: { label: number; text: string; language: Language }[] = [
  { label: 0, text: 'Passwort vergessen', language: 'de' },
  { label: 0, text: 'Wie setze ich mein Passwort zurück?', language: 'de' },
  { label: 0, text: 'I forgot my password', language: 'en' },
  { label: 0, text: 'How do I reset my password?', language: 'en' },
  { label: 1, text: 'The printer does not print', language: 'en' },
  { label: 1, text: 'Printer shows a paper jam', language: 'en' },
  { label: 1, text: 'How do I add a printer?', language: 'en' },
  { label: 2, text: 'VPN verbindet nicht', language: 'de' },
  { label: 2, text: 'Wie richte ich das VPN ein?', language: 'de' },
];
const messages = [
  'reset my password please',
  'Passwort zurücksetzen',
  'printer paper jam',
  'VPN Verbindung geht nicht',
  'how do I connect to the vpn',
  'Drucker druckt nicht',
];

function setUp(denseShare?: number) {
  const built = FeatureSpace.build(phrasings, { features: DEFAULT_FEATURE_OPTIONS, wordShare: 0.5 });
  const labelOf = Int32Array.from(phrasings, (p) => p.label);
  const groups = Int32Array.from(phrasings, (p) => 2 * p.label + (p.language === 'de' ? 0 : 1));
  const dims = built.space.dimensions;
  const centroids = runSteps(centroidsSteps(6, built.vectors, groups));
  const index = runSteps(CentroidIndex.fromCentroidsSteps(dims, centroids));
  const model = LinearModel.train(dims, 3, built.vectors, labelOf);
  const has = (label: number, language: Language) =>
    phrasings.some((p) => p.label === label && p.language === language);
  const rows = runSteps(LabelRows.buildSteps(dims, model.weightRows(), centroids, has, denseShare));
  return { space: built.space, index, model, rows, has };
}

describe('LabelRows', () => {
  const { space, index, model, rows, has } = setUp();
  // The default (with three labels, every row of one label or more is dense), rows of two or
  // three labels dense, no row dense.
  const variants = [
    ['default', rows],
    ['mixed', setUp(0.5).rows],
    ['sparse', setUp(2).rows],
  ] as const;

  for (const message of messages) {
    for (const language of ['de', 'en'] as const) {
      it.each(variants)(
        `gives the classifier's scores and the centroid cosines to the bit: "${message}" (${language}, %s rows)`,
        (_, rows) => {
          const vector = space.vectorizeQuery(message).vector;
          const expectedScores = new Float64Array(3);
          model.scoreAll(vector, expectedScores);
          const groupScores = new Float64Array(6);
          index.scoreAll(vector, groupScores);
          const scores = new Float64Array(3);
          rows.scoreAll(vector, scores);
          expect([...scores]).toEqual([...expectedScores]);
          const own = language === 'de' ? 0 : 1;
          const centroids = new Float64Array(3);
          rows.centroids(vector, language, [2, 0, 1], centroids);
          for (let label = 0; label < 3; label++) {
            // The centroid in the message's language, the other one for a label without phrasings there.
            const group = 2 * label + (has(label, language) ? own : 1 - own);
            expect(centroids[(label + 1) % 3]).toBe(groupScores[group]);
          }
        },
      );
    }
  }

  it('compares a message with a one-language label through that language', () => {
    const vector = space.vectorizeQuery('VPN verbindet nicht').vector;
    const centroids = new Float64Array(1);
    rows.centroids(vector, 'en', [2], centroids);
    expect(centroids[0]).toBeGreaterThan(0.5);
  });
});
