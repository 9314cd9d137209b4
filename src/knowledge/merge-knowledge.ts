import type { FaqEntry } from '../core/faq-entry.ts';
import type { Language } from '../core/language.ts';
import type { KnowledgeSnapshot } from '../core/ports.ts';
import { entryKey } from './check-faq-draft.ts';

/** file: as shipped; store: saved by an admin; retired: removed by an admin (hides a file entry). */
export type EntryOrigin = 'file' | 'store' | 'retired';

export interface MergedKnowledge {
  /** What the bot answers from: shipped entries, replaced or hidden by admin edits, plus new ones. */
  entries: FaqEntry[];
  /** Origin per `language/id`, retired ones included. */
  origins: Map<string, EntryOrigin>;
}

/**
 * Lays the admin edits over the shipped files. A saved entry replaces the file entry with the
 * same id and language in place (so the order stays stable); a removed one hides it.
 */
export function mergeKnowledge(shipped: readonly FaqEntry[], snapshot: KnowledgeSnapshot): MergedKnowledge {
  const saved = new Map(snapshot.entries.map((e) => [entryKey(e.id, e.language), e]));
  const removed = new Set(snapshot.removed.map((r) => entryKey(r.id, r.language)));
  const origins = new Map<string, EntryOrigin>();
  const entries: FaqEntry[] = [];
  for (const file of shipped) {
    const key = entryKey(file.id, file.language);
    if (origins.has(key)) continue;
    const edit = saved.get(key);
    if (edit) {
      entries.push(edit);
      origins.set(key, 'store');
    } else if (removed.has(key)) {
      origins.set(key, 'retired');
    } else {
      entries.push(file);
      origins.set(key, 'file');
    }
  }
  for (const [key, edit] of saved) {
    if (origins.has(key)) continue;
    entries.push(edit);
    origins.set(key, 'store');
  }
  for (const key of removed) if (!origins.has(key)) origins.set(key, 'retired');
  return { entries, origins };
}

export function findEntry(
  entries: readonly FaqEntry[],
  id: string,
  language: Language,
): FaqEntry | undefined {
  return entries.find((e) => e.id === id && e.language === language);
}
