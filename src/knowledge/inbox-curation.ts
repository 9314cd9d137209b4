import type { Clock } from '../core/clock.ts';
import type { Language } from '../core/language.ts';
import type { Stores, UnansweredQuestion } from '../core/ports.ts';
import { type CurationProblem, entryKey, type FaqEntryDraft, phrasingKey } from './check-faq-draft.ts';
import type { CurationFailure, KnowledgeChange } from './curation-outcome.ts';
import { clipPhrasing, draftOf } from './entry-draft.ts';
import type { KnowledgeCuration } from './knowledge-curation.ts';
import { findEntry } from './merge-knowledge.ts';

export type InboxOutcome = { ok: true; questions: number; entryId?: string | undefined } | CurationFailure;

/**
 * What a curator does with a group of inbox questions: teach an existing entry their wordings,
 * make a new entry of them, or ignore them. The questions are closed, the audit log says who did
 * what, and the tuning learns the right answer (the entry, or none).
 */
export class InboxCuration {
  constructor(
    private readonly curation: Pick<KnowledgeCuration, 'save' | 'entries'>,
    private readonly stores: Pick<Stores, 'unanswered' | 'questions' | 'audit'>,
    private readonly clock: Clock,
  ) {}

  /** The questions' wordings become phrasings of the entry, one new version per language. */
  async addWordings(
    questionIds: readonly string[],
    entryId: string,
    change: KnowledgeChange,
  ): Promise<InboxOutcome> {
    const found = await this.openQuestions(questionIds);
    if (!found.ok) return found;
    const byLanguage = new Map<Language, string[]>();
    for (const q of found.questions)
      byLanguage.set(q.language, [...(byLanguage.get(q.language) ?? []), q.text]);
    const entries = this.curation.entries();
    const problems: CurationProblem[] = [];
    const drafts: FaqEntryDraft[] = [];
    for (const [language, texts] of byLanguage) {
      const entry = findEntry(entries, entryId, language);
      if (!entry) {
        problems.push({
          field: 'entryId',
          message: `no entry "${entryId}" in ${language}: add the ${language} version first`,
        });
        continue;
      }
      const questions = [...entry.questions];
      const known = new Set(questions.map(phrasingKey));
      for (const text of texts) {
        const phrasing = clipPhrasing(text);
        if (phrasing.length < 2 || known.has(phrasingKey(phrasing))) continue;
        known.add(phrasingKey(phrasing));
        questions.push(phrasing);
      }
      if (questions.length > entry.questions.length) drafts.push({ ...draftOf(entry), questions });
    }
    if (problems.length > 0) return { ok: false, code: 'entry_not_found', problems };
    for (const draft of drafts) {
      const saved = await this.curation.save(draft, change);
      if (!saved.ok) return saved;
    }
    await this.close(found.questions, 'answered', entryId, change, 'inbox.merge', entryId);
    return { ok: true, questions: found.questions.length, entryId };
  }

  /** A new entry made from the group (the console pre-fills it); the questions are answered by it. */
  async createEntry(
    questionIds: readonly string[],
    draft: FaqEntryDraft | Readonly<Record<string, unknown>>,
    change: KnowledgeChange,
  ): Promise<InboxOutcome> {
    const found = await this.openQuestions(questionIds);
    if (!found.ok) return found;
    const saved = await this.curation.save(draft, change);
    if (!saved.ok) return saved;
    const key = entryKey(saved.entry.id, saved.entry.language);
    await this.close(found.questions, 'answered', saved.entry.id, change, 'inbox.create', key);
    return { ok: true, questions: found.questions.length, entryId: saved.entry.id };
  }

  /** Not for the FAQ: the questions are dismissed; the bot was right not to answer them. */
  async ignore(questionIds: readonly string[], change: KnowledgeChange): Promise<InboxOutcome> {
    const found = await this.openQuestions(questionIds);
    if (!found.ok) return found;
    await this.close(found.questions, 'dismissed', null, change, 'inbox.ignore', undefined);
    return { ok: true, questions: found.questions.length };
  }

  private async openQuestions(
    ids: readonly string[],
  ): Promise<{ ok: true; questions: UnansweredQuestion[] } | CurationFailure> {
    const all = new Map((await this.stores.unanswered.list('open')).map((q) => [q.id, q]));
    const missing = ids.filter((id) => !all.has(id));
    if (ids.length === 0 || missing.length > 0) {
      return {
        ok: false,
        code: 'question_not_found',
        problems: [
          {
            field: 'questionIds',
            message: missing.length > 0 ? `not open: ${missing.join(', ')}` : 'name the questions',
          },
        ],
      };
    }
    return { ok: true, questions: ids.map((id) => all.get(id) as UnansweredQuestion) };
  }

  private async close(
    questions: readonly UnansweredQuestion[],
    status: 'answered' | 'dismissed',
    right: string | null,
    change: KnowledgeChange,
    action: string,
    about: string | undefined,
  ): Promise<void> {
    const at = this.clock.now();
    for (const q of questions) {
      await this.stores.unanswered.setStatus(q.id, status);
      await this.stores.questions.addOutcome({
        at,
        conversationId: q.conversationId,
        text: q.text,
        right,
        by: 'curator',
      });
    }
    await this.stores.audit.append({
      at,
      actor: change.actor,
      action,
      target: questions.map((q) => q.id).join(', '),
      detail: [about, change.reason].filter(Boolean).join('; ') || undefined,
      before: { status: 'open' },
      after: { status, ...(right ? { entry: right } : {}) },
    });
  }
}
