import { CsvError, parse } from 'csv-parse/sync';
import type { TransferProblem } from './transfer-problem.ts';

/** One data row: cells by column name, and the line of the file it starts on. */
export interface TableRow {
  line: number;
  cells: Record<string, string>;
}

export type TableOutcome =
  | { ok: true; columns: string[]; rows: TableRow[] }
  | { ok: false; problems: TransferProblem[] };

/**
 * Reads a CSV or TSV file with a header row (csv-parse: a byte-order mark; in CSV quoted fields
 * with line breaks inside). Column names are compared without case and spacing; a syntax error is one
 * problem at its line.
 */
export function readTable(text: string, file: string, delimiter: ',' | '\t'): TableOutcome {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // The TSV exports quote nothing (line breaks inside a field are written `\n`): a quote
      // character there is text.
      quote: delimiter === '\t' ? false : '"',
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return { ok: false, problems: [{ file, row: line, field: '(file)', message: error.message }] };
    }
    throw error;
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, problems: [{ file, field: '(file)', message: 'the file is empty' }] };
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const rows: TableRow[] = [];
  let previousEnd = header.info.lines;
  for (const { record, info } of data) {
    const cells: Record<string, string> = {};
    columns.forEach((column, i) => {
      cells[column] = record[i] ?? '';
    });
    rows.push({ line: previousEnd + 1, cells });
    previousEnd = info.lines;
  }
  return { ok: true, columns, rows };
}

/** The header's problems: columns the format does not know, and required ones that are missing. */
export function columnProblems(
  file: string,
  columns: readonly string[],
  known: readonly string[],
  required: readonly string[],
): TransferProblem[] {
  const problems: TransferProblem[] = [];
  for (const column of columns) {
    if (!known.includes(column)) {
      problems.push({
        file,
        row: 1,
        field: column || '(empty)',
        message: `unknown column; use ${known.join(', ')}`,
      });
    }
  }
  for (const column of required) {
    if (!columns.includes(column)) problems.push({ file, row: 1, field: column, message: 'missing column' });
  }
  return problems;
}

/** A list written in one cell: `a, b, c` (empty: none). */
export function splitList(cell: string, separator: string | RegExp = ','): string[] {
  return cell
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
