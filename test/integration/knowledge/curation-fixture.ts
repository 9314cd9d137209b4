import { join } from 'node:path';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import type { Language } from '../../../src/core/language.ts';
import { decideMatch, type Verdict } from '../../../src/core/match.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import type { IntentDefinition } from '../../../src/understanding/intent-definition.ts';
import { loadIntents } from '../../../src/understanding/load-intents.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const KNOWLEDGE_DIR = join(ROOT, 'knowledge');

let loaded: Promise<{ entries: FaqEntry[]; intents: IntentDefinition[] }> | undefined;

/** The shipped knowledge and intents, read once per test file. */
export function defaultKnowledge(): Promise<{ entries: FaqEntry[]; intents: IntentDefinition[] }> {
  loaded ??= Promise.all([loadKnowledge(KNOWLEDGE_DIR), loadIntents(join(ROOT, 'intents'))]).then(
    ([entries, intents]) => ({ entries, intents }),
  );
  return loaded;
}

/** A real Understanding over the default knowledge, with an index of its own. */
export async function freshUnderstanding(): Promise<Understanding> {
  const { entries, intents } = await defaultKnowledge();
  return Understanding.fromData(entries, intents);
}

/** What the bot would do with the text, with the default thresholds of the config. */
export function verdictFor(understanding: Understanding, text: string): Verdict {
  return decideMatch(understanding.match(text), shippedThresholds());
}

/** The id the bot answers with, or undefined when it would not answer outright. */
export function answeredId(understanding: Understanding, text: string): string | undefined {
  const verdict = verdictFor(understanding, text);
  return verdict.kind === 'clear' ? verdict.best.id : undefined;
}

/**
 * The entry version ("de/vpn-setup") the bot would answer a customer writing in `language` with,
 * or undefined. A retired language version falls back to the other language's, which may still
 * match (weakly, across languages), so tests of a retirement ask for the version, not the id.
 */
export function answeredVersion(
  understanding: Understanding,
  text: string,
  language: Language,
): string | undefined {
  const id = answeredId(understanding, text);
  const entry = id === undefined ? undefined : understanding.knowledge.get(id, language);
  return entry ? `${entry.language}/${entry.id}` : undefined;
}

/** An entry as a draft an admin would send back after editing (no source, no updated). */
export function draftOf(entry: FaqEntry): Omit<FaqEntry, 'source' | 'updated'> {
  const { source: _source, updated: _updated, ...draft } = entry;
  return draft;
}

export function shippedEntry(entries: readonly FaqEntry[], id: string, language: 'de' | 'en'): FaqEntry {
  const entry = entries.find((e) => e.id === id && e.language === language);
  if (!entry) throw new Error(`the default knowledge has no ${language}/${id}`);
  return entry;
}

export const STAMP_QUESTION = 'Das Stempelterminal am Empfang nimmt meinen Chip nicht an';

export const BADGE_DRAFT = {
  id: 'badge-reader',
  language: 'en' as const,
  title: 'Badge reader at reception rejects the card',
  questions: ['The badge reader at reception rejects my card', 'door badge not accepted'],
  tags: ['badge', 'access'],
  queue: 'hardware',
  answer:
    'Hold the card flat against the reader for two seconds. If it still blinks red, we renew the badge.',
};
