import type { FaqEntry } from '../../src/core/faq-entry.ts';
import type { Language } from '../../src/core/language.ts';
import { decideMatch, type Matcher, type MatchResult, type MatchThresholds } from '../../src/core/match.ts';
import { detectLanguage } from '../../src/understanding/detect-language.ts';
import { type IntentDefinition, OUT_OF_SCOPE_INTENT } from '../../src/understanding/intent-definition.ts';
import { buildPhrasings } from '../../src/understanding/label-phrasings.ts';
import type { RankerOptions } from '../../src/understanding/ranker-options.ts';
import { Understanding } from '../../src/understanding/understanding.ts';
import { FuseMatcher } from './fuse-matcher.ts';
import type { LabelledRow } from './parse-csv.ts';
import { judgeVerdict, type VerdictOutcome } from './verdict-tally.ts';

/** The label that marks an out-of-scope row in evaluation files. */
export const OOS_LABEL = 'oos';

export type RankerKind = 'default' | 'fuse';

export interface EvalReport {
  entries: number;
  phrasings: number;
  top1: number | null;
  inScopeAccuracy: number | null;
  oosRecall: number | null;
  threshold: number;
  buildMs: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface EvalDetails {
  report: EvalReport;
  /** Top-1 accuracy of in-scope rows by detected language. */
  perLanguage: Partial<Record<Language, { rows: number; top1: number }>>;
  /** Most frequent (expected → predicted) mistakes of in-scope rows. */
  confusions: { expected: string; predicted: string; count: number }[];
}

/** One judged test row: the best candidate and its score (0 when there is none). */
export interface JudgedRow {
  text: string;
  label: string;
  predicted: string | undefined;
  score: number;
  language: Language;
  ms: number;
  /** What the bot does with it at the thresholds: answer (right or wrong), "Did you mean", decline. */
  outcome?: VerdictOutcome | undefined;
}

export interface BuiltMatcher {
  matcher: Matcher;
  entries: number;
  phrasings: number;
  buildMs: number;
}

/**
 * Builds the knowledge from training rows the way the bot builds it from knowledge/: one FAQ entry
 * per label with its rows as questions (the first row doubles as the title); `oos` rows become
 * examples of the `out-of-scope` reject intent. `shots` keeps the first N rows per label.
 */
export function buildKnowledgeFromRows(
  rows: readonly LabelledRow[],
  shots?: number,
): { entries: FaqEntry[]; intents: IntentDefinition[] } {
  const byLabel = new Map<string, string[]>();
  for (const row of rows) {
    const list = byLabel.get(row.label) ?? [];
    if (shots === undefined || list.length < shots) list.push(row.text);
    byLabel.set(row.label, list);
  }
  const entries: FaqEntry[] = [];
  const intents: IntentDefinition[] = [];
  for (const [label, texts] of byLabel) {
    const questions = texts.filter((t) => t.trim() !== '');
    if (questions.length === 0) continue;
    if (label === OOS_LABEL) {
      const examples = { de: [] as string[], en: [] as string[] };
      for (const t of questions) examples[detectLanguage(t, { hint: 'en' })].push(t);
      intents.push({ id: OUT_OF_SCOPE_INTENT, description: 'Out of scope', examples });
      continue;
    }
    const german = questions.filter((t) => detectLanguage(t, { hint: 'en' }) === 'de').length;
    entries.push({
      id: label,
      title: questions[0] as string,
      questions,
      language: german * 2 > questions.length ? 'de' : 'en',
      tags: [],
      queue: 'general',
      billable: false,
      related: [],
      updated: '',
      answer: label,
      source: 'eval',
    });
  }
  return { entries, intents };
}

export function buildMatcher(
  entries: FaqEntry[],
  intents: IntentDefinition[],
  ranker: RankerKind,
  rankerOptions: Partial<RankerOptions> = {},
): BuiltMatcher {
  const started = performance.now();
  if (ranker === 'fuse') {
    const phrasings = buildPhrasings(entries, intents).map((p) => ({
      label: p.label.replace(/^(faq|intent):/, ''),
      text: p.text,
    }));
    const matcher = new FuseMatcher(phrasings.filter((p) => p.label !== OUT_OF_SCOPE_INTENT));
    return {
      matcher,
      entries: countIds(entries),
      phrasings: phrasings.length,
      buildMs: performance.now() - started,
    };
  }
  const understanding = Understanding.fromData(entries, intents, rankerOptions);
  return {
    matcher: understanding,
    entries: countIds(entries),
    phrasings: understanding.phrasingCount,
    buildMs: performance.now() - started,
  };
}

function countIds(entries: readonly FaqEntry[]): number {
  return new Set(entries.map((e) => e.id)).size;
}

export function judgeRows(
  matcher: Matcher,
  rows: readonly LabelledRow[],
  thresholds?: MatchThresholds,
): JudgedRow[] {
  // Warm up the JIT so the first rows do not dominate p99.
  for (const row of rows.slice(0, 30)) matcher.match(row.text, { limit: 5 });
  return rows.map((row) => {
    const started = performance.now();
    const result = matcher.match(row.text, { limit: 5 });
    return judged(row, result, performance.now() - started, thresholds);
  });
}

/** A row as the matcher answered it: its best candidate, score and language, and the time taken. */
function judged(row: LabelledRow, result: MatchResult, ms: number, thresholds?: MatchThresholds): JudgedRow {
  const top = result.candidates[0];
  return {
    text: row.text,
    label: row.label,
    predicted: top?.id,
    score: top?.score ?? 0,
    language: result.language,
    ms,
    outcome: thresholds ? judgeVerdict(decideMatch(result, thresholds), row.label) : undefined,
  };
}

/** judgeRows through `matchAsync` where the matcher has it (a sentence encoder attached). */
export async function judgeRowsAsync(
  matcher: Matcher,
  rows: readonly LabelledRow[],
  thresholds?: MatchThresholds,
): Promise<JudgedRow[]> {
  const matchAsync = matcher.matchAsync?.bind(matcher);
  if (!matchAsync) return judgeRows(matcher, rows, thresholds);
  for (const row of rows.slice(0, 30)) await matchAsync(row.text, { limit: 5 });
  const out: JudgedRow[] = [];
  for (const row of rows) {
    const started = performance.now();
    const result = await matchAsync(row.text, { limit: 5 });
    out.push(judged(row, result, performance.now() - started, thresholds));
  }
  return out;
}

/** Threshold that maximises accuracy with `oos` as a class (right and confident, or oos and below). */
export function chooseThreshold(judged: readonly JudgedRow[]): number {
  const scores = [...new Set(judged.map((r) => r.score))].sort((a, b) => a - b);
  const cuts = [
    0,
    ...scores.map((s, i) => (i + 1 < scores.length ? (s + (scores[i + 1] as number)) / 2 : s + 1e-6)),
  ];
  let best = 0;
  let bestAccuracy = -1;
  for (const cut of cuts) {
    const accuracy = openSetAccuracy(judged, cut);
    if (accuracy > bestAccuracy) {
      best = cut;
      bestAccuracy = accuracy;
    }
  }
  return Math.min(1, best);
}

export function openSetAccuracy(judged: readonly JudgedRow[], threshold: number): number {
  if (judged.length === 0) return 0;
  let right = 0;
  for (const r of judged) {
    if (r.label === OOS_LABEL ? r.score < threshold : r.predicted === r.label && r.score >= threshold)
      right++;
  }
  return right / judged.length;
}

export function summarize(built: BuiltMatcher, judged: readonly JudgedRow[], threshold: number): EvalDetails {
  const inScope = judged.filter((r) => r.label !== OOS_LABEL);
  const oos = judged.filter((r) => r.label === OOS_LABEL);
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  const times = judged.map((r) => r.ms).sort((a, b) => a - b);
  const quantile = (q: number) =>
    times.length === 0 ? null : (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number);
  const perLanguage: EvalDetails['perLanguage'] = {};
  for (const language of ['de', 'en'] as const) {
    const rows = inScope.filter((r) => r.language === language);
    if (rows.length > 0) {
      perLanguage[language] = {
        rows: rows.length,
        top1: rows.filter((r) => r.predicted === r.label).length / rows.length,
      };
    }
  }
  const mistakes = new Map<string, number>();
  for (const r of inScope) {
    if (r.predicted === r.label) continue;
    const key = `${r.label}\u0000${r.predicted ?? '(none)'}`;
    mistakes.set(key, (mistakes.get(key) ?? 0) + 1);
  }
  const confusions = [...mistakes]
    .map(([key, count]) => {
      const [expected = '', predicted = ''] = key.split('\u0000');
      return { expected, predicted, count };
    })
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);
  return {
    report: {
      entries: built.entries,
      phrasings: built.phrasings,
      top1: ratio(inScope.filter((r) => r.predicted === r.label).length, inScope.length),
      inScopeAccuracy: ratio(
        inScope.filter((r) => r.predicted === r.label && r.score >= threshold).length,
        inScope.length,
      ),
      oosRecall: ratio(oos.filter((r) => r.score < threshold).length, oos.length),
      threshold,
      buildMs: built.buildMs,
      p50Ms: quantile(0.5),
      p99Ms: quantile(0.99),
    },
    perLanguage,
    confusions,
  };
}
