import { RuntimeError } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import { umlautSkeleton } from './normalize-text.ts';
import { type BuildSteps, runSteps } from './run-steps.ts';
import { stemWord } from './stem-word.ts';

/** Shortest word the typo corrector touches: shorter words have too many neighbours. */
const MIN_CORRECTABLE = 4;
/** Shortest part of a German compound ("Netz", "Drucker"). */
const MIN_PART = 3;
const LINKING = ['s', 'es', 'n', 'en', 'e'];
/** Longer "words" are garbage (or URLs); correcting or splitting them costs time for nothing. */
const MAX_WORD = 40;

/**
 * A built vocabulary as plain data (see index-cache.ts). The per-word maps are kept as parallel
 * arrays: tens of thousands of small objects and lists take far longer to read back one by one.
 */
export interface VocabularySnapshot {
  counts: Map<string, number>;
  /** Words with a known language, and how often each occurs in German and English phrasings. */
  languageWords: string[];
  german: Int32Array;
  english: Int32Array;
  stems: Set<string>;
  skeletons: Map<string, string>;
  /** The delete index: each key's words are `deleteWords[deleteMembers[i]]` for i up to deleteEnds[k]. */
  deleteKeys: string[];
  deleteWords: string[];
  deleteMembers: Int32Array;
  deleteEnds: Int32Array;
  built: boolean;
  revision: number;
}

/**
 * The words the knowledge base is written in, for typo correction (one edit: insert, delete,
 * substitute, swap, found through a delete index), umlaut skeletons ("zurucksetzen") and
 * compound splitting ("passwortzuruecksetzung" → "passwort" + "zuruecksetzung").
 */
export class Vocabulary {
  readonly #counts: Map<string, number>;
  readonly #languageCounts: Map<string, { de: number; en: number }>;
  readonly #stems: Set<string>;
  readonly #skeletons: Map<string, string>;
  readonly #deletes: Map<string, string[]>;
  #built: boolean;
  #revision: number;
  /** The phrasings' stems by the language they were stemmed in; made on first use. */
  #stemsByLanguage: Record<Language, Set<string>> | undefined;

  /** An empty vocabulary, or the one a snapshot() was taken of. */
  constructor(snapshot?: VocabularySnapshot) {
    this.#counts = snapshot?.counts ?? new Map();
    this.#languageCounts = new Map();
    this.#stems = snapshot?.stems ?? new Set();
    this.#skeletons = snapshot?.skeletons ?? new Map();
    this.#deletes = new Map();
    this.#built = snapshot?.built ?? false;
    this.#revision = snapshot?.revision ?? 0;
    if (!snapshot) return;
    snapshot.languageWords.forEach((word, i) => {
      this.#languageCounts.set(word, { de: snapshot.german[i] as number, en: snapshot.english[i] as number });
    });
    let from = 0;
    snapshot.deleteKeys.forEach((key, k) => {
      const to = snapshot.deleteEnds[k] as number;
      const words: string[] = [];
      for (let i = from; i < to; i++)
        words.push(snapshot.deleteWords[snapshot.deleteMembers[i] as number] as string);
      this.#deletes.set(key, words);
      from = to;
    });
  }

