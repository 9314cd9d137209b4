import type { FaqEntry } from '../core/faq-entry.ts';
import type { FaqEntryDraft } from './check-faq-draft.ts';

const MAX_PHRASING_LENGTH = 300;

/** The editable part of an entry, as a draft. */
export function draftOf(entry: FaqEntry): FaqEntryDraft {
  const { source: _source, updated: _updated, ...draft } = entry;
  return draft;
}

export function sameContent(a: FaqEntry, b: FaqEntry): boolean {
  // Fixed field order: entries read from files, stores and requests list their keys differently.
  const canonical = (e: FaqEntry) =>
    JSON.stringify([
      e.id,
      e.language,
      e.title,
      e.questions,
      e.tags,
      e.queue,
      e.billable,
      e.related,
      e.answer,
    ]);
  return canonical(a) === canonical(b);
}

/** A long question still teaches the matcher through its first words. */
export function clipPhrasing(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= MAX_PHRASING_LENGTH) return clean;
  const cut = clean.slice(0, MAX_PHRASING_LENGTH);
  const space = cut.lastIndexOf(' ');
  return (space > MAX_PHRASING_LENGTH / 2 ? cut.slice(0, space) : cut).trim();
}
