import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ConfigError } from '../core/errors.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { SentenceEncoder } from './sentence-encoder.ts';

/**
 * Where phrasing vectors are kept between builds, keyed by `vectorKey` (a hash of the model and
 * the normalised text). Reads and writes never throw: a store that fails is a miss, and the text
 * is embedded again.
 */
export interface SentenceVectorStore {
  /** The stored vector of each key, undefined where none is stored. */
  read(keys: readonly string[]): Promise<(Float32Array | undefined)[]>;
  write(entries: readonly StoredVector[]): Promise<void>;
}

export interface StoredVector {
  key: string;
  vector: Float32Array;
}

/**
 * Texts per call into an encoder in this thread while building (one with its model in a worker
 * thread says its own, see SentenceEncoder.batch). Each such call runs on the event loop without
 * a break (TensorFlow.js's WebAssembly backend): 8 texts take 40–180 ms on this machine; between
 * calls the event loop takes its turn.
 */
export const EMBED_BATCH = 8;

/** The text as the model is given it: whitespace collapsed, at least one character. */
export function normaliseForEncoder(text: string): string {
  return text.replace(/\s+/g, ' ').trim() || '.';
}

/** The key of a text's vector: SHA-256 of model id and normalised text (128 bits, hex). */
export function vectorKey(modelId: string, text: string): string {
  return keyOfNormalised(modelId, normaliseForEncoder(text));
}

function keyOfNormalised(modelId: string, normalised: string): string {
  return createHash('sha256').update(`${modelId}\u0000${normalised}`).digest('hex').slice(0, 32);
}

/**
 * The phrasings' sentence vectors, embedded only where no store has them: a restart embeds
 * nothing it has seen before, an edited entry only its new phrasings. Stores are asked in order
 * (DATA_DIR first, then Redis); what a later store had is copied into the earlier ones, and
 * what was embedded goes into all. Messages are not kept: only the knowledge's phrasings pass
 * through here.
 */
export class SentenceVectorCache {
  readonly modelId: string;
  readonly #stores: readonly SentenceVectorStore[];
  readonly #log: Logger;
  /** Texts embedded by the model since this cache was made (the rest came from the stores). */
  embedded = 0;

  constructor(options: {
    modelId: string;
    stores: readonly SentenceVectorStore[];
    log?: Logger | undefined;
  }) {
    this.modelId = options.modelId;
    this.#stores = options.stores;
    this.#log = options.log ?? silentLogger;
  }

