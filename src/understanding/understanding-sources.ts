import { ValidationFailedError } from '../core/errors.ts';
import type { FaqEntry } from '../core/faq-entry.ts';
import { loadKnowledge } from '../knowledge/load-knowledge.ts';
import type { IntentDefinition } from './intent-definition.ts';
import { loadIntents } from './load-intents.ts';

/** The files an Understanding is built from, loaded and checked. */
export interface UnderstandingSources {
  entries: FaqEntry[];
  intents: IntentDefinition[];
}

/**
 * Loads and validates knowledge/ and intents/ without building an index (`support-bot check`):
 * throws one ValidationFailedError listing the problems of both.
 */
export async function loadUnderstandingSources(opts: {
  knowledgeDir: string;
  intentsDir: string;
}): Promise<UnderstandingSources> {
  const [entries, intents] = await Promise.allSettled([
    loadKnowledge(opts.knowledgeDir),
    loadIntents(opts.intentsDir),
  ]);
  if (entries.status === 'rejected' || intents.status === 'rejected') {
    const failures = [entries, intents].flatMap((r) =>
      r.status === 'rejected' ? [r.reason as unknown] : [],
    );
    const unexpected = failures.find((e) => !(e instanceof ValidationFailedError));
    if (unexpected !== undefined) throw unexpected;
    const problems = failures.flatMap((e) => (e as ValidationFailedError).problems);
    throw new ValidationFailedError('Invalid knowledge or intents', problems);
  }
  return { entries: entries.value, intents: intents.value };
}
