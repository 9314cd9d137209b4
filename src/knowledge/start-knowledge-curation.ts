import { type FSWatcher, watch } from 'node:fs';
import type { Clock } from '../core/clock.ts';
import { ValidationFailedError } from '../core/errors.ts';
import type { FaqEntry } from '../core/faq-entry.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import { type CurationStores, KnowledgeCuration, type KnowledgeIndex } from './knowledge-curation.ts';
import { loadKnowledge } from './load-knowledge.ts';

export interface StartKnowledgeCurationOptions {
  /** The Understanding (its entries at start are taken as the shipped files). */
  understanding: KnowledgeIndex & { readonly knowledge: { all(): FaqEntry[] } };
  stores: CurationStores;
  /** KNOWLEDGE_DIR: reloaded when its files change, with the admin edits kept on top. */
  knowledgeDir?: string | undefined;
  log?: Logger | undefined;
  clock?: Clock | undefined;
  /**
   * How often to re-read the store besides change notifications. Redis pub/sub does not replay
   * a message a process missed while disconnected; this bounds how long it stays behind.
   * Default 60 s; 0 turns it off.
   */
  pollMs?: number | undefined;
  /** Wait this long after the last file event before reloading. Default 300 ms. */
  debounceMs?: number | undefined;
}

export interface RunningCuration {
  curation: KnowledgeCuration;
  stop(): void;
}

/**
 * Starts the run-time FAQ curation for the bot: applies the stored admin edits to the
 * Understanding, follows edits made by other processes, and reloads the knowledge files when
 * they change. Use it instead of `watchKnowledge(understanding, dir)`, which would drop the admin edits.
 */
export async function startKnowledgeCuration(
  options: StartKnowledgeCurationOptions,
): Promise<RunningCuration> {
  const log = options.log ?? silentLogger;
  const curation = new KnowledgeCuration({
    index: options.understanding,
    stores: options.stores,
    shipped: options.understanding.knowledge.all(),
    clock: options.clock,
    log,
  });
  await curation.start();

  const stopWatching = options.knowledgeDir
    ? watchKnowledgeFiles(options.knowledgeDir, curation, log, options.debounceMs ?? 300)
    : () => {};

  const pollMs = options.pollMs ?? 60_000;
  const poll =
    pollMs > 0
      ? setInterval(() => {
          curation
            .refresh()
            .catch((error: unknown) => log.warn('knowledge poll failed', { error: errorMessage(error) }));
        }, pollMs)
      : undefined;
  poll?.unref();

  return {
    curation,
    stop() {
      if (poll) clearInterval(poll);
      stopWatching();
      curation.stop();
    },
  };
}

function watchKnowledgeFiles(
  dir: string,
  curation: KnowledgeCuration,
  log: Logger,
  debounceMs: number,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const reload = async () => {
    try {
      const entries = await loadKnowledge(dir);
      if (stopped) return;
      await curation.replaceShipped(entries);
      log.info('knowledge files reloaded', { entries: entries.length, dir });
    } catch (error) {
      if (error instanceof ValidationFailedError) {
        log.warn('knowledge file change rejected, keeping the previous files', {
          dir,
          problems: error.problems,
        });
      } else {
        log.error('knowledge file reload failed', { dir, error: errorMessage(error) });
      }
    }
  };
  const watcher: FSWatcher = watch(dir, { recursive: true }, () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  watcher.on('error', (error) => log.error('knowledge watch failed', { error: errorMessage(error) }));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
