import type { AnalyzedText } from './analyze-text.ts';

export interface FeatureOptions {
  /** Character n-grams within word boundaries, from charMin to charMax letters. */
  charMin: number;
  charMax: number;
  /** Longer words are cut to this many letters before taking character n-grams. */
  charWordLimit: number;
  /** Word pairs next to each other ("reset password"). */
  bigrams: boolean;
  /** Whether stop words count as single-word features ("why" vs "how" can matter). */
  stopUnigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charMin: 2,
  charMax: 5,
  charWordLimit: 24,
  bigrams: true,
  stopUnigrams: true,
};

/** Raw feature counts of one text, in two blocks that are weighted and normalised separately. */
export interface FeatureCounts {
  word: Map<string, number>;
  char: Map<string, number>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Word block: stems ("w"), compound parts (also "w"), stem pairs ("b"). Character block: n-grams
 * of each word padded with spaces, so "reset" gives " r", "re", …, "et " and " res", ….
 */
export function collectFeatures(text: AnalyzedText, options: FeatureOptions): FeatureCounts {
  const word = new Map<string, number>();
  const char = new Map<string, number>();
  const { stems, stop, words } = text;
  for (let i = 0; i < stems.length; i++) {
    const stem = stems[i] as string;
    if (options.stopUnigrams || !stop[i]) bump(word, `w${stem}`);
    if (options.bigrams && i + 1 < stems.length) bump(word, `b${stem} ${stems[i + 1]}`);
  }
  for (const part of text.partStems) bump(word, `w${part}`);
  for (const w of words) {
    const padded = ` ${w.length > options.charWordLimit ? w.slice(0, options.charWordLimit) : w} `;
    for (let n = options.charMin; n <= options.charMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) bump(char, padded.slice(i, i + n));
    }
  }
  return { word, char };
}
