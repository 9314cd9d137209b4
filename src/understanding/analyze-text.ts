import type { Language } from '../core/language.ts';
import { detectLanguageOfTokens, type LexiconLean, type TokenEvidenceMemo } from './detect-language.ts';
import type { SynonymTable } from './german-synonyms.ts';
import { tokenize } from './normalize-text.ts';
import { stemWord } from './stem-word.ts';
import { isStopWord } from './stop-words.ts';
import type { Vocabulary } from './vocabulary.ts';

/** Compounds are looked for in words at least this long. */
const MIN_COMPOUND = 10;
/** Analysed tokens remembered per vocabulary, language and mode; the memo is emptied when full. */
const MEMO_LIMIT = 20_000;

export interface AnalyzedText {
  language: Language;
  /** Words as written (normalised), typos corrected against the vocabulary. */
  words: string[];
  /** Stems of `words`, same positions. */
  stems: string[];
  /** Stems of compound parts ("passwort", "zurucksetz" for "passwortzuruecksetzung"). */
  partStems: string[];
  /** For each of `partStems`, the position of the word it is a part of. */
  partOf: number[];
  /** Whether each word is a stop word, same positions. */
  stop: boolean[];
  /** Positions of words whose parts are the thesaurus's synonyms (any one is meant), not a compound's. */
  synonymWords: number[];
}

export interface AnalyzeOptions {
  /** Known language (knowledge phrasings); otherwise detected from the text. */
  language?: Language | undefined;
  hint?: Language | undefined;
  /** Correct unknown words against the vocabulary (queries only). */
  correct?: boolean;
  /** German synonyms for a message's words the phrasings do not use (queries only). */
  synonyms?: SynonymTable | null | undefined;
}

/** What one token becomes: a pure function of the token, the language, the mode and the vocabulary. */
interface AnalyzedToken {
  word: string;
  stem: string;
  stop: boolean;
  partStems: readonly string[];
  /** The parts are synonyms of the word, not the parts of a compound. */
  synonyms?: true;
}

type TokenMemo = Map<string, AnalyzedToken>;

/**
 * Typo correction and compound splitting cost far more than the rest of a message's analysis,
 * and customers use the same few hundred words again and again: each token's analysis is kept.
 * Keyed by the vocabulary object, so a rebuilt index starts with an empty memo.
 */
interface VocabularyMemo {
  revision: number;
  byMode: Record<string, TokenMemo>;
  /** The vocabulary as the language detector's lexicon, and what each token says there. */
  lexicon: LexiconLean;
  evidence: TokenEvidenceMemo;
}

const memos = new WeakMap<Vocabulary, VocabularyMemo>();

function vocabularyMemo(vocabulary: Vocabulary): VocabularyMemo {
  let memo = memos.get(vocabulary);
  // A word added since (the vocabulary changed) may change any token's analysis.
  if (!memo || memo.revision !== vocabulary.revision) {
    memo = {
      revision: vocabulary.revision,
      byMode: {},
      lexicon: (word) => vocabulary.lean(word),
      evidence: new Map(),
    };
    memos.set(vocabulary, memo);
  }
  return memo;
}

function tokenMemo(
  memo: VocabularyMemo,
  language: Language,
  correct: boolean,
  synonyms: SynonymTable | null,
): TokenMemo {
  const mode = `${language}${correct ? '+' : ''}${synonyms ? 's' : ''}`;
  let byToken = memo.byMode[mode];
  if (!byToken) {
    byToken = new Map();
    memo.byMode[mode] = byToken;
  }
  return byToken;
}

const NO_PARTS: readonly string[] = Object.freeze([]);

function analyzeToken(
  token: string,
  vocabulary: Vocabulary,
  language: Language,
  correct: boolean,
  synonyms: SynonymTable | null,
): AnalyzedToken {
  let word = token;
  if (correct && !vocabulary.has(token)) {
    const synonym = synonyms && language === 'de' ? readAsSynonyms(token, vocabulary, synonyms) : undefined;
    if (synonym) return synonym;
    word = vocabulary.correct(token) ?? token;
  }
  const own = wordLanguage(word, vocabulary, language);
  let partStems = NO_PARTS;
  if (word.length >= MIN_COMPOUND) {
    const parts = vocabulary.splitCompound(word, own);
    if (parts) partStems = parts.map((part) => stemWord(part, own));
  }
  return { word, stem: stemWord(word, own), stop: isStopWord(word, own), partStems };
}

/** Words shorter than this are not looked up in the thesaurus (too many senses). */
const MIN_SYNONYM_WORD = 4;

/**
 * A German word no phrasing uses, with the thesaurus's synonyms that the phrasings do use as its
 * parts (features of their own, as a compound's parts). The word keeps its own stem, which no
 * label has: the synonyms add evidence without making the word fully understood, so an off-topic
 * message that meets a synonym gains less than a paraphrase in the phrasings' own words (with the
 * synonym as the stem, one more off-topic question of the own set was answered). Before typo
 * correction, which would turn a real but unknown word into a known look-alike ("Kiste" is no
 * typo of "Liste"). Undefined when the word's stem is known or no synonym is.
 */
