import Fuse from 'fuse.js';
import type { Language } from '../../src/core/language.ts';
import type { Candidate, Matcher, MatchResult } from '../../src/core/match.ts';
import { detectLanguage } from '../../src/understanding/detect-language.ts';
import { MAX_INPUT_CHARS } from '../../src/understanding/normalize-text.ts';

/**
 * Fuzzy string search over all phrasings (fuse.js alone), best phrasing per label. Kept as the
 * baseline the real matcher is compared with in `npm run eval` and the benchmarks.
 */
export class FuseMatcher implements Matcher {
  readonly #fuse: Fuse<{ label: string; text: string }>;

  constructor(phrasings: readonly { label: string; text: string }[]) {
    this.#fuse = new Fuse([...phrasings], {
      keys: ['text'],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
    });
  }

  match(text: string, options: { languageHint?: Language; limit?: number } = {}): MatchResult {
    const language = detectLanguage(text, { hint: options.languageHint });
    const limit = options.limit ?? 5;
    // Fuse's pattern length is limited in practice; long texts are cut like in the real matcher.
    const query = text.slice(0, Math.min(MAX_INPUT_CHARS, 200)).trim();
    if (query === '') return { language, candidates: [] };
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    for (const hit of this.#fuse.search(query, { limit: limit * 20 })) {
      if (seen.has(hit.item.label)) continue;
      seen.add(hit.item.label);
      candidates.push({
        kind: 'faq',
        id: hit.item.label,
        score: 1 - (hit.score ?? 1),
        title: hit.item.label,
      });
      if (candidates.length >= limit) break;
    }
    return { language, candidates };
  }
}
