import { formatLimit, type KeptFiles } from './attachment.ts';
import type { Language } from './language.ts';
import { messagesFor } from './messages.ts';
import type { Reply } from './reply.ts';

/** Files that were not kept, answered politely in the customer's language (every channel alike). */
export function refusedFileNotices(
  files: KeptFiles | undefined,
  language: Language,
  maxBytes: number,
): Reply[] {
  const limit = formatLimit(maxBytes);
  return (files?.refused ?? []).map((r) => ({
    type: 'notice',
    text: messagesFor(language).attachmentRefused(r.name, r.reason, limit),
    actions: [],
    language,
  }));
}
