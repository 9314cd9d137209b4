import type { FaqEntry } from '../../core/faq-entry.ts';
import type { RawEntry } from './check-imported-entry.ts';
import type { TableReadResult } from './faq-csv.ts';

/**
 * The JSON layout: `{"format": "support-bot-faq", "version": 1, "entries": [...]}` (a bare list of
 * entries is read too). Each entry has the knowledge file's fields: `id`, `language`, `title`,
 * `questions`, `answer`, and optionally `tags`, `queue`, `billable`, `related`, `updated`.
 */
export function formatFaqJson(entries: readonly FaqEntry[]): string {
  const plain = entries.map((e) => ({
    id: e.id,
    language: e.language,
    title: e.title,
    questions: e.questions,
    answer: e.answer,
    tags: e.tags,
    queue: e.queue,
    billable: e.billable,
    related: e.related,
    updated: e.updated,
  }));
  return `${JSON.stringify({ format: 'support-bot-faq', version: 1, entries: plain }, null, 2)}\n`;
}

export function readFaqJson(text: string, file: string, language: string | undefined): TableReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      raws: [],
      problems: [{ file, field: '(file)', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const list = Array.isArray(value) ? value : (value as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list)) {
    return {
      raws: [],
      problems: [{ file, field: 'entries', message: 'expected {"entries": [...]} or a list of entries' }],
    };
  }
  const raws: RawEntry[] = [];
  const problems: TableReadResult['problems'] = [];
  list.forEach((item: unknown, i) => {
    const origin = { file, row: i + 1 };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ ...origin, field: '(entry)', message: 'an entry is a JSON object' });
      return;
    }
    const raw = { ...(item as Record<string, unknown>) };
    if (raw.language === undefined && language) raw.language = language;
    raws.push({ raw, origin });
  });
  return { raws, problems };
}
