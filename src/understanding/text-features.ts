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
  /** Pairs of words one apart ("reset my password" gives "reset password"). */
  skipBigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  charMin: 2,
  charMax: 5,
  charWordLimit: 24,
  bigrams: true,
  stopUnigrams: true,
  skipBigrams: false,
};

/**
 * Raw feature counts of one text, in two blocks that are weighted and normalised separately.
 * Character n-grams are keyed by a 32-bit hash of their letters instead of a string: texts make
 * hundreds of them, and hashing avoids allocating each substring (rare collisions merely merge
 * two n-grams into one feature).
 */
export interface FeatureCounts {
  word: Map<string, number>;
  char: Map<number, number>;
}

/**
 * A class, not an object literal: the index build keeps every phrasing's counts until it is done,
 * and V8 then allocates objects from that literal in the old generation, where they kept each
 * message's maps alive past the young-generation collections (half the speed of collectFeatures).
 */
class Counts implements FeatureCounts {
  constructor(
    public word: Map<string, number>,
    public char: Map<number, number>,
  ) {}
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Word block: stems ("w"), compound parts (also "w"), stem pairs ("b"). Character block: n-grams
 * of each word padded with spaces, so "reset" gives " r", "re", …, "et " and " res", ….
 */
export function collectFeatures(text: AnalyzedText, options: FeatureOptions): FeatureCounts {
  const word = new Map<string, number>();
  const char = new Map<number, number>();
  const { stems, stop, words } = text;
  for (let i = 0; i < stems.length; i++) {
    const stem = stems[i] as string;
    if (options.stopUnigrams || !stop[i]) bump(word, `w${stem}`);
    if (options.bigrams && i + 1 < stems.length) bump(word, `b${stem} ${stems[i + 1]}`);
    if (options.skipBigrams && i + 2 < stems.length) bump(word, `s${stem} ${stems[i + 2]}`);
  }
  for (const part of text.partStems) bump(word, `w${part}`);
  for (const w of words) {
    const padded = ` ${w.length > options.charWordLimit ? w.slice(0, options.charWordLimit) : w} `;
    for (let i = 0; i < padded.length; i++) {
      // FNV-1a over the n-gram starting at i, emitted at each length from charMin to charMax.
      let hash = 0x811c9dc5;
      const last = Math.min(padded.length, i + options.charMax);
      for (let j = i; j < last; j++) {
        hash = Math.imul(hash ^ padded.charCodeAt(j), 0x01000193);
        // 30 bits keep the key a small integer (no boxed number per n-gram).
        if (j - i + 1 >= options.charMin) bump(char, hash & 0x3fffffff);
      }
    }
  }
  return new Counts(word, char);
}
