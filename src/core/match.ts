import type { Language } from './language.ts';

/** One ranked candidate: an FAQ entry (by id, the same across languages) or an intent. */
export interface Candidate {
  kind: 'faq' | 'intent';
  id: string;
  /** Calibrated confidence in [0, 1]; the same threshold means the same on any knowledge size. */
  score: number;
  /** Entry title (or intent name), in the detected language when available. */
  title: string;
}

export interface MatchResult {
  /** Detected language of the message (falls back to the caller's hint). */
  language: Language;
  /** Best first; empty means "no match" (empty, garbage or nothing similar). */
  candidates: Candidate[];
}

/** The understanding port the engine talks to (implemented in src/understanding/). */
export interface Matcher {
  match(text: string, options?: { languageHint?: Language; limit?: number }): MatchResult;
}

export interface MatchThresholds {
  /** Below this the top candidate is "not understood". */
  threshold: number;
  /** Top minus runner-up below this margin means "ambiguous". */
  margin: number;
}

export type Verdict =
  | { kind: 'clear'; best: Candidate }
  | { kind: 'ambiguous'; options: Candidate[] }
  | { kind: 'none' };

/** Turns ranked candidates into what the engine does: answer, ask "did you mean", or not understood. */
export function decideMatch(result: MatchResult, thresholds: MatchThresholds): Verdict {
  const [best, second] = result.candidates;
  if (!best || best.score < thresholds.threshold) return { kind: 'none' };
  if (second && second.score >= thresholds.threshold && best.score - second.score < thresholds.margin) {
    const options = result.candidates.filter(
      (c, i) => i < 3 && c.score >= thresholds.threshold && best.score - c.score < thresholds.margin,
    );
    return { kind: 'ambiguous', options };
  }
  return { kind: 'clear', best };
}
