import type { FaqEntry } from '../../core/faq-entry.ts';

/** One thing wrong with an imported file: where (file, row) and which field. */
export interface TransferProblem {
  file: string;
  /** 1-based line (CSV, TSV) or entry number (JSON); absent for a whole-file problem. */
  row?: number | undefined;
  field: string;
  message: string;
}

/** An import reads the whole input first: every entry, or every problem and nothing else. */
export type ReadOutcome = { ok: true; entries: FaqEntry[] } | { ok: false; problems: TransferProblem[] };

/** The formats an FAQ comes in and goes out as. */
export const TRANSFER_FORMATS = ['qnamaker', 'csv', 'json', 'markdown'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

export function isTransferFormat(value: string): value is TransferFormat {
  return (TRANSFER_FORMATS as readonly string[]).includes(value);
}

/** `file:row: field: message`, as the command line prints a problem. */
export function formatTransferProblem(problem: TransferProblem): string {
  const where = problem.row === undefined ? problem.file : `${problem.file}:${problem.row}`;
  return `${where}: ${problem.field}: ${problem.message}`;
}
