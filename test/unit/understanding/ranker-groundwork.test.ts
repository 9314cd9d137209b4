import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { IntentRanker } from '../../../src/understanding/intent-ranker.ts';
import { buildPhrasings } from '../../../src/understanding/label-phrasings.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import { rankerGroundworkSteps } from '../../../src/understanding/ranker-groundwork.ts';
import type { LabelledText } from '../../../src/understanding/ranker-types.ts';
import { runSteps } from '../../../src/understanding/run-steps.ts';

const root = new URL('../../../', import.meta.url).pathname;
let before: LabelledText[];
let after: LabelledText[];

beforeAll(async () => {
  const [entries, intents] = await Promise.all([
    loadKnowledge(`${root}knowledge`),
    loadIntents(`${root}intents`),
  ]);
  after = buildPhrasings(entries, intents);
  before = buildPhrasings(
    entries.filter((e) => e.id !== 'vpn-setup'),
    intents,
  );
});

describe('one groundwork for the quick index and the one trained afresh', () => {
  it('is left as it was by a fit, so the second fit is what a training from scratch builds', () => {
    const previous = IntentRanker.train(before);
    const ground = runSteps(rankerGroundworkSteps(after));
    const quick = runSteps(IntentRanker.fitSteps(ground, previous));
    const fresh = runSteps(IntentRanker.fitSteps(ground));
    const scratch = IntentRanker.train(after);
    // The quick one started from other weights: it differs, or this test would prove nothing.
    expect(isDeepStrictEqual(quick.snapshot(), scratch.snapshot())).toBe(false);
    // node's comparison: vitest's walks the typed arrays of the index element by element, for seconds.
    expect(isDeepStrictEqual(fresh.snapshot(), scratch.snapshot())).toBe(true);
    expect(fresh.rank('vpn einrichten auf dem neuen laptop')).toEqual(
      scratch.rank('vpn einrichten auf dem neuen laptop'),
    );
  });
});
