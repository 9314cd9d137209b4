import { readFile } from 'node:fs/promises';
import { ConfigError, StoreError } from '../../core/errors.ts';

/**
 * RFC 4180 CSV: fields separated by commas, optionally quoted; a quote inside a quoted field is
 * doubled; quoted fields may span lines; CRLF or LF line ends. Blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  const source = text.replace(/^\uFEFF/, '');
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '' || fieldStarted) rows.push(row);
    row = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  if (quoted) throw new ConfigError('csv_unterminated_quote', 'CSV ends inside a quoted field');
  if (field !== '' || row.length > 0 || fieldStarted) endRow();
  return rows;
}

export interface LabelledRow {
  text: string;
  label: string;
}

/** Rows of a two-column CSV (text, label) with a header row. */
export function parseLabelledCsv(text: string): LabelledRow[] {
  const rows = parseCsv(text);
  return rows.slice(1).flatMap((cells) => {
    const [rowText, label] = cells;
    if (rowText === undefined || label === undefined || label.trim() === '') return [];
    return [{ text: rowText, label: label.trim() }];
  });
}

/**
 * A labelled CSV named on the command line (`--train`, `--test`, ...). A missing file is a
 * SupportBotError naming the option and the path, with where BANKING77 belongs when it is that.
 */
export async function readLabelledCsvFile(path: string, option: string): Promise<LabelledRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const hint = /banking77/i.test(path)
      ? ' BANKING77 is not part of the repository: place its train.csv and test.csv in ' +
        '../shared/data/banking77 beside the checkout (see README.md, "Tests and benchmarks").'
      : '';
    throw new StoreError('data_not_found', `${option} ${path}: file not found.${hint}`, {
      cause: error,
    });
  }
  return parseLabelledCsv(text);
}
