import { stringify } from 'csv-stringify/sync';
import type { FaqEntry } from '../../core/faq-entry.ts';
import type { RawEntry } from './check-imported-entry.ts';
import { columnProblems, readTable, splitList } from './read-table.ts';
import type { TransferProblem } from './transfer-problem.ts';

/**
 * The CSV layout, one entry in one language per row: `questions` one per line inside the cell,
 * `tags` and `related` separated by commas, `billable` true or false (empty: false), `updated`
 * YYYY-MM-DD (empty: the day of the import). `language` may be left empty when the import says it.
 */
export const CSV_COLUMNS = [
  'id',
  'language',
  'title',
  'questions',
  'answer',
  'tags',
  'queue',
  'billable',
  'related',
  'updated',
] as const;

const REQUIRED = ['id', 'title', 'questions', 'answer'];

export function formatFaqCsv(entries: readonly FaqEntry[]): string {
  return stringify(
    entries.map((e) => [
      e.id,
      e.language,
      e.title,
      e.questions.join('\n'),
      e.answer,
      e.tags.join(', '),
      e.queue,
      String(e.billable),
      e.related.join(', '),
      e.updated,
    ]),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: '\n' },
  );
}

export interface TableReadResult {
  raws: RawEntry[];
  problems: TransferProblem[];
}

/** The rows of a CSV file as raw entries (checked later, all together). */
export function readFaqCsv(text: string, file: string, language: string | undefined): TableReadResult {
  const table = readTable(text, file, ',');
  if (!table.ok) return { raws: [], problems: table.problems };
  const problems = columnProblems(file, table.columns, CSV_COLUMNS, REQUIRED);
  if (problems.length > 0) return { raws: [], problems };
  const raws = table.rows.map(({ line, cells }): RawEntry => {
    const raw: Record<string, unknown> = {
      id: cells.id?.trim() ?? '',
      language: cells.language?.trim() || language || '',
      title: cells.title ?? '',
      questions: splitList(cells.questions ?? '', /\r?\n/),
      answer: cells.answer ?? '',
      tags: splitList(cells.tags ?? ''),
      related: splitList(cells.related ?? ''),
    };
    if (cells.queue?.trim()) raw.queue = cells.queue.trim();
    const billable = cells.billable?.trim().toLowerCase() ?? '';
    raw.billable =
      billable === '' ? false : billable === 'true' ? true : billable === 'false' ? false : billable;
    if (cells.updated?.trim()) raw.updated = cells.updated.trim();
    return { raw, origin: { file, row: line } };
  });
  return { raws, problems: [] };
}
