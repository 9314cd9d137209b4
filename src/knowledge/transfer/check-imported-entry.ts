import { z } from 'zod';
import { type FaqEntry, FaqFrontMatterSchema } from '../../core/faq-entry.ts';
import type { Language } from '../../core/language.ts';
import { formatIssuePath } from '../format-issue-path.ts';
import { checkKnowledge } from '../load-knowledge.ts';
import type { ReadOutcome, TransferProblem } from './transfer-problem.ts';

/** An imported entry: the knowledge file's fields, `updated` optional (the day of the import). */
const ImportedEntrySchema = FaqFrontMatterSchema.extend({
  updated: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
    .optional(),
  answer: z.string().trim().min(1, 'write the answer').max(20_000),
}).strict();

/** Where a raw entry came from, so its problems name file and row. */
export interface EntryOrigin {
  file: string;
  row?: number | undefined;
}

/** One entry as a format reader found it, before any check. */
export interface RawEntry {
  raw: Record<string, unknown>;
  origin: EntryOrigin;
}

export interface ImportContext {
  /** The day stamped into entries without `updated` (YYYY-MM-DD). */
  today: string;
  /** `source` of the entries made (a knowledge file path, or `store`). */
  sourceOf: (entry: { id: string; language: Language }) => string;
  /** The knowledge the import joins: related ids may point there; same id and language is replaced. */
  existing?: readonly FaqEntry[] | undefined;
}

/**
 * Checks what a reader found: every entry against the knowledge file schema, no id twice in a
 * language, related ids that exist (in the import or the knowledge it joins). Every problem is
 * named by file, row and field; one problem anywhere and nothing is imported.
 */
export function finishImport(
  raws: readonly RawEntry[],
  fileProblems: readonly TransferProblem[],
  context: ImportContext,
): ReadOutcome {
  const problems = [...fileProblems];
  const checked: { entry: FaqEntry; origin: EntryOrigin }[] = [];
  const first = new Map<string, EntryOrigin>();
  for (const { raw, origin } of raws) {
    const entry = checkEntry(raw, origin, problems);
    if (!entry) continue;
    const key = `${entry.language}/${entry.id}`;
    const earlier = first.get(key);
    if (earlier) {
      problems.push({
        ...origin,
        field: 'id',
        message: `"${entry.id}" (${entry.language}) is there twice, also at ${where(earlier)}`,
      });
      continue;
    }
    first.set(key, origin);
    checked.push({ entry: { ...entry, updated: entry.updated || context.today }, origin });
  }
  // Cross-entry checks name entries by a temporary source, mapped back to file and row.
  const tagged = checked.map(({ entry }, i) => ({ ...entry, source: `#${i}` }));
  const replaced = new Set(tagged.map((e) => `${e.language}/${e.id}`));
  const kept = (context.existing ?? []).filter((e) => !replaced.has(`${e.language}/${e.id}`));
  for (const problem of checkKnowledge([...tagged, ...kept])) {
    const index = /^#(\d+)$/.exec(problem.source)?.[1];
    const origin = index === undefined ? undefined : checked[Number(index)]?.origin;
    if (origin) problems.push({ ...origin, field: problem.field, message: problem.message });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, entries: checked.map(({ entry }) => ({ ...entry, source: context.sourceOf(entry) })) };
}

function checkEntry(
  raw: Record<string, unknown>,
  origin: EntryOrigin,
  problems: TransferProblem[],
): FaqEntry | undefined {
  const parsed = ImportedEntrySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys: (PropertyKey | undefined)[] = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        problems.push({
          ...origin,
          field: formatIssuePath(key === undefined ? issue.path : [...issue.path, key]),
          message: key === undefined ? issue.message : 'unknown field',
        });
      }
    }
    return undefined;
  }
  const { updated, ...rest } = parsed.data;
  return { ...rest, updated: updated ?? '', source: '' };
}

function where(origin: EntryOrigin): string {
  return origin.row === undefined ? origin.file : `${origin.file}:${origin.row}`;
}
