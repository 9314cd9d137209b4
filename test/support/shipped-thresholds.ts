import { parseConfig } from '../../src/config/config.ts';
import type { MatchThresholds } from '../../src/core/match.ts';

/** The thresholds the bot runs with when the environment sets none (MATCH_THRESHOLD, MATCH_MARGIN). */
export function shippedThresholds(): MatchThresholds {
  const config = parseConfig({});
  return { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN };
}
