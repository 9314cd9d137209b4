import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Files opened so far, by kind (the shipped file's name) and path: a file is read once per
 * process however many indexes are built from it (a cache of what is on disk, not a setting; the
 * settings travel with each build).
 */
const opened = new Map<string, unknown>();

/**
 * The file a setting names (WORD_VECTORS, SENTENCE_VECTORS, GERMAN_SYNONYMS): unset for the one
 * shipped in `word-vectors/`, `off` for none, or a path; null when off or not there.
 */
export function openShippedFile<T>(
  setting: string | undefined,
  shippedFile: string,
  open: (path: string) => T,
): T | null {
  if (setting === 'off') return null;
  const path = setting ?? fileURLToPath(new URL(`./word-vectors/${shippedFile}`, import.meta.url));
  const key = `${shippedFile}\0${path}`;
  if (!opened.has(key)) opened.set(key, existsSync(path) ? open(path) : null);
  return opened.get(key) as T | null;
}
