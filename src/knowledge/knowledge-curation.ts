import { type Clock, systemClock } from '../core/clock.ts';
import type { FaqEntry } from '../core/faq-entry.ts';
import { LANGUAGES, type Language } from '../core/language.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { KnowledgeRevision, KnowledgeSnapshot, Stores } from '../core/ports.ts';
import {
  type CurationProblem,
  checkFaqDraft,
  dayOf,
  entryKey,
  type FaqEntryDraft,
  phrasingKey,
  STORE_SOURCE,
} from './check-faq-draft.ts';
import {
  type AnswerOutcome,
  type EntryView,
  type ExportOutcome,
  entryNotFound,
  type KnowledgeChange,
  type RetireOutcome,
  type SaveOutcome,
  type SuggestOutcome,
} from './curation-outcome.ts';
import { clipPhrasing, draftOf, sameContent } from './entry-draft.ts';
import { formatKnowledgeFile, knowledgeFilePath } from './format-knowledge-file.ts';
import { auditKnowledgeChange } from './knowledge-audit.ts';
import { checkKnowledge } from './load-knowledge.ts';
import { findEntry, type MergedKnowledge, mergeKnowledge } from './merge-knowledge.ts';
import { type AgentReplySuggestion, suggestFromAgentReply } from './suggest-from-agent-reply.ts';
import { type ImportInput, type ImportOptions, readFaqImport } from './transfer/faq-transfer.ts';
import type { TransferProblem } from './transfer/transfer-problem.ts';

export type FaqImportOptions = Pick<ImportOptions, 'language' | 'detectLanguage'>;

export type ImportOutcome =
  | { ok: true; created: number; replaced: number; version: number }
  | { ok: false; problems: TransferProblem[] };

/**
 * What the curation rebuilds on every change: the Understanding's index. The rebuild must leave
 * the event loop free (it runs while the bot answers); a later rebuild supersedes an earlier one.
 */
export interface KnowledgeIndex {
  /** Resolves once the new entries are answered (maybe from a quick index, see settled). */
  replaceEntriesAsync(entries: FaqEntry[]): Promise<'replaced' | 'superseded'>;
  /** Resolves once the index trained afresh replaced a quick one. */
  settled(): Promise<'replaced' | 'superseded'>;
}

export type CurationStores = Pick<Stores, 'knowledge' | 'unanswered' | 'audit' | 'tickets'>;

export interface KnowledgeCurationOptions {
  index: KnowledgeIndex;
  stores: CurationStores;
  /** The entries of the knowledge files, without admin edits. */
  shipped: readonly FaqEntry[];
  clock?: Clock | undefined;
  log?: Logger | undefined;
}

const EMPTY_SNAPSHOT: KnowledgeSnapshot = { version: 0, entries: [], removed: [] };

/**
 * Run-time FAQ curation. Admin edits live in the KnowledgeStore, versioned, on top of the
 * knowledge files; the effective entries are rebuilt into the index after every change, in this
 * process at once and in every other process through the store's change notification.
 * Each edit is checked completely first and either stored whole or refused with every problem.
 */
export class KnowledgeCuration {
  readonly #index: KnowledgeIndex;
  readonly #stores: CurationStores;
  readonly #clock: Clock;
  readonly #log: Logger;
  #shipped: readonly FaqEntry[];
  #shippedChanged = false;
  #snapshot: KnowledgeSnapshot = EMPTY_SNAPSHOT;
  #merged: MergedKnowledge;
  #refreshing: Promise<void> = Promise.resolve();
  #editing: Promise<unknown> = Promise.resolve();
  #unsubscribe: (() => void) | undefined;

  constructor(options: KnowledgeCurationOptions) {
    this.#index = options.index;
    this.#stores = options.stores;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#shipped = [...options.shipped];
    this.#merged = mergeKnowledge(this.#shipped, EMPTY_SNAPSHOT);
  }

