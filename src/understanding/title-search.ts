import Fuse from 'fuse.js';
import type { FaqEntry } from '../core/faq-entry.ts';
import type { Language } from '../core/language.ts';

export interface TitleHit {
  id: string;
  title: string;
  language: Language;
  /** 1 = exact, 0 = unrelated. */
  score: number;
}

/** Fuzzy search over entry titles (both languages), for admins looking for an entry. */
export function titleSearch(entries: readonly FaqEntry[]): (query: string, limit: number) => TitleHit[] {
  const fuse = new Fuse(
    entries.map((e) => ({ id: e.id, title: e.title, language: e.language, score: 0 })),
    { keys: ['title', 'id'], includeScore: true, ignoreLocation: true, threshold: 0.4 },
  );
  return (query, limit) =>
    fuse.search(query.slice(0, 200), { limit }).map((hit) => ({ ...hit.item, score: 1 - (hit.score ?? 1) }));
}
