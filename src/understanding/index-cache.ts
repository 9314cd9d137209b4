import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { ConfigError } from '../core/errors.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import { IntentRanker, type IntentRankerSnapshot } from './intent-ranker.ts';
import { type RankerOptions, rankerSettings } from './ranker-options.ts';
import type { LabelledText } from './ranker-types.ts';

/** File layout: "SBIX", format (uint32 LE), SHA-256 of the payload, the payload (v8.serialize). */
const MAGIC = 'SBIX';
const FORMAT = 1;
const HEADER_BYTES = 4 + 4 + 32;
/** Builds kept (the most recently used): the shipped knowledge and a few versions with admin edits. */
const DEFAULT_KEEP = 4;
const FILE_NAME = /^index-[0-9a-f]{64}\.bin$/;

interface CacheFilePayload {
  key: string;
  snapshot: IntentRankerSnapshot;
}

/**
 * The built index (IntentRanker) kept as a file in DATA_DIR, so a start or `support-bot ask` with
 * unchanged knowledge restores it in milliseconds instead of training it again (most of a second
 * on the default knowledge, longer on a busy machine). The file is named by a hash of all the
 * build depends on: the phrasings (knowledge and intents), the ranker's settings, the word-vector
 * files, the code of src/understanding/ and the Node version; a change of any of them means
 * another file, so a cached index never answers differently from a freshly built one. A file that
 * fails its checksum or cannot be restored is removed, logged and rebuilt.
 *
 * Own code rather than a caching library: the value is our ranker's typed arrays and maps, which
 * Node's own structured serialisation (node:v8) writes and reads as they are.
 */
export class IndexCache {
  readonly dir: string;
  readonly #log: Logger;
  readonly #keep: number;
  #restored = 0;

  constructor(options: { dir: string; log?: Logger | undefined; keep?: number | undefined }) {
    this.dir = options.dir;
    this.#log = options.log ?? silentLogger;
    this.#keep = Math.max(1, options.keep ?? DEFAULT_KEEP);
  }

  /**
   * The ranker for these phrasings: restored from the cache when it holds one for them, otherwise
   * `train()`ed and then stored. `train` may give up (undefined: a newer build superseded it).
   */
  async ranker<T extends IntentRanker | undefined>(
    phrasings: readonly LabelledText[],
    options: Partial<RankerOptions>,
    train: () => T | Promise<T>,
  ): Promise<IntentRanker | T> {
    const found = await this.lookup(phrasings, options);
    if (found.cached) return found.cached;
    const ranker = await train();
    if (ranker) await found.keep(ranker);
    return ranker;
  }

