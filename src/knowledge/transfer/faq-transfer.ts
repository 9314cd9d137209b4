import type { FaqEntry } from '../../core/faq-entry.ts';
import type { Language } from '../../core/language.ts';
import { finishImport, type ImportContext } from './check-imported-entry.ts';
import { formatFaqCsv, readFaqCsv, type TableReadResult } from './faq-csv.ts';
import { formatFaqJson, readFaqJson } from './faq-json.ts';
import { formatFaqMarkdown, type NamedText, readFaqMarkdown } from './faq-markdown.ts';
import { formatFaqQnaMaker, readFaqQnaMaker } from './faq-qnamaker.ts';
import type { ReadOutcome, TransferFormat } from './transfer-problem.ts';

/** What is imported: one file's text, or (Markdown) the files of a folder. */
export type ImportInput =
  | { format: Exclude<TransferFormat, 'markdown'>; file: string; text: string }
  | { format: 'markdown'; files: NamedText[] };

export interface ImportOptions extends ImportContext {
  /** The language of entries that do not say theirs (a QnA Maker knowledge base has one). */
  language?: Language | undefined;
  /** Otherwise their language is told from their title and questions. */
  detectLanguage?: ((text: string) => Language) | undefined;
}

/**
 * Reads an FAQ in any supported format and checks it whole: the entries, or every problem by
 * file, row and field (then nothing is to be imported).
 */
export function readFaqImport(input: ImportInput, options: ImportOptions): ReadOutcome {
  const found = readRaw(input, options.language);
  if (options.detectLanguage) {
    for (const { raw } of found.raws) {
      if (raw.language !== undefined && raw.language !== '') continue;
      const questions = Array.isArray(raw.questions) ? raw.questions.join(' ') : '';
      raw.language = options.detectLanguage(`${String(raw.title ?? '')} ${questions}`);
    }
  }
  return finishImport(found.raws, found.problems, options);
}

function readRaw(input: ImportInput, language: Language | undefined): TableReadResult {
  switch (input.format) {
    case 'qnamaker':
      return readFaqQnaMaker(input.text, input.file, language);
    case 'csv':
      return readFaqCsv(input.text, input.file, language);
    case 'json':
      return readFaqJson(input.text, input.file, language);
    case 'markdown':
      return readFaqMarkdown(input.files, language);
  }
}

/** The entries in a format: one file's text, or (Markdown) a folder's files. */
export function formatFaqExport(entries: readonly FaqEntry[], format: TransferFormat): string | NamedText[] {
  switch (format) {
    case 'qnamaker':
      return formatFaqQnaMaker(entries);
    case 'csv':
      return formatFaqCsv(entries);
    case 'json':
      return formatFaqJson(entries);
    case 'markdown':
      return formatFaqMarkdown(entries);
  }
}

/** The format a file name suggests: `.tsv` QnA Maker, `.csv`, `.json`, `.md` Markdown. */
export function formatOfName(name: string): TransferFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'qnamaker';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.md')) return 'markdown';
  return undefined;
}

/** What an export is saved as. */
export const EXPORT_FILE: Record<Exclude<TransferFormat, 'markdown'>, { name: string; type: string }> = {
  qnamaker: { name: 'faq-qnamaker.tsv', type: 'text/tab-separated-values; charset=utf-8' },
  csv: { name: 'faq.csv', type: 'text/csv; charset=utf-8' },
  json: { name: 'faq.json', type: 'application/json; charset=utf-8' },
};
