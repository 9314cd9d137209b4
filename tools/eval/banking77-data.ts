import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LabelledRow, readLabelledCsvFile } from './parse-csv.ts';

/**
 * BANKING77 (CC BY 4.0) is not in the repository: benchmarks expect it in
 * ../shared/data/banking77 beside the checkout, as train.csv and test.csv (`text,category`).
 */
export const BANKING77_DIR = fileURLToPath(new URL('../../../shared/data/banking77/', import.meta.url));

export interface Banking77Data {
  train: LabelledRow[];
  test: LabelledRow[];
}

/** BANKING77's training and test rows, or undefined when the data set is not in its place. */
export async function readBanking77(): Promise<Banking77Data | undefined> {
  const train = `${BANKING77_DIR}train.csv`;
  const test = `${BANKING77_DIR}test.csv`;
  if (!existsSync(train) || !existsSync(test)) return undefined;
  return {
    train: await readLabelledCsvFile(train, 'BANKING77'),
    test: await readLabelledCsvFile(test, 'BANKING77'),
  };
}

/** What a benchmark says when it skips rows for want of BANKING77. */
export function banking77NotFound(skipped: string): string {
  return (
    `BANKING77 data not found at ${BANKING77_DIR}: skipped ${skipped}. ` +
    'Place the data set (train.csv and test.csv) there, that is ../shared/data/banking77 beside the checkout, to run them.'
  );
}
