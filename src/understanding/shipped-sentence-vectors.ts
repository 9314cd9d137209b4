import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import {
  decodeSegment,
  SentenceVectorFile,
  type SentenceVectorStore,
  sentenceVectorDir,
} from './sentence-vector-cache.ts';

/**
 * The sentence vectors of the shipped knowledge's English phrasings, made by
 * `npx tsx scripts/build-shipped-sentence-vectors.ts` (a test checks it matches `knowledge/`):
 * so a fresh `npm start` embeds none of them, in the same segment format as DATA_DIR's files.
 */
export const SHIPPED_SENTENCE_VECTORS = fileURLToPath(
  new URL('./word-vectors/default-knowledge-sentences.bin', import.meta.url),
);

/**
 * A read-only store over the shipped file: vectors of the same text under the same model are the
 * same whatever knowledge base they came from, so a team's own knowledge reuses what it shares
 * with the default. Writes go to the other stores only. A missing or damaged file is a miss.
 */
export class ShippedSentenceVectors implements SentenceVectorStore {
  readonly #file: string;
  readonly #dims: number;
  readonly #log: Logger;
  #vectors: Promise<Map<string, Float32Array>> | undefined;

  constructor(options: { dims: number; file?: string | undefined; log?: Logger | undefined }) {
    this.#file = options.file ?? SHIPPED_SENTENCE_VECTORS;
    this.#dims = options.dims;
    this.#log = options.log ?? silentLogger;
  }

  async read(keys: readonly string[]): Promise<(Float32Array | undefined)[]> {
    this.#vectors ??= this.#readAll();
    const vectors = await this.#vectors;
    return keys.map((key) => vectors.get(key));
  }

  async write(): Promise<void> {}

  async #readAll(): Promise<Map<string, Float32Array>> {
    try {
      const entries = await decodeSegment(await readFile(this.#file), this.#dims);
      return new Map(entries.map((e) => [e.key, e.vector]));
    } catch (error) {
      this.#log.warn('shipped sentence vectors not read; the phrasings are embedded instead', {
        file: this.#file,
        error: errorMessage(error),
      });
      return new Map();
    }
  }
}

/**
 * The stores on this machine, in the order a build asks them: the shipped vectors, then those
 * kept in `dataDir` (when given) under the model's own folder.
 */
export function localSentenceVectorStores(options: {
  dims: number;
  modelId: string;
  dataDir?: string | undefined;
  log?: Logger | undefined;
}): SentenceVectorStore[] {
  const { dims, log } = options;
  const stores: SentenceVectorStore[] = [new ShippedSentenceVectors({ dims, log })];
  if (options.dataDir) {
    stores.push(
      new SentenceVectorFile({ dir: sentenceVectorDir(options.dataDir, options.modelId), dims, log }),
    );
  }
  return stores;
}