  /** Loads the stored edits into the index and follows changes made by any process. */
  async start(): Promise<void> {
    this.#unsubscribe ??= this.#stores.knowledge.onChange(() => {
      this.refresh().catch((error: unknown) =>
        this.#log.error('knowledge refresh after a change failed', { error: errorMessage(error) }),
      );
    });
    await this.refresh();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** The knowledge version the index was last built from (0: files only). */
  get version(): number {
    return this.#snapshot.version;
  }

  /** The entries the bot answers from. */
  entries(): FaqEntry[] {
    return [...this.#merged.entries];
  }

  /**
   * Reads the store and rebuilds the index when the knowledge changed since the last build.
   * Calls run one after another, so an older snapshot never replaces a newer one.
   */
  refresh(): Promise<void> {
    const run = this.#refreshing.then(() => this.#reload());
    // The chain must survive a failed read; the failure itself reaches the caller through `run`.
    this.#refreshing = run.catch(() => undefined);
    return run;
  }

  /** New knowledge files (the directory changed): keep the admin edits on top of them. */
  replaceShipped(entries: readonly FaqEntry[]): Promise<void> {
    this.#shipped = [...entries];
    this.#shippedChanged = true;
    return this.refresh();
  }

  /** Every problem a draft has, without storing anything. */
  check(draft: unknown): CurationProblem[] {
    const checked = checkFaqDraft(draft, this.#draftContext(draft));
    return checked.ok ? [] : checked.problems;
  }

  /** Adds or replaces one entry in one language, as a new version. */
  save(
    draft: FaqEntryDraft | Readonly<Record<string, unknown>>,
    change: KnowledgeChange,
  ): Promise<SaveOutcome> {
    return this.#exclusive(async () => {
      await this.refresh();
      return this.#saveChecked(draft, change);
    });
  }

  /** Retires an entry in one language (also a shipped one); a new version without it. */
  retire(id: string, language: Language, change: KnowledgeChange): Promise<RetireOutcome> {
    return this.#exclusive(async (): Promise<RetireOutcome> => {
      await this.refresh();
      const entries = this.#merged.entries;
      if (!findEntry(entries, id, language)) return entryNotFound(id, language, this.#merged);
      const remainsInOtherLanguage = entries.some((e) => e.id === id && e.language !== language);
      if (!remainsInOtherLanguage) {
        const linking = entries.filter((e) => e.id !== id && e.related.includes(id));
        if (linking.length > 0) {
          return {
            ok: false,
            code: 'entry_referenced',
            problems: linking.map((e) => ({
              field: 'related',
              message: `${entryKey(e.id, e.language)} links to "${id}"; remove the link there first`,
            })),
          };
        }
      }
      const retired = findEntry(entries, id, language);
      const revision = await this.#stores.knowledge.remove(id, language, change.actor);
      await this.refresh();
      await this.#audit(change, 'faq.retire', entryKey(id, language), revision.version, undefined, {
        before: retired && draftOf(retired),
      });
      this.#log.info('faq entry retired', { id, language, version: revision.version, actor: change.actor });
      return { ok: true, revision };
    });
  }

  /** Both languages of an entry: what is answered now, the file version, and the admin history. */
  async get(id: string): Promise<EntryView | undefined> {
    await this.refresh();
    const languages: EntryView['languages'] = {};
    for (const language of LANGUAGES) {
      const origin = this.#merged.origins.get(entryKey(id, language));
      const history = await this.#stores.knowledge.history(id, language);
      if (!origin && history.length === 0) continue;
      languages[language] = {
        // An entry with history but no origin was saved and retired before any file had it.
        origin: origin ?? 'retired',
        entry: findEntry(this.#merged.entries, id, language),
        shipped: findEntry(this.#shipped, id, language),
        history,
      };
    }
    return Object.keys(languages).length > 0 ? { id, languages } : undefined;
  }

  history(id: string, language: Language): Promise<KnowledgeRevision[]> {
    return this.#stores.knowledge.history(id, language);
  }

  /**
   * "Save as FAQ" on an agent's reply: files the customer's question with the agent's answer as
   * a proposal in the unanswered-questions inbox, where a curator turns it into an entry.
   */
  suggestFromAgentReply(input: AgentReplySuggestion): Promise<SuggestOutcome> {
    return suggestFromAgentReply(this.#stores, this.#clock, input);
  }

  /**
   * Teaches an existing entry an unanswered question: the question becomes one more phrasing of
   * the entry (in the question's language) and is marked answered.
   */
  answerUnanswered(questionId: string, entryId: string, change: KnowledgeChange): Promise<AnswerOutcome> {
    return this.#exclusive(async (): Promise<AnswerOutcome> => {
      const question = (await this.#stores.unanswered.list()).find((q) => q.id === questionId);
      if (!question) {
        return {
          ok: false,
          code: 'question_not_found',
          problems: [{ field: 'questionId', message: `no unanswered question ${questionId}` }],
        };
      }
      await this.refresh();
      const entry = findEntry(this.#merged.entries, entryId, question.language);
      if (!entry) return entryNotFound(entryId, question.language, this.#merged);
      const phrasing = clipPhrasing(question.text);
      const known = entry.questions.some((q) => phrasingKey(q) === phrasingKey(phrasing));
      let result = entry;
      if (!known) {
        const saved = await this.#saveChecked(
          { ...draftOf(entry), questions: [...entry.questions, phrasing] },
          {
            actor: change.actor,
            reason: change.reason ?? `phrasing from unanswered question ${question.id}`,
          },
        );
        if (!saved.ok) return saved;
        result = saved.entry;
      }
      await this.#stores.unanswered.setStatus(question.id, 'answered');
      await this.#audit(
        change,
        'unanswered.answered',
        question.id,
        undefined,
        entryKey(entryId, question.language),
      );
      return { ok: true, question: { ...question, status: 'answered' }, entry: result, added: !known };
    });
  }

  /**
   * An FAQ from a file (QnA Maker, CSV, JSON, Markdown) as one new version: checked whole against
   * the knowledge it joins; every problem, or every entry saved (same id and language replaced).
   */
  importFaq(input: ImportInput, options: FaqImportOptions, change: KnowledgeChange): Promise<ImportOutcome> {
    return this.#exclusive(async (): Promise<ImportOutcome> => {
      await this.refresh();
      const existing = this.#merged.entries;
      const read = readFaqImport(input, {
        ...options,
        today: dayOf(this.#clock.now()),
        existing,
        sourceOf: () => STORE_SOURCE,
      });
      if (!read.ok) return read;
      const known = new Set(existing.map((e) => entryKey(e.id, e.language)));
      const replaced = read.entries.filter((e) => known.has(entryKey(e.id, e.language))).length;
      const revisions = await this.#stores.knowledge.saveMany(read.entries, change.actor);
      await this.refresh();
      const version = revisions[0]?.version ?? this.version;
      const counts = { created: read.entries.length - replaced, replaced };
      await this.#audit(change, 'faq.import', `${read.entries.length} entries`, version, undefined, {
        before: { entries: existing.length },
        after: { entries: this.#merged.entries.length, ...counts },
      });
      this.#log.info('faq imported', { ...counts, version, actor: change.actor });
      return { ok: true, ...counts, version };
    });
  }

  /** The knowledge file text of the entry as answered now, to commit to knowledge/. */
  exportMarkdown(id: string, language: Language): ExportOutcome {
    const entry = findEntry(this.#merged.entries, id, language);
    if (!entry) return entryNotFound(id, language, this.#merged);
    return { ok: true, path: knowledgeFilePath(entry), text: formatKnowledgeFile(entry) };
  }

  async #saveChecked(
    draft: FaqEntryDraft | Readonly<Record<string, unknown>>,
    change: KnowledgeChange,
  ): Promise<SaveOutcome> {
    const checked = checkFaqDraft(draft, this.#draftContext(draft));
    if (!checked.ok) return { ok: false, code: 'invalid_entry', problems: checked.problems };
    const entry = checked.entry;
    const before = findEntry(this.#merged.entries, entry.id, entry.language);
    if (before && sameContent(before, entry))
      return { ok: true, entry: before, created: false, changed: false };
    const revision = await this.#stores.knowledge.save(entry, change.actor);
    await this.refresh();
    const action = before ? 'faq.edit' : 'faq.add';
    await this.#audit(change, action, entryKey(entry.id, entry.language), revision.version, undefined, {
      before: before && draftOf(before),
      after: draftOf(entry),
    });
    this.#log.info('faq entry saved', {
      id: entry.id,
      language: entry.language,
      version: revision.version,
      actor: change.actor,
    });
    return { ok: true, entry, created: !before, changed: true, revision };
  }

  async #reload(): Promise<void> {
    const snapshot = await this.#stores.knowledge.current();
    // A read that raced with a newer one (or nothing new) changes nothing.
    if (!this.#shippedChanged && snapshot.version <= this.#snapshot.version) return;
    this.#shippedChanged = false;
    const merged = mergeKnowledge(this.#shipped, snapshot);
    const problems = checkKnowledge(merged.entries);
    if (problems.length > 0) {
      // Stored edits were checked when saved; a later file change can still break a link.
      this.#log.warn('knowledge has problems after merging admin edits with the files', { problems });
    }
    const outcome = await this.#index.replaceEntriesAsync(merged.entries);
    this.#index.settled().catch((error: unknown) =>
      this.#log.error('knowledge index not trained afresh; the quick index answers meanwhile', {
        version: snapshot.version,
        error: errorMessage(error),
      }),
    );
    // Superseded: someone else replaced the index meanwhile; the latest replacement stands.
    if (outcome === 'superseded')
      this.#log.warn('knowledge index rebuild superseded', { version: snapshot.version });
    this.#merged = merged;
    this.#snapshot = snapshot;
    this.#log.info('knowledge index rebuilt', { version: snapshot.version, entries: merged.entries.length });
  }

  #draftContext(draft: unknown): { knownIds: Set<string>; today: string } {
    const knownIds = new Set(this.#merged.entries.map((e) => e.id));
    const id = typeof draft === 'object' && draft !== null ? (draft as { id?: unknown }).id : undefined;
    if (typeof id === 'string') knownIds.add(id);
    return { knownIds, today: dayOf(this.#clock.now()) };
  }

  /** Edits in this process run one at a time, so each is checked against the knowledge it changes. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#editing.then(work);
    // The next edit waits for this one whether it worked or not; its outcome goes to its caller.
    this.#editing = run.catch(() => undefined);
    return run;
  }

  #audit(
    change: KnowledgeChange,
    action: string,
    target: string,
    version?: number,
    about?: string,
    values?: { before?: unknown; after?: unknown },
  ): Promise<void> {
    return auditKnowledgeChange(
      this.#stores.audit,
      this.#clock.now(),
      change,
      action,
      target,
      version,
      about,
      values,
    );
  }
}
