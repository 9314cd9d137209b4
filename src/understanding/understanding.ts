import type { FaqEntry } from '../core/faq-entry.ts';
import type { Language } from '../core/language.ts';
import type { Candidate, Matcher, MatchResult } from '../core/match.ts';
import { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { FeatureSpace, type SparseVector } from './feature-space.ts';
import type { IndexCache } from './index-cache.ts';
import { type IntentDefinition, OUT_OF_SCOPE_INTENT } from './intent-definition.ts';
import { IntentRanker } from './intent-ranker.ts';
import { buildPhrasings, FAQ_PREFIX, INTENT_PREFIX } from './label-phrasings.ts';
import { MessageFraming } from './message-framing.ts';
import { type RankerGroundwork, rankerGroundworkSteps } from './ranker-groundwork.ts';
import { DEFAULT_RANKER_OPTIONS, type RankerOptions } from './ranker-options.ts';
import type { LabelledText } from './ranker-types.ts';
import { runStepsAsync } from './run-steps.ts';
import type { SentenceEncoder } from './sentence-encoder.ts';
import { SENTENCE_SETTINGS } from './sentence-index.ts';
import { SentenceMeaning } from './sentence-meaning.ts';
import type { SentenceVectorCache } from './sentence-vector-cache.ts';
import { DEFAULT_FEATURE_OPTIONS } from './text-features.ts';
import { type TitleHit, titleSearch } from './title-search.ts';
import { loadUnderstandingSources, type UnderstandingSources } from './understanding-sources.ts';

const DEFAULT_LIMIT = 5;
/** Candidates the sentence signals may re-order (the right one is among the first ten in 96–99 %). */
const RERANK_POOL = 10;

export type { TitleHit } from './title-search.ts';

/** How an async rebuild ended: done, or abandoned for a later one. */
export type RebuildOutcome = 'replaced' | 'superseded';

/**
 * What the engine and channels ask: which FAQ entry or intent a message means, with calibrated
 * scores. FAQ entries and intents are one label space; the intent `out-of-scope` is a reject
 * class: when it ranks first the result is "no match" (no candidates, marked `outOfScope`),
 * otherwise it is left out.
 */
export class Understanding implements Matcher {
  #knowledge: KnowledgeBase;
  #intents: IntentDefinition[];
  readonly #framing: MessageFraming;
  #ranker: IntentRanker;
  #titleSearch: ((query: string, limit: number) => TitleHit[]) | undefined;
  /** Counts rebuilds started, so an async one can tell that a later one superseded it. */
  #rebuild = 0;
  /** The index trained afresh after the last quick one (see replaceEntriesAsync). */
  #settling: Promise<RebuildOutcome> = Promise.resolve('replaced');
  /** The sentence index's build for the current phrasings (matchAsync answers like match until then). */
  #meaningBuild: Promise<void> = Promise.resolve();
  readonly #rankerOptions: Partial<RankerOptions>;
  /** Where built indexes are kept (DATA_DIR), so unchanged knowledge is not trained again. */
  readonly #cache: IndexCache | undefined;
  /** With SENTENCE_ENCODER=on: English close calls are re-ranked by sentence meaning (matchAsync). */
  #meaning: SentenceMeaning | undefined;
  #sentenceSettings = SENTENCE_SETTINGS;
  /** English messages with two candidates or more that matchAsync saw, and those it embedded. */
  readonly sentenceStats = { asked: 0, embedded: 0 };

  private constructor(
    sources: UnderstandingSources,
    rankerOptions: Partial<RankerOptions>,
    ranker: IntentRanker,
    cache?: IndexCache,
  ) {
    this.#rankerOptions = rankerOptions;
    this.#cache = cache;
    this.#knowledge = new KnowledgeBase(sources.entries);
    this.#intents = [...sources.intents];
    this.#framing = new MessageFraming(this.#intents);
    this.#ranker = ranker;
  }

  /**
   * Loads and validates knowledge/ and intents/ (throws ValidationFailedError listing every
   * problem) and builds the index, or restores it from `cache` when it was built before.
   */
  static async load(opts: {
    knowledgeDir: string;
    intentsDir: string;
    cache?: IndexCache | undefined;
    ranker?: Partial<RankerOptions> | undefined;
  }): Promise<Understanding> {
    return Understanding.build(await loadUnderstandingSources(opts), opts);
  }

  /** Builds the index of loaded sources, or restores it from `cache` when it was built before. */
  static async build(
    sources: UnderstandingSources,
    opts: { cache?: IndexCache | undefined; ranker?: Partial<RankerOptions> | undefined } = {},
  ): Promise<Understanding> {
    const phrasings = buildPhrasings(sources.entries, sources.intents);
    // The vector files and other settings travel with the build (also every rebuild after an edit).
    const options = opts.ranker ?? {};
    const train = () => IntentRanker.train(phrasings, options);
    const ranker = opts.cache ? await opts.cache.ranker(phrasings, options, train) : train();
    return new Understanding(sources, options, ranker, opts.cache);
  }

  static fromData(
    entries: FaqEntry[],
    intents: IntentDefinition[],
    rankerOptions: Partial<RankerOptions> = {},
  ): Understanding {
    const ranker = IntentRanker.train(buildPhrasings(entries, intents), rankerOptions);
    return new Understanding({ entries, intents }, rankerOptions, ranker);
  }

  get knowledge(): KnowledgeBase {
    return this.#knowledge;
  }

  get intents(): readonly IntentDefinition[] {
    return this.#intents;
  }

  /** Number of phrasings (questions, titles, examples) in the index. */
  get phrasingCount(): number {
    return this.#ranker.phrasingCount;
  }

  match(text: string, options: { languageHint?: Language; limit?: number } = {}): MatchResult {
    // The question is ranked, not the greeting or thanks around it.
    const rankedText = this.#framing.core(text);
    const result = this.#rank(rankedText ?? text, options);
    return rankedText === undefined ? result : { ...result, rankedText };
  }

  #rank(text: string, options: { languageHint?: Language; limit?: number }): MatchResult {
    const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
    const { language, ranked, oneWord } = this.#ranker.rank(text, {
      hint: options.languageHint,
      limit: limit + 1,
    });
    const top = ranked[0];
    if (!top) return { language, candidates: [] };
    if (top.label === INTENT_PREFIX + OUT_OF_SCOPE_INTENT)
      return { language, candidates: [], outOfScope: true };
    const candidates: Candidate[] = [];
    for (const r of ranked) {
      if (r.label === INTENT_PREFIX + OUT_OF_SCOPE_INTENT) continue;
      const candidate = this.#candidate(r.label, r.score, language);
      if (candidate) candidates.push(candidate);
      if (candidates.length >= limit) break;
    }
    if (oneWord) {
      // One word that several entries use ("VPN") says too little for one answer.
      const using = ranked.filter((r) => r.usesTheWord && r.label.startsWith(FAQ_PREFIX));
      if (using.length >= 2)
        return { language, candidates, broad: using.map((r) => r.label.slice(FAQ_PREFIX.length)) };
    }
    return { language, candidates };
  }

  /**
   * `match`, then for an English close call (a lead below SENTENCE_SETTINGS.closeCall) with a
   * sentence encoder attached: the best candidates re-ranked and re-scored by sentence meaning
   * (rescoreByMeaning). A clear lead is answered as match() answers it, without the encoder.
   */
  async matchAsync(
    text: string,
    options: { languageHint?: Language; limit?: number } = {},
  ): Promise<MatchResult> {
    const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
    const meaning = this.#meaning;
    const plain = this.match(text, options);
    if (!meaning?.ready || !hasRivalsInEnglish(plain)) return plain;
    this.sentenceStats.asked++;
    if (!this.isCloseCall(plain)) return plain;
    this.sentenceStats.embedded++;
    const wide = this.match(text, { ...options, limit: Math.max(limit, RERANK_POOL) });
    const labelOf = (c: Candidate) => (c.kind === 'faq' ? FAQ_PREFIX : INTENT_PREFIX) + c.id;
    const ranked = await meaning.rescore(
      plain.rankedText ?? text,
      wide.candidates,
      labelOf,
      this.#sentenceSettings,
    );
    return ranked ? { ...wide, candidates: ranked.slice(0, limit) } : plain;
  }

  /**
   * Whether sentence meaning would decide this match (matchAsync with an encoder): an English
   * message whose best candidate leads the second by less than the close-call margin.
   */
  isCloseCall(result: MatchResult): boolean {
    const [first, second] = result.candidates;
    if (!first || !second || !hasRivalsInEnglish(result)) return false;
    return first.score - second.score < this.#sentenceSettings.closeCall;
  }

  /**
   * Attaches a sentence encoder (SENTENCE_ENCODER=on): embeds the English phrasings now and on
   * every knowledge change (with `cache`, only those no store has yet; with `phrasings`, through
   * that encoder). Until an index is ready, matchAsync answers like match.
   */
  async useSentenceEncoder(
    encoder: SentenceEncoder,
    options: { cache?: SentenceVectorCache | undefined; phrasings?: SentenceEncoder | undefined } = {},
  ): Promise<void> {
    const meaning = new SentenceMeaning(encoder, options);
    this.#meaning = meaning;
    await meaning.build(this.sentencePhrasings());
  }

  /** Whether sentence meaning (SENTENCE_ENCODER=on) has an index of the current phrasings. */
  get sentenceMeaningReady(): boolean {
    return this.#meaning?.ready ?? false;
  }

  /** Other sentence settings from now on (for tuning on a development split). */
  setSentenceSettings(settings: Partial<typeof SENTENCE_SETTINGS>): void {
    this.#sentenceSettings = { ...this.#sentenceSettings, ...settings };
  }

  /** The phrasings the sentence encoder embeds: the English ones, of entries and intents. */
  sentencePhrasings(): LabelledText[] {
    return buildPhrasings(this.#knowledge.all(), this.#intents).filter((p) => p.language === 'en');
  }

  /**
   * Texts as vectors of the matcher's kind (its normalisation, stemming, word and character
   * n-grams, TF-IDF), in a feature space made from the knowledge's phrasings and these texts:
   * questions the FAQ cannot answer use words the FAQ lacks, which the index's own space would
   * drop. Their cosine is the matcher's similarity between them.
   */
  similarityVectors(texts: readonly { text: string; language?: Language | undefined }[]): SparseVector[] {
    if (texts.length === 0) return [];
    // The knowledge's phrasings come first: with them a word's weight does not hang on a few texts.
    const phrasings = buildPhrasings(this.#knowledge.all(), this.#intents);
    const { vectors } = FeatureSpace.build([...phrasings, ...texts], {
      features: DEFAULT_FEATURE_OPTIONS,
      wordShare: DEFAULT_RANKER_OPTIONS.wordShare,
    });
    return vectors.slice(phrasings.length);
  }

  entry(id: string, language: Language): FaqEntry | undefined {
    return this.#knowledge.get(id, language);
  }

  /**
   * Rebuilds the index for a changed knowledge base (intents stay); no restart needed. Blocks the
   * event loop for the whole build (most of a second on the default knowledge): at run time use
   * replaceEntriesAsync.
   */
  replaceEntries(entries: FaqEntry[]): void {
    this.#rebuild += 1;
    const ranker = IntentRanker.train(buildPhrasings(entries, this.#intents), this.#rankerOptions);
    void this.#swap(new KnowledgeBase(entries), ranker, 'rebuild');
  }

  /**
   * The same rebuild in slices of a few milliseconds, so messages are answered meanwhile, from the
   * old index until the new one is complete. A later replaceEntries(Async) supersedes this one:
   * it is abandoned and changes nothing, so the latest entries win.
   *
   * Unless the cache holds the new index, a quick one goes live first: its classifier starts from
   * the current one's, a fraction of a full training (as accurate on BANKING77, BENCHMARKS.md).
   * This resolves once it answers; an index trained afresh, the one a restart would build and the
   * cache keeps, then replaces it (settled()), so replicas do not drift apart edit after edit.
   */
  async replaceEntriesAsync(entries: FaqEntry[]): Promise<RebuildOutcome> {
    const rebuild = ++this.#rebuild;
    // Taken now: the caller may change its array while the build runs.
    const knowledge = new KnowledgeBase(entries);
    const phrasings = buildPhrasings(entries, this.#intents);
    const superseded = () => this.#rebuild !== rebuild;
    // The quick index and the one trained afresh share what comes from the phrasings alone.
    let groundwork: RankerGroundwork | undefined;
    const options = this.#rankerOptions;
    const train = async (previous?: IntentRanker) => {
      const steps = (function* () {
        groundwork ??= yield* rankerGroundworkSteps(phrasings, options);
        return yield* IntentRanker.fitSteps(groundwork, previous);
      })();
      const built = await runStepsAsync(steps, { superseded });
      return built.ok ? built.value : undefined;
    };
    const found = await this.#cache?.lookup(phrasings, this.#rankerOptions);
    const cached = found?.cached;
    if (superseded()) return 'superseded';
    if (cached) {
      void this.#swap(knowledge, cached, 'rebuild');
      return 'replaced';
    }
    const settle = async (after: 'rebuild' | 'keep'): Promise<RebuildOutcome> => {
      const ranker = await train();
      if (!ranker || superseded()) return 'superseded';
      await found?.keep(ranker);
      if (superseded()) return 'superseded';
      void this.#swap(knowledge, ranker, after);
      return 'replaced';
    };
    if (!this.#ranker.canWarmStart) return settle('rebuild');
    const quick = await train(this.#ranker);
    if (!quick || superseded()) return 'superseded';
    const answering = this.#swap(knowledge, quick, 'change');
    // Trained afresh once the sentence index answers too: both at once on one thread doubled the
    // time until sentence meaning was back.
    this.#settling = answering.then(() => settle('keep'));
    // Awaited through settled(); a failure leaves the quick index, which answers as well.
    this.#settling.catch(() => undefined);
    return 'replaced';
  }

  /**
   * At a stop: abandons the rebuilds under way (the index trained afresh after an edit, the
   * sentence index) and waits until they have ended, so none of them writes into DATA_DIR (the
   * index cache, the kept vectors) after the bot stopped. The current index goes on answering.
   */
  async stopRebuilding(): Promise<void> {
    this.#rebuild += 1;
    this.#meaning?.abandon();
    await this.settled().catch(() => undefined);
  }

  /**
   * Resolves once the last replaceEntriesAsync's index trained afresh is in place (or abandoned),
   * and the sentence index of its phrasings too.
   */
  async settled(): Promise<RebuildOutcome> {
    const outcome = await this.#settling;
    await this.#meaningBuild;
    return outcome;
  }

  /**
   * Swaps in a new index. `meaning`: the sentence index is built for the new phrasings ('rebuild'),
   * quickly from the current one ('change'), or kept (the phrasings are those it was built for).
   * Resolves once sentence meaning answers again.
   */
  #swap(
    knowledge: KnowledgeBase,
    ranker: IntentRanker,
    meaning: 'rebuild' | 'change' | 'keep',
  ): Promise<void> {
    // Swap both together only after the new index is complete, so a match never sees half of it.
    this.#knowledge = knowledge;
    this.#ranker = ranker;
    this.#titleSearch = undefined;
    if (meaning === 'keep' || !this.#meaning) return Promise.resolve();
    // Until the new phrasings are embedded, matchAsync answers like match.
    const built = this.#meaning;
    return new Promise<void>((resolve) => {
      this.#meaningBuild = built
        .build(this.sentencePhrasings(), { change: meaning === 'change', onAnswering: resolve })
        .catch(() => undefined);
    });
  }

  /** Fuzzy search over entry titles (both languages), for admins looking for an entry. */
  searchTitles(query: string, limit = 10): TitleHit[] {
    this.#titleSearch ??= titleSearch(this.#knowledge.all());
    return this.#titleSearch(query, limit);
  }

  #candidate(label: string, score: number, language: Language): Candidate | undefined {
    if (label.startsWith(FAQ_PREFIX)) {
      const id = label.slice(FAQ_PREFIX.length);
      const entry = this.#knowledge.get(id, language);
      return entry ? { kind: 'faq', id, score, title: entry.title } : undefined;
    }
    const id = label.slice(INTENT_PREFIX.length);
    const intent = this.#intents.find((i) => i.id === id);
    return intent ? { kind: 'intent', id, score, title: intent.description } : undefined;
  }
}

/** An English match with a runner-up and no single broad word: sentence meaning may decide it. */
function hasRivalsInEnglish(result: MatchResult): boolean {
  return result.language === 'en' && result.candidates.length >= 2 && !result.broad;
}