  /**
   * The ranker kept for these phrasings and options, if any, and how to keep one trained afresh
   * on them (never a warm-started one: see Understanding). The key is hashed once for both.
   */
  async lookup(
    phrasings: readonly LabelledText[],
    options: Partial<RankerOptions>,
  ): Promise<{ cached: IntentRanker | undefined; keep(ranker: IntentRanker): Promise<void> }> {
    const settings = rankerSettings(options);
    const key = buildKey(phrasings, settings);
    if (key === undefined) return { cached: undefined, keep: async () => {} };
    return { cached: await this.#read(key, settings), keep: (ranker) => this.#write(key, ranker) };
  }

  /** How many indexes this cache restored instead of having them trained. */
  get restored(): number {
    return this.#restored;
  }

  /** The file a build of this key is kept in. */
  fileOf(key: string): string {
    return join(this.dir, `index-${key}.bin`);
  }

  async #read(key: string, settings: RankerOptions): Promise<IntentRanker | undefined> {
    const file = this.fileOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#log.warn('index cache not readable; building the index', { file, error: errorMessage(error) });
      return undefined;
    }
    try {
      const ranker = IntentRanker.restore(decodeCacheFile(bytes, key), settings);
      this.#restored++;
      this.#log.debug('index restored from cache', { file });
      // Most recently used last to go when the cache is pruned.
      const now = new Date();
      await utimes(file, now, now).catch((error: unknown) =>
        this.#log.debug('index cache file not touched', { file, error: errorMessage(error) }),
      );
      return ranker;
    } catch (error) {
      this.#log.warn('index cache file is damaged; building the index again', {
        file,
        error: errorMessage(error),
      });
      await rm(file, { force: true });
      return undefined;
    }
  }

  async #write(key: string, ranker: IntentRanker): Promise<void> {
    const file = this.fileOf(key);
    // Written aside and renamed: a reader (another process) never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    let started = false;
    try {
      await mkdir(this.dir, { recursive: true });
      started = true;
      await writeFile(partial, encodeCacheFile({ key, snapshot: ranker.snapshot() }));
      await rename(partial, file);
      await this.#prune(file);
    } catch (error) {
      this.#log.warn('index cache not written', { file, error: errorMessage(error) });
      if (started) await rm(partial, { force: true });
    }
  }

  /** Removes all but the `keep` most recently used builds. */
  async #prune(keptFile: string): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => FILE_NAME.test(name));
    if (names.length <= this.#keep) return;
    const files = await Promise.all(
      names.map(async (name) => {
        const path = join(this.dir, name);
        const used = await stat(path).then(
          (s) => s.mtimeMs,
          () => 0,
        );
        return { path, used: path === keptFile ? Number.POSITIVE_INFINITY : used };
      }),
    );
    files.sort((a, b) => b.used - a.used);
    await Promise.all(files.slice(this.#keep).map((f) => rm(f.path, { force: true })));
  }
}

/** Where the bot keeps its built indexes in its data directory. */
export function indexCacheDir(dataDir: string): string {
  return join(dataDir, 'index-cache');
}

/** Encodes what `decodeCacheFile` reads. */
export function encodeCacheFile(payload: CacheFilePayload): Buffer {
  const body = serialize(payload);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT, 4);
  createHash('sha256').update(body).digest().copy(header, 8);
  return Buffer.concat([header, body]);
}

/** The snapshot in a cache file; throws when the file is not one, is damaged, or is of another key. */
export function decodeCacheFile(bytes: Buffer, key: string): IntentRankerSnapshot {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== MAGIC)
    throw new ConfigError('damaged_file', 'not an index cache file');
  if (bytes.readUInt32LE(4) !== FORMAT)
    throw new ConfigError('damaged_file', 'index cache file of another format');
  const body = bytes.subarray(HEADER_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(8, HEADER_BYTES)))
    throw new ConfigError('damaged_file', 'checksum mismatch');
  const payload = deserialize(body) as Partial<CacheFilePayload> | null;
  if (payload?.key !== key || typeof payload.snapshot !== 'object' || payload.snapshot === null)
    throw new ConfigError('damaged_file', 'index cache file of another build');
  return payload.snapshot;
}

/**
 * Hash of everything a build depends on; undefined when a vector table has no known source file
 * (vectors made in memory), since then two builds could not be told apart.
 */
export function buildKey(phrasings: readonly LabelledText[], settings: RankerOptions): string | undefined {
  // The synonyms are read at query time only: the index does not depend on them.
  const { wordVectors, sentenceVectors, germanSynonyms: _queryTimeOnly, ...rest } = settings;
  if ((wordVectors && !wordVectors.source) || (sentenceVectors && !sentenceVectors.source)) return undefined;
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      format: FORMAT,
      code: codeVersion(),
      node: process.version,
      settings: rest,
      wordVectors: wordVectors?.source ?? null,
      sentenceVectors: sentenceVectors?.source ?? null,
    }),
  );
  for (const p of phrasings) hash.update(JSON.stringify([p.label, p.text, p.language ?? null]));
  return hash.digest('hex');
}

let code: string | undefined;

/** Hash of the understanding code (this folder) and the stemmer it uses: what turns phrasings into an index. */
function codeVersion(): string {
  if (code !== undefined) return code;
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((n) => /\.[cm]?[jt]s$/.test(n))
    .sort())
    hash.update(name).update(readFileSync(join(dir, name)));
  const stemmer = createRequire(import.meta.url)('snowball-stemmers/package.json') as { version: string };
  hash.update(`snowball-stemmers ${stemmer.version}`);
  code = hash.digest('hex');
  return code;
}
