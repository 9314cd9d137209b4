import type { FaqEntry } from '../core/faq-entry.ts';
import { LANGUAGES, type Language } from '../core/language.ts';
import type { KnowledgeRevision, UnansweredQuestion } from '../core/ports.ts';
import { type CurationProblem, entryKey } from './check-faq-draft.ts';
import type { EntryOrigin, MergedKnowledge } from './merge-knowledge.ts';

// What KnowledgeCuration's operations answer: a value for every expected outcome, refusals included.

/** Who made a change and why (the reason goes into the audit log). */
export interface KnowledgeChange {
  actor: string;
  reason?: string | undefined;
}

export type CurationErrorCode =
  | 'invalid_entry'
  | 'entry_not_found'
  | 'entry_referenced'
  | 'question_not_found'
  | 'ticket_not_found'
  | 'invalid_suggestion';

/** An edit that was refused; nothing of it was stored. */
export interface CurationFailure {
  ok: false;
  code: CurationErrorCode;
  problems: CurationProblem[];
}

export type SaveOutcome =
  | {
      ok: true;
      entry: FaqEntry;
      created: boolean;
      /** False when the entry already read exactly like this: no new version was made. */
      changed: boolean;
      revision?: KnowledgeRevision | undefined;
    }
  | CurationFailure;

export type RetireOutcome = { ok: true; revision: KnowledgeRevision } | CurationFailure;

export type SuggestOutcome = { ok: true; question: UnansweredQuestion } | CurationFailure;

export type AnswerOutcome =
  | { ok: true; question: UnansweredQuestion; entry: FaqEntry; added: boolean }
  | CurationFailure;

export type ExportOutcome = { ok: true; path: string; text: string } | CurationFailure;

export interface EntryLanguageView {
  origin: EntryOrigin;
  /** What the bot answers with now; absent when retired. */
  entry?: FaqEntry | undefined;
  /** The knowledge file's version, when there is one. */
  shipped?: FaqEntry | undefined;
  /** Admin changes, newest first. */
  history: KnowledgeRevision[];
}

export interface EntryView {
  id: string;
  languages: Partial<Record<Language, EntryLanguageView>>;
}

/** The refusal for an entry that is not answered in this language, saying why when it can. */
export function entryNotFound(id: string, language: Language, merged: MergedKnowledge): CurationFailure {
  const origin = merged.origins.get(entryKey(id, language));
  const other = LANGUAGES.find((l) => l !== language && merged.origins.get(entryKey(id, l)) !== undefined);
  let message = `no entry "${id}" in ${language}`;
  if (origin === 'retired') message = `"${id}" (${language}) is retired`;
  else if (other && merged.entries.some((e) => e.id === id))
    message += ` (it exists in ${other}: add the ${language} version first)`;
  return { ok: false, code: 'entry_not_found', problems: [{ field: 'id', message }] };
}
