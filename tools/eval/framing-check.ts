import { decideMatch, type Matcher, type MatchThresholds } from '../../src/core/match.ts';
import type { LabelledRow } from './parse-csv.ts';
import { OOS_LABEL } from './run-eval.ts';

/** Courtesy around a question, as customers write it in e-mail style: [opening, closing]. */
const FRAMES: Record<'de' | 'en', [string, string][]> = {
  de: [
    ['Hallo, ', ' Danke!'],
    ['Guten Tag, ', ' Vielen Dank im Voraus. Viele Grüße, Anna Muster'],
    ['Sehr geehrte Damen und Herren, ', ' Mit freundlichen Grüßen'],
  ],
  en: [
    ['Hi, ', ' Thanks!'],
    ['Hello team, ', ' Thanks in advance! Best regards, John'],
    ['Dear support, ', ' Kind regards'],
  ],
};

/** Rows that are courtesy themselves: wrapped in more of it, they are no longer what they were. */
const COURTESY_LABELS = new Set(['greeting', 'thanks', 'goodbye']);

export interface FramingFigures {
  frame: string;
  rows: number;
  answeredRightBare: number;
  answeredRightFramed: number;
}

/**
 * `npm run eval -- --framing`: the in-scope rows (but greetings, thanks and farewells) answered
 * right as written, and wrapped in each
 * frame of their language. A question should not lose its answer to "Guten Tag" and "Viele Grüße".
 */
export function framingCheck(
  matcher: Matcher,
  rows: readonly LabelledRow[],
  thresholds: MatchThresholds,
): FramingFigures[] {
  const right = (text: string, label: string) => {
    const verdict = decideMatch(matcher.match(text, { limit: 5 }), thresholds);
    return verdict.kind === 'clear' && verdict.best.id === label;
  };
  const figures: FramingFigures[] = [];
  for (const language of ['de', 'en'] as const) {
    const ofLanguage = rows.filter(
      (r) =>
        r.label !== OOS_LABEL &&
        !COURTESY_LABELS.has(r.label) &&
        matcher.match(r.text, { limit: 1 }).language === language,
    );
    for (const [opening, closing] of FRAMES[language]) {
      let bare = 0;
      let framed = 0;
      for (const row of ofLanguage) {
        if (right(row.text, row.label)) bare++;
        if (right(`${opening}${row.text}${closing}`, row.label)) framed++;
      }
      figures.push({
        frame: `${opening}…${closing}`,
        rows: ofLanguage.length,
        answeredRightBare: bare,
        answeredRightFramed: framed,
      });
    }
  }
  return figures;
}
