import type { Language } from '../core/language.ts';

/** One training phrasing: a question of an FAQ entry or an intent example. */
export interface LabelledText {
  label: string;
  text: string;
  /** Known language; detected when missing. */
  language?: Language | undefined;
}

export interface RankedLabel {
  label: string;
  /** Calibrated confidence in [0, 1]. */
  score: number;
  /** Classifier score minus the best other label's (positive only for the winner). */
  margin: number;
  /** Cosine to the closest phrasing of this label. */
  nearest: number;
  /** Cosine to the label's centroid. */
  centroid: number;
  /** Word alignment with the label's phrasings (English with word vectors only). */
  alignment?: number | undefined;
  /** Share of the message's content words (by rarity) that the label's phrasings use. */
  coverage: number;
  /** For a message of one content word: whether the label's phrasings use that word. */
  usesTheWord?: boolean | undefined;
}

export interface RankResult {
  language: Language;
  ranked: RankedLabel[];
  /** The message has exactly one content word (besides stop words): "VPN", "Drucker". */
  oneWord?: boolean | undefined;
}
