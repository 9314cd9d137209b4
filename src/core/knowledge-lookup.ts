import type { Language } from './language.ts';

/** What the engine needs to know of one FAQ entry (a structural subset of FaqEntry). */
export interface KnowledgeEntry {
  id: string;
  language: Language;
  title: string;
  answer: string;
  related: string[];
  queue: string;
  billable: boolean;
}

/** Looks FAQ entries up by id; falls back to the other language when one is missing. */
export interface KnowledgeLookup {
  entry(id: string, language: Language): KnowledgeEntry | undefined;
}
