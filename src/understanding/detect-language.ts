import type { Language } from '../core/language.ts';
import { tokenize } from './normalize-text.ts';
import { isStopWord } from './stop-words.ts';

/** How strongly a known word points to a language: > 0 German, < 0 English, in [-1, 1]. */
export type LexiconLean = (token: string) => number;

export interface DetectLanguageOptions {
  /** The channel's locale or the conversation's language: used when the text says too little. */
  hint?: Language | undefined;
  /** Words of the knowledge base and which language they were written in. */
  lexicon?: LexiconLean | undefined;
}

const GERMAN_LETTERS = /[äöüß]/i;
const GERMAN_ENDINGS = /(ung|keit|heit|lich|isch|chen|schaft|ieren|tion(en)?)$/;
const GERMAN_PARTS = /sch|tz|pf|ei|eu|ae|oe|ue/;
const ENGLISH_ENDINGS = /(ing|ed|tion|ly|ness|ment|able)$/;
const ENGLISH_PARTS = /th|wh|ck|w[aeiou]|y$/;

/** Below this evidence the hint (or German, the default) decides. */
const MIN_EVIDENCE = 0.75;

/**
 * German or English, from function words (strongest), words of the knowledge base, umlauts and
 * typical letter sequences. Very short or neutral texts ("VPN?") fall back to the hint.
 */
export function detectLanguage(text: string, options: DetectLanguageOptions = {}): Language {
  return detectLanguageOfTokens(text, tokenize(text), options);
}

export function detectLanguageOfTokens(
  text: string,
  tokens: readonly string[],
  options: DetectLanguageOptions = {},
): Language {
  let score = 0; // > 0 German, < 0 English
  let evidence = 0;
  if (GERMAN_LETTERS.test(text.length > 2000 ? text.slice(0, 2000) : text)) {
    score += 1.5;
    evidence += 1.5;
  }
  for (const token of tokens) {
    const de = isStopWord(token, 'de');
    const en = isStopWord(token, 'en');
    if (de !== en) {
      score += de ? 1 : -1;
      evidence += 1;
      continue;
    }
    if (de && en) continue;
    const lean = options.lexicon?.(token) ?? 0;
    if (lean !== 0) {
      score += 0.8 * lean;
      evidence += 0.8 * Math.abs(lean);
      continue;
    }
    if (token.length < 4) continue;
    let cue = 0;
    if (GERMAN_ENDINGS.test(token)) cue += 0.3;
    if (GERMAN_PARTS.test(token)) cue += 0.15;
    if (ENGLISH_ENDINGS.test(token)) cue -= 0.3;
    if (ENGLISH_PARTS.test(token)) cue -= 0.15;
    score += cue;
    evidence += Math.abs(cue);
  }
  if (evidence < MIN_EVIDENCE || Math.abs(score) < 0.25) return options.hint ?? 'de';
  return score > 0 ? 'de' : 'en';
}