function readAsSynonyms(
  token: string,
  vocabulary: Vocabulary,
  synonyms: SynonymTable,
): AnalyzedToken | undefined {
  if (token.length < MIN_SYNONYM_WORD || isStopWord(token, 'de') || vocabulary.lean(token) < 0)
    return undefined;
  const stem = stemWord(token, 'de');
  if (vocabulary.hasStem(stem)) return undefined;
  const found = synonyms.synonymsOf(stem, (s) => vocabulary.hasStem(s));
  if (found.length === 0) return undefined;
  return { word: token, stem, stop: false, partStems: found, synonyms: true };
}

/**
 * The language a message's word is stemmed in: the message's, unless the knowledge uses the word
 * only in phrasings of the other language. People in IT mix ("mein Headset connectet nicht",
 * "VPN disconnected dauernd"): stemmed as English, "connected" meets the English phrasings'
 * "connect"; the German stemmer would leave it apart. Phrasings are never affected (a word of a
 * phrasing counts for the phrasing's own language).
 */
export function wordLanguage(word: string, vocabulary: Vocabulary, language: Language): Language {
  const lean = vocabulary.lean(word);
  if (language === 'de' && lean === -1) return 'en';
  if (language === 'en' && lean === 1) return 'de';
  if (lean === 0 && !vocabulary.has(word)) {
    // A word no phrasing has, in a form of the other language's ("disconnected" where the
    // phrasings say "disconnecting"): its stem in that language tells, if only that one is known.
    const other: Language = language === 'de' ? 'en' : 'de';
    const stem = stemWord(word, other);
    if (
      vocabulary.hasStemIn(stem, other) &&
      !vocabulary.hasStemIn(stem, language) &&
      !vocabulary.hasStemIn(stemWord(word, language), language)
    )
      return other;
  }
  return language;
}

/**
 * The other language when a message in `analyzed.language` has a content word the knowledge uses
 * only in that other language's phrasings (a mixed message); undefined otherwise.
 */
export function mixedWith(analyzed: AnalyzedText, vocabulary: Vocabulary): Language | undefined {
  for (let i = 0; i < analyzed.words.length; i++) {
    if (analyzed.stop[i]) continue;
    const own = wordLanguage(analyzed.words[i] as string, vocabulary, analyzed.language);
    if (own !== analyzed.language) return own;
  }
  return undefined;
}

/** Tokenises, detects the language, corrects typos, splits compounds and stems. */
export function analyzeText(
  text: string,
  vocabulary: Vocabulary,
  options: AnalyzeOptions = {},
): AnalyzedText {
  // The index keeps every phrasing's analysis; a message's is dropped straight away. V8 decides
  // per array literal whether to allocate in the old generation, so the two get literals of
  // their own: otherwise messages' arrays went there too, and collecting them cost more than
  // the analysis. (Only messages are corrected against the vocabulary.)
  return options.correct
    ? analyzeInto(text, vocabulary, options, [], [], [], [], [], [], [])
    : analyzeInto(text, vocabulary, options, [], [], [], [], [], [], []);
}

function analyzeInto(
  text: string,
  vocabulary: Vocabulary,
  options: AnalyzeOptions,
  tokens: string[],
  words: string[],
  stems: string[],
  partStems: string[],
  partOf: number[],
  stop: boolean[],
  synonymWords: number[],
): AnalyzedText {
  tokenize(text, tokens);
  const vocabularyMemos = vocabularyMemo(vocabulary);
  const language =
    options.language ??
    detectLanguageOfTokens(text, tokens, {
      hint: options.hint,
      lexicon: vocabularyMemos.lexicon,
      memo: vocabularyMemos.evidence,
    });
  const correct = options.correct === true;
  const synonyms = (correct && options.synonyms) || null;
  const memo = tokenMemo(vocabularyMemos, language, correct, synonyms);
  for (const token of tokens) {
    let analyzed = memo.get(token);
    if (analyzed === undefined) {
      analyzed = analyzeToken(token, vocabulary, language, correct, synonyms);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(token, analyzed);
    }
    words.push(analyzed.word);
    stems.push(analyzed.stem);
    stop.push(analyzed.stop);
    for (const part of analyzed.partStems) {
      partStems.push(part);
      partOf.push(words.length - 1);
    }
    if (analyzed.synonyms) synonymWords.push(words.length - 1);
  }
  return new Analyzed(language, words, stems, partStems, partOf, stop, synonymWords);
}

/** A class, not an object literal, for the same reason (V8 tracks literals, not classes). */
class Analyzed implements AnalyzedText {
  constructor(
    public language: Language,
    public words: string[],
    public stems: string[],
    public partStems: string[],
    public partOf: number[],
    public stop: boolean[],
    public synonymWords: number[],
  ) {}
}
