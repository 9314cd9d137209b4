import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openShippedFile } from './shipped-files.ts';

/** Synonyms offered for one word at most: the ones sharing the most sets with it. */
const MAX_SYNONYMS = 3;

/**
 * German word meaning from a thesaurus (OpenThesaurus, distilled by
 * scripts/build-german-synonyms.ts): sets of stems that mean the same. A customer's German word
 * that no phrasing uses ("Kiste", "futsch", "träge") is read as the synonyms the phrasings do use
 * ("Rechner", "weg", "langsam"); see analyze-text.ts.
 */
export class SynonymTable {
  /** Where the table was read from (path, size, modification time), for caches of builds. */
  readonly source: string | undefined;
  #sets: string[][] | undefined;
  readonly #setsOf = new Map<string, number[]>();
  readonly #read: (() => string[][]) | undefined;

  private constructor(sets: string[][] | (() => string[][]), source: string | undefined) {
    this.source = source;
    if (typeof sets === 'function') this.#read = sets;
    else this.#index(sets);
  }

  #index(sets: string[][]): string[][] {
    this.#sets = sets;
    sets.forEach((set, i) => {
      for (const stem of set) {
        const list = this.#setsOf.get(stem);
        if (list) list.push(i);
        else this.#setsOf.set(stem, [i]);
      }
    });
    return sets;
  }

  /** The sets, read from the file when a message first needs them (a start does not pay for it). */
  #all(): string[][] {
    return this.#sets ?? this.#index((this.#read as () => string[][])());
  }

  /** A table of the given sets (tests, other sources). */
  static of(sets: readonly (readonly string[])[]): SynonymTable {
    return new SynonymTable(
      sets.map((set) => [...set]),
      undefined,
    );
  }

  /** The table in a file written by scripts/build-german-synonyms.ts (gzip, one set per line). */
  static read(path: string): SynonymTable {
    const { size, mtimeMs } = statSync(path);
    const sets = () =>
      gunzipSync(readFileSync(path))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split(';'));
    return new SynonymTable(sets, `${resolve(path)}|${size}|${mtimeMs}`);
  }

  /**
   * Reads the file now (about 55 ms and 11 MB of heap): at start-up, so that no customer's
   * message waits for it.
   */
  preload(): this {
    this.#all();
    return this;
  }

  get size(): number {
    return this.#all().length;
  }

  /**
   * The stems that share a set with `stem` and that `known` accepts, those sharing the most sets
   * first (a word with several senses has a set per sense: the stem met in most of them is the
   * likeliest reading), at most MAX_SYNONYMS.
   */
  synonymsOf(stem: string, known: (stem: string) => boolean): string[] {
    const all = this.#all();
    const sets = this.#setsOf.get(stem);
    if (!sets) return [];
    const shared = new Map<string, number>();
    for (const i of sets) {
      const set = all[i] as string[];
      // A small set is a narrow meaning: its members are closer than those of a long list.
      for (const other of set) {
        if (other !== stem && known(other)) shared.set(other, (shared.get(other) ?? 0) + 1 / set.length);
      }
    }
    return [...shared]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_SYNONYMS)
      .map(([other]) => other);
  }
}

/**
 * GERMAN_SYNONYMS: unset for the shipped table, `off`, or the path of another file written by
 * scripts/build-german-synonyms.ts. Null when switched off or not shipped.
 */
export function germanSynonyms(setting?: string): SynonymTable | null {
  return openShippedFile(setting, 'de-synonyms.txt.gz', (path) => SynonymTable.read(path));
}
