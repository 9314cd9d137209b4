import type { AnalyzedText } from './analyze-text.ts';
import type { FeatureSpace } from './feature-space.ts';
import { NUMBER_TOKEN } from './normalize-text.ts';
import type { PhrasingRows } from './phrasing-rows.ts';

/**
 * The words each label's phrasings use (word features), gathered the first time a message needs
 * a label's, and what follows from them: whether a label uses a word, and how much of a message
 * it covers.
 */
export class LabelWords {
  readonly #space: FeatureSpace;
  readonly #phrasings: PhrasingRows;
  readonly #byLabel = new Map<number, Set<number>>();

  constructor(space: FeatureSpace, phrasings: PhrasingRows) {
    this.#space = space;
    this.#phrasings = phrasings;
  }

  /** Whether a phrasing of `label` has the word feature. */
  uses(label: number, feature: number): boolean {
    return this.#of(label).has(feature);
  }

  /**
   * How much of what the message says the label's phrasings speak of: its content words weighted
   * by rarity (a word no phrasing uses weighs most), each counted when the label uses it, a
   * compound when the label uses all its parts. "Is the canteen open on weekends" shares only
   * "open" with the support hours: a low coverage, where a paraphrase of that entry scores high.
   * A compound whose parts the label uses only in part names another thing: a "Handyvertrag" is
   * not the support contract the entry's "Vertrag" means (counted by the share of its parts
   * before, the own questions answered one fewer right, the held-back ones the same). A word
   * read as its thesaurus synonyms still counts by the share of them the label uses.
   */
  coverage(analyzed: AnalyzedText, label: number): number {
    const words = this.#of(label);
    const space = this.#space;
    let mass = 0;
    let covered = 0;
    for (let i = 0; i < analyzed.stems.length; i++) {
      if (analyzed.stop[i] || analyzed.words[i] === NUMBER_TOKEN) continue;
      const id = space.stemFeature(analyzed.stems[i] as string);
      const weight = space.idf(id ?? -1);
      mass += weight;
      if (id !== undefined && words.has(id)) {
        covered += weight;
        continue;
      }
      let parts = 0;
      let used = 0;
      for (let k = 0; k < analyzed.partOf.length; k++) {
        if (analyzed.partOf[k] !== i) continue;
        parts++;
        const part = space.stemFeature(analyzed.partStems[k] as string);
        if (part !== undefined && words.has(part)) used++;
      }
      // Synonyms are alternatives: counted by the share the label uses, as a word half understood.
      if (analyzed.synonymWords.includes(i)) covered += parts > 0 ? (weight * used) / parts : 0;
      else if (parts > 0 && used === parts) covered += weight;
    }
    return mass > 0 ? covered / mass : 1;
  }

  #of(label: number): Set<number> {
    let words = this.#byLabel.get(label);
    if (!words) {
      words = this.#phrasings.featuresOf(label, (id) => this.#space.isWordFeature(id));
      this.#byLabel.set(label, words);
    }
    return words;
  }
}
