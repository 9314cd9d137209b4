import { type FSWatcher, watch as watchFiles } from 'node:fs';
import { ValidationFailedError } from '../core/errors.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import { loadKnowledge } from '../knowledge/load-knowledge.ts';
import type { Understanding } from './understanding.ts';

export interface WatchOptions {
  logger?: Logger;
  debounceMs?: number;
  /** Called after each reload attempt: the problems when the new files were rejected. */
  onReload?: (outcome: { ok: true; entries: number } | { ok: false; error: ValidationFailedError }) => void;
}

/**
 * Reloads the knowledge when files under `knowledgeDir` change (debounced). A broken file keeps
 * the old index and logs every problem. Returns a function that stops watching.
 */
export function watchKnowledge(
  understanding: Understanding,
  knowledgeDir: string,
  options: WatchOptions = {},
): () => void {
  const logger = options.logger ?? silentLogger;
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const reload = async () => {
    try {
      const entries = await loadKnowledge(knowledgeDir);
      if (stopped) return;
      // A superseded reload is followed by a newer one, which reports.
      if ((await understanding.replaceEntriesAsync(entries)) === 'superseded') return;
      logger.info('knowledge reloaded', { entries: entries.length, dir: knowledgeDir });
      options.onReload?.({ ok: true, entries: entries.length });
    } catch (error) {
      if (error instanceof ValidationFailedError) {
        logger.warn('knowledge change rejected, keeping the previous version', {
          dir: knowledgeDir,
          problems: error.problems,
        });
        options.onReload?.({ ok: false, error });
      } else {
        logger.error('knowledge reload failed', { dir: knowledgeDir, error: errorMessage(error) });
      }
    }
  };
  const watcher: FSWatcher = watchFiles(knowledgeDir, { recursive: true }, () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  watcher.on('error', (error) => logger.error('knowledge watch failed', { error: errorMessage(error) }));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    watcher.close();
  };
}
