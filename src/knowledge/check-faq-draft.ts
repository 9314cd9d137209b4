import { z } from 'zod';
import { type FaqEntry, FaqFrontMatterSchema } from '../core/faq-entry.ts';
import type { Language } from '../core/language.ts';
import { formatIssuePath } from './format-issue-path.ts';

/** Where admin edits come from, in FaqEntry.source (files carry their path). */
export const STORE_SOURCE = 'store';

export const MAX_ANSWER_LENGTH = 20_000;

/** One thing wrong with an edit, by field (`questions[2]`, `related[0]`, `answer`). */
export interface CurationProblem {
  field: string;
  message: string;
}

/**
 * An FAQ entry as an admin writes it: the front matter plus the Markdown answer. `updated` is
 * stamped by the curation with the day of the change, so it is optional here.
 */
export const FaqDraftSchema = FaqFrontMatterSchema.omit({ updated: true })
  .extend({
    // Line breaks as files have them: a lone `\r` would come back from an export as `\n`.
    answer: z
      .string()
      .trim()
      .min(1, 'write the answer')
      .max(MAX_ANSWER_LENGTH)
      .transform((answer) => answer.replace(/\r\n?/g, '\n')),
    updated: z.string().optional(),
  })
  .strict();

export type FaqEntryDraft = z.input<typeof FaqDraftSchema>;

export type DraftCheck = { ok: true; entry: FaqEntry } | { ok: false; problems: CurationProblem[] };

export interface DraftContext {
  /** Ids of the knowledge as it will be after the change (every language). */
  knownIds: ReadonlySet<string>;
  /** YYYY-MM-DD, stamped into `updated`. */
  today: string;
}

/**
 * Checks an edit completely before anything is stored: the front-matter schema, the answer, and
 * the checks that look across entries (related ids exist and are not the entry itself, no
 * phrasing given twice). Every problem is listed, also when the schema already failed.
 */
export function checkFaqDraft(draft: unknown, context: DraftContext): DraftCheck {
  const problems: CurationProblem[] = [];
  const parsed = FaqDraftSchema.safeParse(draft);
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues));
  const raw = (typeof draft === 'object' && draft !== null ? draft : {}) as Record<string, unknown>;
  problems.push(...relatedProblems(raw.id, raw.related, context.knownIds));
  problems.push(...repeatedQuestions(raw.questions));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems: uniqueProblems(problems) };
  const { answer, updated: _updated, ...front } = parsed.data;
  return { ok: true, entry: { ...front, updated: context.today, answer, source: STORE_SOURCE } };
}

export function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): CurationProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: formatIssuePath([...prefix, ...issue.path, key]),
        message: 'unknown field',
      }));
    }
    return [{ field: formatIssuePath([...prefix, ...issue.path]), message: issue.message }];
  });
}

/** Keeps the first of problems that say the same about the same field. */
export function uniqueProblems(problems: readonly CurationProblem[]): CurationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function relatedProblems(id: unknown, related: unknown, knownIds: ReadonlySet<string>): CurationProblem[] {
  if (!Array.isArray(related)) return [];
  const problems: CurationProblem[] = [];
  related.forEach((value, i) => {
    if (typeof value !== 'string') return;
    if (value === id) problems.push({ field: `related[${i}]`, message: 'an entry cannot relate to itself' });
    else if (!knownIds.has(value))
      problems.push({ field: `related[${i}]`, message: `unknown entry id "${value}"` });
  });
  return problems;
}

function repeatedQuestions(questions: unknown): CurationProblem[] {
  if (!Array.isArray(questions)) return [];
  const first = new Map<string, number>();
  const problems: CurationProblem[] = [];
  questions.forEach((value, i) => {
    if (typeof value !== 'string') return;
    const key = phrasingKey(value);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else problems.push({ field: `questions[${i}]`, message: `repeats questions[${earlier}]` });
  });
  return problems;
}

/** Case, spacing and end punctuation do not make a phrasing new. */
export function phrasingKey(text: string): string {
  return text
    .toLocaleLowerCase('de')
    .replace(/\s+/g, ' ')
    .replace(/[\s?!.]+$/, '')
    .trim();
}

/** The day (UTC) of an epoch time, as knowledge files write `updated`. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** `de/vpn-setup`: how an entry in one language is named in audit lines and keys. */
export function entryKey(id: string, language: Language): string {
  return `${language}/${id}`;
}