  /**
   * The unit vectors of `texts` in order. Missing ones are embedded `encoder.batch` (else
   * EMBED_BATCH) texts per call with a turn of the event loop after each; `superseded` (checked
   * between calls) gives up early and returns undefined, keeping what was embedded.
   */
  async embed(
    encoder: SentenceEncoder,
    texts: readonly string[],
    options: { superseded?: () => boolean } = {},
  ): Promise<Float32Array[] | undefined> {
    const keys: string[] = [];
    const textOf = new Map<string, string>();
    for (const text of texts) {
      const normalised = normaliseForEncoder(text);
      const key = keyOfNormalised(this.modelId, normalised);
      keys.push(key);
      textOf.set(key, normalised);
      // Thousands of hashes take tens of milliseconds: the event loop gets turns between.
      if (keys.length % 1000 === 0) await nextTurn();
    }
    const found = new Map<string, Float32Array>();
    let wanted = [...new Set(keys)];
    for (const [s, store] of this.#stores.entries()) {
      if (wanted.length === 0) break;
      const vectors = await store.read(wanted);
      const hits: StoredVector[] = [];
      wanted.forEach((key, i) => {
        const vector = vectors[i];
        if (vector && vector.length === encoder.dimensions) {
          found.set(key, vector);
          hits.push({ key, vector });
        }
      });
      // What Redis had, the local file keeps too: the next start reads it from the disk.
      for (const earlier of this.#stores.slice(0, s)) if (hits.length > 0) await earlier.write(hits);
      wanted = wanted.filter((key) => !found.has(key));
    }
    if (wanted.length > 0) {
      // Texts of like length together: the model then pads less, and a cold build of BANKING77's
      // 10k phrasings took a third less CPU than in the order given (BENCHMARKS.md).
      wanted.sort((a, b) => (textOf.get(a) as string).length - (textOf.get(b) as string).length);
      const fresh: StoredVector[] = [];
      const size = encoder.batch ?? EMBED_BATCH;
      for (let i = 0; i < wanted.length; i += size) {
        if (options.superseded?.()) {
          // Given up, but what was embedded is kept: the newer build reads it.
          for (const store of this.#stores) await store.write(fresh);
          return undefined;
        }
        const batch = wanted.slice(i, i + size);
        const vectors = await encoder.embed(batch.map((key) => textOf.get(key) as string));
        batch.forEach((key, j) => {
          const vector = vectors[j] as Float32Array;
          found.set(key, vector);
          fresh.push({ key, vector });
        });
        this.embedded += batch.length;
        await nextTurn();
      }
      this.#log.info('phrasings embedded', { texts: fresh.length, reused: found.size - fresh.length });
      for (const store of this.#stores) await store.write(fresh);
    }
    return keys.map((key) => found.get(key) as Float32Array);
  }
}

/** File layout: "SBSV", format, dimensions, count (uint32 LE each), SHA-256 of the body, the body. */
const MAGIC = 'SBSV';
const FORMAT = 1;
const HEADER_BYTES = 16 + 32;
const KEY_BYTES = 16;
const SEGMENT = /^vectors-[0-9a-z-]+\.bin$/;
/** Segments beyond this are merged into one on the next write. */
const MAX_SEGMENTS = 8;

/**
 * The vectors in DATA_DIR/sentence-vectors/<model>/ as segment files: each write adds one file
 * with only the new vectors (temp file, fsync, rename; mode 0600), so adding a few phrasings
 * never rewrites the thousands before them; past MAX_SEGMENTS files they are merged into one.
 * A damaged file is removed and its vectors embedded again.
 */
export class SentenceVectorFile implements SentenceVectorStore {
  readonly dir: string;
  readonly #dims: number;
  readonly #log: Logger;
  #vectors: Promise<Map<string, Float32Array>> | undefined;
  #segments: string[] = [];

  constructor(options: { dir: string; dims: number; log?: Logger | undefined }) {
    this.dir = options.dir;
    this.#dims = options.dims;
    this.#log = options.log ?? silentLogger;
  }

  async read(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    const vectors = await this.#load();
    return keys.map((key) => vectors.get(key));
  }

  async write(entries: readonly StoredVector[]): Promise<void> {
    const vectors = await this.#load();
    const added = entries.filter((e) => !vectors.has(e.key) && e.vector.length === this.#dims);
    if (added.length === 0) return;
    for (const e of added) vectors.set(e.key, e.vector);
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      if (this.#segments.length + 1 > MAX_SEGMENTS) {
        const merged = await this.#writeSegment([...vectors].map(([key, vector]) => ({ key, vector })));
        const old = this.#segments;
        this.#segments = [merged];
        await Promise.all(old.map((name) => rm(join(this.dir, name), { force: true })));
      } else {
        this.#segments.push(await this.#writeSegment(added));
      }
    } catch (error) {
      this.#log.warn('sentence vectors not written', { dir: this.dir, error: errorMessage(error) });
    }
  }

  async #writeSegment(entries: readonly StoredVector[]): Promise<string> {
    const name = `vectors-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.bin`;
    const file = join(this.dir, name);
    const partial = `${file}.${process.pid}.partial`;
    const handle = await open(partial, 'w', 0o600);
    try {
      await handle.writeFile(await encodeSegment(this.#dims, entries));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
    // The rename itself reaches the disk with the directory's own fsync.
    const dir = await open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
    return name;
  }

  #load(): Promise<Map<string, Float32Array>> {
    this.#vectors ??= this.#readAll();
    return this.#vectors;
  }

  async #readAll(): Promise<Map<string, Float32Array>> {
    const vectors = new Map<string, Float32Array>();
    let names: string[] = [];
    try {
      names = (await readdir(this.dir)).filter((name) => SEGMENT.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#log.warn('sentence vectors not readable', { dir: this.dir, error: errorMessage(error) });
    }
    for (const name of names) {
      const file = join(this.dir, name);
      try {
        for (const e of await decodeSegment(await readFile(file), this.#dims)) vectors.set(e.key, e.vector);
        this.#segments.push(name);
      } catch (error) {
        // Another process may have merged it away meanwhile; otherwise it is damaged.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        this.#log.warn('sentence vector file is damaged; removed', { file, error: errorMessage(error) });
        await rm(file, { force: true });
      }
    }
    return vectors;
  }
}

/** Where the bot keeps the phrasings' sentence vectors in its data directory. */
export function sentenceVectorDir(dataDir: string, modelId: string): string {
  return join(dataDir, 'sentence-vectors', modelId.replace(/[^0-9A-Za-z.-]/g, '_'));
}

/** Entries copied between two turns of the event loop (10k in one go held it for 60–90 ms). */
const ENTRIES_PER_TURN = 1024;

export async function encodeSegment(dims: number, entries: readonly StoredVector[]): Promise<Buffer> {
  // The header, the keys, then the vectors one after the other: read back as one copy and views into it.
  const bytes = Buffer.alloc(HEADER_BYTES + entries.length * (KEY_BYTES + 4 * dims));
  const body = bytes.subarray(HEADER_BYTES);
  const vectorsAt = entries.length * KEY_BYTES;
  for (const [i, e] of entries.entries()) {
    body.write(e.key, i * KEY_BYTES, KEY_BYTES, 'hex');
    Buffer.from(e.vector.buffer, e.vector.byteOffset, 4 * dims).copy(body, vectorsAt + i * 4 * dims);
    if (i % ENTRIES_PER_TURN === ENTRIES_PER_TURN - 1) await nextTurn();
  }
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(FORMAT, 4);
  bytes.writeUInt32LE(dims, 8);
  bytes.writeUInt32LE(entries.length, 12);
  (await sha256InTurns(body)).copy(bytes, 16);
  return bytes;
}

/** The vectors of a segment file; throws when it is not one, is damaged, or has other dimensions. */
export async function decodeSegment(bytes: Buffer, dims: number): Promise<StoredVector[]> {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== MAGIC)
    throw new ConfigError('damaged_file', 'not a sentence vector file');
  if (bytes.readUInt32LE(4) !== FORMAT || bytes.readUInt32LE(8) !== dims)
    throw new ConfigError('damaged_file', 'sentence vector file of another format');
  const count = bytes.readUInt32LE(12);
  const body = bytes.subarray(HEADER_BYTES);
  if (body.length !== count * (KEY_BYTES + 4 * dims))
    throw new ConfigError('damaged_file', 'sentence vector file cut short');
  if (!(await sha256InTurns(body)).equals(bytes.subarray(16, HEADER_BYTES)))
    throw new ConfigError('damaged_file', 'checksum mismatch');
  const vectorsAt = count * KEY_BYTES;
  // The vectors are read where they lie in the file's bytes when those are 4-byte aligned: no
  // second copy (20 MB for 10k vectors) beside the file's while it is read.
  const at = body.byteOffset + vectorsAt;
  const all =
    at % 4 === 0
      ? new Float32Array(body.buffer, at, count * dims)
      : new Float32Array(new Uint8Array(body.subarray(vectorsAt)).buffer);
  const out: StoredVector[] = [];
  for (let i = 0; i < count; i++) {
    const key = body.toString('hex', i * KEY_BYTES, (i + 1) * KEY_BYTES);
    out.push({ key, vector: all.subarray(i * dims, (i + 1) * dims) });
    if (i % ENTRIES_PER_TURN === ENTRIES_PER_TURN - 1) await nextTurn();
  }
  return out;
}

/** SHA-256 of `bytes`, hashed 2 MB at a time with a turn of the event loop between (20 MB: ~40 ms). */
async function sha256InTurns(bytes: Buffer): Promise<Buffer> {
  const hash = createHash('sha256');
  const step = 2 * 1024 * 1024;
  for (let at = 0; at < bytes.length; at += step) {
    hash.update(bytes.subarray(at, at + step));
    if (at + step < bytes.length) await nextTurn();
  }
  return hash.digest();
}