  snapshot(): VocabularySnapshot {
    const languageWords = [...this.#languageCounts.keys()];
    const counts = [...this.#languageCounts.values()];
    const wordIndex = new Map<string, number>();
    const members: number[] = [];
    const ends: number[] = [];
    for (const words of this.#deletes.values()) {
      for (const word of words) {
        if (!wordIndex.has(word)) wordIndex.set(word, wordIndex.size);
        members.push(wordIndex.get(word) as number);
      }
      ends.push(members.length);
    }
    return {
      counts: this.#counts,
      languageWords,
      german: Int32Array.from(counts, (c) => c.de),
      english: Int32Array.from(counts, (c) => c.en),
      stems: this.#stems,
      skeletons: this.#skeletons,
      deleteKeys: [...this.#deletes.keys()],
      deleteWords: [...wordIndex.keys()],
      deleteMembers: Int32Array.from(members),
      deleteEnds: Int32Array.from(ends),
      built: this.#built,
      revision: this.#revision,
    };
  }

  /** Changes whenever a word is added or the indexes are built, so memos of lookups can tell. */
  get revision(): number {
    return this.#revision;
  }

  add(word: string, language: Language | undefined): void {
    this.#revision += 1;
    this.#stemsByLanguage = undefined;
    this.#counts.set(word, (this.#counts.get(word) ?? 0) + 1);
    if (language) {
      const counts = this.#languageCounts.get(word) ?? { de: 0, en: 0 };
      counts[language] += 1;
      this.#languageCounts.set(word, counts);
      this.#stems.add(stemWord(word, language));
    }
  }

  /** Builds the lookup indexes; call once after the last add(). */
  build(): void {
    runSteps(this.buildSteps());
  }

  /** `build` in small steps (see run-steps.ts). */
  *buildSteps(): BuildSteps<void> {
    let visited = 0;
    for (const word of this.#counts.keys()) {
      if (++visited % 256 === 0) yield;
      if (word.length < MIN_CORRECTABLE) continue;
      const skeleton = umlautSkeleton(word);
      if (skeleton !== word) this.#keepMostFrequent(this.#skeletons, skeleton, word);
      for (const deleted of deletesOf(word)) {
        const list = this.#deletes.get(deleted);
        if (list) {
          if (list.length < 8 && !list.includes(word)) list.push(word);
        } else this.#deletes.set(deleted, [word]);
      }
      const own = this.#deletes.get(word);
      if (own) {
        if (!own.includes(word)) own.push(word);
      } else this.#deletes.set(word, [word]);
    }
    this.#built = true;
    this.#revision += 1;
  }

  has(word: string): boolean {
    return this.#counts.has(word);
  }

  /** Whether a phrasing has a word with this stem. */
  hasStem(stem: string): boolean {
    return this.#stems.has(stem);
  }

  /** Whether a phrasing in `language` has a word with this stem (in that language's stemming). */
  hasStemIn(stem: string, language: Language): boolean {
    if (!this.#stemsByLanguage) {
      const byLanguage: Record<Language, Set<string>> = { de: new Set(), en: new Set() };
      for (const [word, counts] of this.#languageCounts) {
        if (counts.de > 0) byLanguage.de.add(stemWord(word, 'de'));
        if (counts.en > 0) byLanguage.en.add(stemWord(word, 'en'));
      }
      this.#stemsByLanguage = byLanguage;
    }
    return this.#stemsByLanguage[language].has(stem);
  }

  count(word: string): number {
    return this.#counts.get(word) ?? 0;
  }

  get size(): number {
    return this.#counts.size;
  }

  /** > 0 if the word occurs mostly in German phrasings, < 0 if mostly in English ones. */
  lean(word: string): number {
    const c = this.#languageCounts.get(word);
    if (!c) return 0;
    return (c.de - c.en) / (c.de + c.en);
  }

  /** The known word closest to an unknown one (one edit or a missing umlaut "e"), if any. */
  correct(word: string): string | undefined {
    if (!this.#built) throw new RuntimeError('internal_error', 'Vocabulary.build() was not called');
    if (word.length < MIN_CORRECTABLE || word.length > MAX_WORD || this.#counts.has(word)) return undefined;
    const skeleton = this.#skeletons.get(umlautSkeleton(word));
    if (skeleton) return skeleton;
    let best: string | undefined;
    let bestRank = -1;
    const consider = (candidates: string[] | undefined) => {
      for (const candidate of candidates ?? []) {
        if (!withinOneEdit(word, candidate)) continue;
        // Prefer a frequent word; same first letter breaks ties (typos rarely hit the first letter).
        const rank = (this.#counts.get(candidate) ?? 0) + (candidate[0] === word[0] ? 0.5 : 0);
        if (rank > bestRank) {
          best = candidate;
          bestRank = rank;
        }
      }
    };
    consider(this.#deletes.get(word));
    for (const deleted of deletesOf(word)) consider(this.#deletes.get(deleted));
    return best;
  }

  /** Splits an unknown long word into known words (two or three parts), or undefined. */
  splitCompound(word: string, language: Language = 'de'): string[] | undefined {
    if (word.length < 2 * MIN_PART + 1 || word.length > MAX_WORD) return undefined;
    return this.#split(word, language, 2);
  }

  #split(word: string, language: Language, depth: number): string[] | undefined {
    let best: string[] | undefined;
    let bestScore = 0;
    // Longest known head first: "kontosperrung" → "konto" + "sperrung".
    for (let i = word.length - MIN_PART; i >= MIN_PART; i--) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      const headWord = this.#knownPart(head, language);
      if (!headWord) continue;
      const tails = this.#knownPart(tail, language)
        ? [tail]
        : depth > 1
          ? this.#split(tail, language, depth - 1)
          : undefined;
      if (!tails) continue;
      const parts = [headWord, ...tails];
      const score = Math.min(...parts.map((p) => p.length)) - parts.length;
      if (score > bestScore) {
        best = parts;
        bestScore = score;
      }
    }
    return best;
  }

  #knownPart(part: string, language: Language): string | undefined {
    if (part.length < MIN_PART) return undefined;
    if (this.#counts.has(part) || this.#stems.has(stemWord(part, language))) return part;
    for (const link of LINKING) {
      if (part.length - link.length >= MIN_PART && part.endsWith(link)) {
        const bare = part.slice(0, -link.length);
        if (this.#counts.has(bare) || this.#stems.has(stemWord(bare, language))) return bare;
      }
    }
    return undefined;
  }

  #keepMostFrequent(map: Map<string, string>, key: string, word: string): void {
    const current = map.get(key);
    if (!current || (this.#counts.get(word) ?? 0) > (this.#counts.get(current) ?? 0)) map.set(key, word);
  }
}

function* deletesOf(word: string): Generator<string> {
  for (let i = 0; i < word.length; i++) yield word.slice(0, i) + word.slice(i + 1);
}

/** True if a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
