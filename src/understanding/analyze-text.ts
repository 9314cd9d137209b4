import type { Language } from '../core/language.ts';
import { detectLanguageOfTokens } from './detect-language.ts';
import { tokenize } from './normalize-text.ts';
import { stemWord } from './stem-word.ts';
import { isStopWord } from './stop-words.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Compounds are looked for in words at least this long. */
const MIN_COMPOUND = 10;

export interface AnalyzedText {
  language: Language;
  /** Words as written (normalised), typos corrected against the vocabulary. */
  words: string[];
  /** Stems of `words`, same positions. */
  stems: string[];
  /** Stems of compound parts ("passwort", "zurucksetz" for "passwortzuruecksetzung"). */
  partStems: string[];
  /** Whether each word is a stop word, same positions. */
  stop: boolean[];
}

export interface AnalyzeOptions {
  /** Known language (knowledge phrasings); otherwise detected from the text. */
  language?: Language | undefined;
  hint?: Language | undefined;
  /** Correct unknown words against the vocabulary (queries only). */
  correct?: boolean;
}

/** Tokenises, detects the language, corrects typos, splits compounds and stems. */
export function analyzeText(
  text: string,
  vocabulary: Vocabulary,
  options: AnalyzeOptions = {},
): AnalyzedText {
  const tokens = tokenize(text);
  const language =
    options.language ??
    detectLanguageOfTokens(text, tokens, { hint: options.hint, lexicon: (w) => vocabulary.lean(w) });
  const words: string[] = [];
  const stems: string[] = [];
  const partStems: string[] = [];
  const stop: boolean[] = [];
  for (const token of tokens) {
    let word = token;
    if (options.correct && !vocabulary.has(token)) word = vocabulary.correct(token) ?? token;
    words.push(word);
    stems.push(stemWord(word, language));
    stop.push(isStopWord(word, language));
    if (word.length >= MIN_COMPOUND) {
      const parts = vocabulary.splitCompound(word, language);
      if (parts) for (const part of parts) partStems.push(stemWord(part, language));
    }
  }
  return { language, words, stems, partStems, stop };
}
