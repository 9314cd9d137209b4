import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { germanSynonyms, type SynonymTable } from './german-synonyms.ts';
import { openShippedFile } from './shipped-files.ts';

/**
 * Pretrained English word vectors (GloVe 6B, 100 dimensions; see scripts/build-word-vectors.ts),
 * stored as 8-bit integers with one scale per word. They give the matcher a sense of word
 * meaning that phrasings alone cannot: "card arrived" and "card delivered" share no feature, but
 * their vectors are close.
 *
 * File layout (little-endian): "SBWV", version, word count, dimensions, byte length of the word
 * list; the words joined by "\n"; zero padding to 4 bytes; one float32 scale per word; the int8
 * values, word after word.
 */
export class WordVectors {
  readonly dimensions: number;
  /**
   * Where the vectors were read from (path, size, modification time), so a cache of what was
   * built from them can tell files apart (index-cache.ts); undefined for vectors made otherwise.
   */
  readonly source: string | undefined;
  #table: VectorTable | undefined;
  readonly #read: (() => VectorTable) | undefined;

  private constructor(
    dimensions: number,
    source: string | undefined,
    table: VectorTable | (() => VectorTable),
  ) {
    this.dimensions = dimensions;
    this.source = source;
    if (typeof table === 'function') this.#read = table;
    else this.#table = table;
  }

  static decode(bytes: Uint8Array, source?: string): WordVectors {
    const { dimensions } = readHeader(bytes, bytes.length);
    return new WordVectors(dimensions, source, decodeTable(bytes));
  }

  /**
   * The vectors of a file, read when first asked for: a restored index (index-cache.ts) needs
   * them only for English messages, and reading them costs a start tens of milliseconds. The
   * header and the file's length are checked now.
   */
  static open(path: string): WordVectors {
    const { size, mtimeMs } = statSync(path);
    const header = new Uint8Array(HEADER_BYTES);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    const { dimensions } = readHeader(header, size);
    return new WordVectors(dimensions, `${resolve(path)}|${size}|${mtimeMs}`, () =>
      decodeTable(readFileSync(path)),
    );
  }

  get #loaded(): VectorTable {
    this.#table ??= (this.#read as () => VectorTable)();
    return this.#table;
  }

  get size(): number {
    return this.#loaded.index.size;
  }

  /** The words, in the file's order (most frequent first in the shipped files). */
  words(): string[] {
    return [...this.#loaded.index.keys()];
  }

  has(word: string): boolean {
    return this.#loaded.index.has(word);
  }

  /** Adds `weight` × the word's vector to `out`; false (and nothing added) for an unknown word. */
  addTo(word: string, weight: number, out: Float32Array): boolean {
    const { index, scales, values } = this.#loaded;
    const i = index.get(word);
    if (i === undefined) return false;
    const scale = weight * (scales[i] as number);
    const base = i * this.dimensions;
    for (let d = 0; d < this.dimensions; d++)
      out[d] = (out[d] as number) + scale * (values[base + d] as number);
    return true;
  }
}

/** A file's words (row of each), scales and values. */
interface VectorTable {
  index: Map<string, number>;
  scales: Float32Array;
  values: Int8Array;
}

/** The header's counts; throws when it is not a vector file or `length` is not the file's whole length. */
function readHeader(
  bytes: Uint8Array,
  length: number,
): { count: number; dimensions: number; wordBytes: number } {
  if (bytes.length < HEADER_BYTES)
    throw new ConfigError('damaged_file', 'not a word-vector file (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== MAGIC || view.getUint32(4, true) !== VERSION)
    throw new ConfigError('damaged_file', 'not a word-vector file (or an unknown version)');
  const count = view.getUint32(8, true);
  const dimensions = view.getUint32(12, true);
  const wordBytes = view.getUint32(16, true);
  if (align4(HEADER_BYTES + wordBytes) + 4 * count + count * dimensions > length)
    throw new ConfigError('damaged_file', 'word-vector file is truncated');
  return { count, dimensions, wordBytes };
}

function decodeTable(bytes: Uint8Array): VectorTable {
  const { count, dimensions, wordBytes } = readHeader(bytes, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = HEADER_BYTES;
  const words = new TextDecoder().decode(bytes.subarray(at, at + wordBytes)).split('\n');
  if (words.length !== count)
    throw new ConfigError('damaged_file', 'word-vector file is damaged: word list and count differ');
  at = align4(at + wordBytes);
  const scales = new Float32Array(count);
  for (let i = 0; i < count; i++) scales[i] = view.getFloat32(at + 4 * i, true);
  at += 4 * count;
  // A view, not a copy (a Node Buffer's slice would share its pool anyway).
  const values = new Int8Array(bytes.buffer, bytes.byteOffset + at, count * dimensions);
  const index = new Map<string, number>();
  words.forEach((word, i) => {
    index.set(word, i);
  });
  return { index, scales, values };
}

const MAGIC = 'SBWV';
const VERSION = 1;
const HEADER_BYTES = 20;

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Serialises vectors in the format `WordVectors.decode` reads (used by the build script). */
export function encodeWordVectors(words: string[], vectors: Float32Array[], dimensions: number): Uint8Array {
  const wordBytes = new TextEncoder().encode(words.join('\n'));
  const scalesAt = align4(HEADER_BYTES + wordBytes.length);
  const valuesAt = scalesAt + 4 * words.length;
  const bytes = new Uint8Array(valuesAt + words.length * dimensions);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, words.length, true);
  view.setUint32(12, dimensions, true);
  view.setUint32(16, wordBytes.length, true);
  bytes.set(wordBytes, HEADER_BYTES);
  vectors.forEach((vector, i) => {
    let max = 0;
    for (const x of vector) max = Math.max(max, Math.abs(x));
    const scale = max > 0 ? max / 127 : 1;
    view.setFloat32(scalesAt + 4 * i, scale, true);
    for (let d = 0; d < dimensions; d++)
      view.setInt8(valuesAt + i * dimensions + d, Math.round((vector[d] ?? 0) / scale));
  });
  return bytes;
}

/** WORD_VECTORS and SENTENCE_VECTORS: each unset for the shipped file, "off", or another file's path. */
export interface VectorSettings {
  WORD_VECTORS?: string | undefined;
  SENTENCE_VECTORS?: string | undefined;
  GERMAN_SYNONYMS?: string | undefined;
}

function openVectorFile(setting: string | undefined, shippedFile: string): WordVectors | null {
  return openShippedFile(setting, shippedFile, (path) => WordVectors.open(path));
}

/**
 * The vector files the settings name, as the ranker takes them: English word vectors (GloVe,
 * word meaning) and each English word's share of a sentence vector (distilled-sentence-vectors.ts).
 */
export function vectorOptions(settings: VectorSettings = {}): {
  wordVectors: WordVectors | null;
  sentenceVectors: WordVectors | null;
  germanSynonyms: SynonymTable | null;
} {
  return {
    wordVectors: openVectorFile(settings.WORD_VECTORS, 'en-100d.bin'),
    sentenceVectors: openVectorFile(settings.SENTENCE_VECTORS, 'en-sentence-128d.bin'),
    germanSynonyms: germanSynonyms(settings.GERMAN_SYNONYMS),
  };
}

/** The shipped English word vectors (GloVe); null when not shipped. */
export function englishWordVectors(): WordVectors | null {
  return vectorOptions().wordVectors;
}

/** The shipped table of English words' shares of a sentence vector; null when not shipped. */
export function englishSentenceWordVectors(): WordVectors | null {
  return vectorOptions().sentenceVectors;
}
