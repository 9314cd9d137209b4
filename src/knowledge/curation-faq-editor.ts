import type { FaqEntry } from '../core/faq-entry.ts';
import type { KnowledgeCuration } from './knowledge-curation.ts';

/** The outcome a one-field form (the Slack "Add FAQ" modal) can show next to one input. */
export type FaqFormSaveResult =
  | { ok: true; created: boolean }
  | { ok: false; field: string; message: string };

/**
 * Lets a channel's FAQ form save through the curation, so its edits are versioned, checked and
 * reach every process like the console's. Fits the Slack channel's `faqEditor` option.
 */
export function curationFaqEditor(
  curation: Pick<KnowledgeCuration, 'save'>,
  channel: string,
): { save(entry: FaqEntry, actor: string): Promise<FaqFormSaveResult> } {
  return {
    async save(entry, actor) {
      const { source: _source, updated: _updated, ...draft } = entry;
      const outcome = await curation.save(draft, { actor, reason: `via ${channel}` });
      if (outcome.ok) return { ok: true, created: outcome.created };
      const [first] = outcome.problems;
      // The form shows one message: name every problem in it, under the first one's field.
      return {
        ok: false,
        field: (first?.field ?? 'id').replace(/[.[].*$/, ''),
        message: outcome.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      };
    },
  };
}
