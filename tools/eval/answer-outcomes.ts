import type { Language } from '../../src/core/language.ts';
import type { Baseline } from './nlpjs-baseline.ts';
import type { LabelledRow } from './parse-csv.ts';
import { type JudgedRow, OOS_LABEL } from './run-eval.ts';
import type { VerdictOutcome } from './verdict-tally.ts';

/**
 * What a customer would have seen, as shares: of the in-scope questions, answered right at once,
 * answered wrong, "Did you mean" (with or without the right entry), not understood; of the
 * out-of-scope ones, declined or answered. `directOfRightFirst` is the share answered directly
 * among the questions whose first candidate is right: the rest got a needless "Did you mean" or
 * nothing although the matcher had it right.
 */
export interface AnswerOutcomes {
  inScope: number;
  outOfScope: number;
  answeredRight: number | null;
  answeredWrong: number | null;
  didYouMean: number | null;
  didYouMeanWithRight: number | null;
  notUnderstood: number | null;
  directOfRightFirst: number | null;
  oosDeclined: number | null;
  oosAnswered: number | null;
  /** Wrong answers (in scope answered wrong, out of scope answered) among all questions. */
  wrongAnswers: number | null;
}

export function summarizeOutcomes(judged: readonly JudgedRow[]): AnswerOutcomes {
  const count = (outcome: VerdictOutcome) => judged.filter((r) => r.outcome === outcome).length;
  const inScope = judged.filter((r) => r.label !== OOS_LABEL);
  const oos = judged.length - inScope.length;
  const rightFirst = inScope.filter((r) => r.predicted === r.label).length;
  const share = (n: number, of: number) => (of === 0 ? null : n / of);
  const withRight = count('ambiguous-with-right');
  return {
    inScope: inScope.length,
    outOfScope: oos,
    answeredRight: share(count('clear-right'), inScope.length),
    answeredWrong: share(count('clear-wrong'), inScope.length),
    didYouMean: share(withRight + count('ambiguous-without-right'), inScope.length),
    didYouMeanWithRight: share(withRight, inScope.length),
    notUnderstood: share(count('none'), inScope.length),
    directOfRightFirst: share(count('clear-right'), rightFirst),
    oosDeclined: share(count('oos-none'), oos),
    oosAnswered: share(count('oos-answered'), oos),
    wrongAnswers: share(count('clear-wrong') + count('oos-answered'), judged.length),
  };
}

/** The outcomes by the language the message was detected in. */
export function outcomesByLanguage(judged: readonly JudgedRow[]): Partial<Record<Language, AnswerOutcomes>> {
  const out: Partial<Record<Language, AnswerOutcomes>> = {};
  for (const language of ['de', 'en'] as const) {
    const rows = judged.filter((r) => r.language === language);
    if (rows.length > 0) out[language] = summarizeOutcomes(rows);
  }
  return out;
}

/** A baseline's answers as judged rows: it answers or declines, it never asks "Did you mean". */
export async function judgeBaseline(baseline: Baseline, rows: readonly LabelledRow[]): Promise<JudgedRow[]> {
  const out: JudgedRow[] = [];
  for (const row of rows) {
    const started = performance.now();
    const answer = await baseline.ask(row.text);
    const ms = performance.now() - started;
    const oos = row.label === OOS_LABEL;
    let outcome: VerdictOutcome;
    if (answer.answer === undefined) outcome = oos ? 'oos-none' : 'none';
    else if (oos) outcome = 'oos-answered';
    else outcome = answer.answer === row.label ? 'clear-right' : 'clear-wrong';
    out.push({
      text: row.text,
      label: row.label,
      predicted: answer.best,
      score: answer.score,
      language: answer.language,
      ms,
      outcome,
    });
  }
  return out;
}
