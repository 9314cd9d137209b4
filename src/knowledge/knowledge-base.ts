import type { FaqEntry } from '../core/faq-entry.ts';
import type { Language } from '../core/language.ts';

/** The FAQ in memory: entries by id and language, with fallback to the other language. */
export class KnowledgeBase {
  readonly #byId = new Map<string, Partial<Record<Language, FaqEntry>>>();
  readonly #entries: FaqEntry[];

  constructor(entries: readonly FaqEntry[]) {
    this.#entries = [...entries];
    for (const entry of entries) {
      const slot = this.#byId.get(entry.id) ?? {};
      slot[entry.language] ??= entry;
      this.#byId.set(entry.id, slot);
    }
  }

  /** The entry in `language`, or in the other language when it has no translation. */
  get(id: string, language: Language): FaqEntry | undefined {
    const slot = this.#byId.get(id);
    if (!slot) return undefined;
    return slot[language] ?? slot[language === 'de' ? 'en' : 'de'];
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every entry in every language, in load order. */
  all(): FaqEntry[] {
    return [...this.#entries];
  }

  /** Distinct entry ids, sorted. */
  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }

  /** Title of every entry in `language` (falling back to the other language), sorted by id. */
  titles(language: Language): { id: string; title: string }[] {
    return this.ids().flatMap((id) => {
      const entry = this.get(id, language);
      return entry ? [{ id, title: entry.title }] : [];
    });
  }

  get size(): number {
    return this.#byId.size;
  }
}
