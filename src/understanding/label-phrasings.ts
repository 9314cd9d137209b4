import type { FaqEntry } from '../core/faq-entry.ts';
import type { IntentDefinition } from './intent-definition.ts';
import type { LabelledText } from './ranker-types.ts';

/** Labels of the one label space: `faq:<entry id>` beside `intent:<intent id>`. */
export const FAQ_PREFIX = 'faq:';
export const INTENT_PREFIX = 'intent:';

/** Every FAQ title and question and every intent example, labelled with its entry or intent. */
export function buildPhrasings(
  entries: readonly FaqEntry[],
  intents: readonly IntentDefinition[],
): LabelledText[] {
  const phrasings: LabelledText[] = [];
  for (const entry of entries) {
    const label = FAQ_PREFIX + entry.id;
    phrasings.push({ label, text: entry.title, language: entry.language });
    for (const q of entry.questions) phrasings.push({ label, text: q, language: entry.language });
  }
  for (const intent of intents) {
    const label = INTENT_PREFIX + intent.id;
    for (const language of ['de', 'en'] as const) {
      for (const text of intent.examples[language]) phrasings.push({ label, text, language });
    }
  }
  return phrasings;
}
