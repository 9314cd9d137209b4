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
  /**
   * Where what each token says is remembered (and looked up first). Only valid for one lexicon:
   * the caller keeps one per lexicon.
   */
  memo?: TokenEvidenceMemo | undefined;
}

/** What one token adds to the score and to the evidence; null when it says nothing. */
export type TokenEvidence = { score: number; evidence: number } | null;
export type TokenEvidenceMemo = Map<string, TokenEvidence>;
/** Tokens remembered in a memo; it is emptied when full. */
const MEMO_LIMIT = 20_000;

const GERMAN_LETTERS = /[äöüß]/i;
const GERMAN_ENDINGS = /(ung|keit|heit|lich|isch|chen|schaft|ieren|tion(en)?)$/;
const GERMAN_PARTS = /sch|tz|pf|ei|eu|ae|oe|ue/;
const ENGLISH_ENDINGS = /(ing|ed|tion|ly|ness|ment|able)$/;
const ENGLISH_PARTS = /th|wh|ck|w[aeiou]|y$/;

const GERMAN_WORD: TokenEvidence = Object.freeze({ score: 1, evidence: 1 });
const ENGLISH_WORD: TokenEvidence = Object.freeze({ score: -1, evidence: 1 });

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
  const memo = options.memo;
  for (const token of tokens) {
    let said = memo?.get(token);
    if (said === undefined) {
      said = tokenEvidence(token, options.lexicon);
      if (memo) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(token, said);
      }
    }
    if (said === null) continue;
    score += said.score;
    evidence += said.evidence;
  }
  if (evidence < MIN_EVIDENCE || Math.abs(score) < 0.25) return options.hint ?? 'de';
  return score > 0 ? 'de' : 'en';
}

/** Function words (strongest), then the knowledge base's words, then letter sequences. */
function tokenEvidence(token: string, lexicon: LexiconLean | undefined): TokenEvidence {
  const de = isStopWord(token, 'de');
  const en = isStopWord(token, 'en');
  if (de !== en) return de ? GERMAN_WORD : ENGLISH_WORD;
  if (de && en) return null;
  const lean = lexicon?.(token) ?? 0;
  if (lean !== 0) return { score: 0.8 * lean, evidence: 0.8 * Math.abs(lean) };
  if (token.length < 4) return null;
  let cue = 0;
  if (GERMAN_ENDINGS.test(token)) cue += 0.3;
  if (GERMAN_PARTS.test(token)) cue += 0.15;
  if (ENGLISH_ENDINGS.test(token)) cue -= 0.3;
  if (ENGLISH_PARTS.test(token)) cue -= 0.15;
  return cue === 0 ? null : { score: cue, evidence: Math.abs(cue) };
}
