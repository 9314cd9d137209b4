import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { type FaqEntry, FaqFrontMatterSchema } from '../core/faq-entry.ts';
import { isLanguage, type Language } from '../core/language.ts';
import { formatIssuePath } from './format-issue-path.ts';
import { parseFrontMatter } from './parse-front-matter.ts';

interface KnowledgeFile {
  path: string;
  /** Language implied by the folder (`de/`, `en/`) or a `<id>.<language>.md` name. */
  expectedLanguage?: Language;
  expectedId: string;
}

/**
 * Reads `<dir>/de/*.md`, `<dir>/en/*.md` and `<dir>/*.md`. A broken knowledge base throws
 * ValidationFailedError naming every problem (file, field, message) at once.
 */
export async function loadKnowledge(dir: string): Promise<FaqEntry[]> {
  const problems: ValidationProblem[] = [];
  const files = await listKnowledgeFiles(dir, problems);
  const entries: FaqEntry[] = [];
  for (const file of files) {
    const content = await readFile(file.path, 'utf8');
    const entry = parseKnowledgeFile(file, content, problems);
    if (entry) entries.push(entry);
  }
  problems.push(...checkKnowledge(entries));
  if (problems.length > 0) throw new ValidationFailedError(`Invalid knowledge in ${dir}`, problems);
  return entries;
}

/** Cross-file checks: duplicate (id, language) pairs and `related` ids that do not exist. */
export function checkKnowledge(entries: readonly FaqEntry[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Map<string, FaqEntry>();
  const ids = new Set(entries.map((e) => e.id));
  for (const entry of entries) {
    const key = `${entry.id}\u0000${entry.language}`;
    const first = seen.get(key);
    if (first) {
      problems.push({
        source: entry.source,
        field: 'id',
        message: `duplicate entry "${entry.id}" (${entry.language}), also in ${first.source}`,
      });
    } else {
      seen.set(key, entry);
    }
    entry.related.forEach((related, i) => {
      if (!ids.has(related)) {
        problems.push({
          source: entry.source,
          field: `related[${i}]`,
          message: `unknown entry id "${related}"`,
        });
      } else if (related === entry.id) {
        problems.push({
          source: entry.source,
          field: `related[${i}]`,
          message: 'an entry cannot relate to itself',
        });
      }
    });
  }
  return problems;
}

/** Parses one file; pushes its problems and returns undefined when it is broken. */
export function parseKnowledgeFile(
  file: KnowledgeFile,
  content: string,
  problems: ValidationProblem[],
): FaqEntry | undefined {
  const source = file.path;
  const parsed = parseFrontMatter(source, content);
  if (!parsed.ok) {
    problems.push(...parsed.problems);
    return undefined;
  }
  const result = FaqFrontMatterSchema.safeParse(parsed.data ?? {});
  const answer = parsed.body.trim();
  let broken = false;
  if (answer === '') {
    problems.push({ source, field: 'answer', message: 'the answer (text after the front matter) is empty' });
    broken = true;
  }
  if (!result.success) {
    problems.push(...issuesToProblems(source, result.error.issues));
    return undefined;
  }
  const data = result.data;
  if (file.expectedLanguage && data.language !== file.expectedLanguage) {
    problems.push({
      source,
      field: 'language',
      message: `"${data.language}" does not match the file's folder or name (${file.expectedLanguage})`,
    });
    broken = true;
  }
  if (data.id !== file.expectedId) {
    problems.push({
      source,
      field: 'id',
      message: `"${data.id}" does not match the file name (${file.expectedId})`,
    });
    broken = true;
  }
  if (broken) return undefined;
  return { ...data, answer, source };
}

export function issuesToProblems(source: string, issues: readonly z.core.$ZodIssue[]): ValidationProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        source,
        field: formatIssuePath([...issue.path, key]),
        message: 'unknown field',
      }));
    }
    return [{ source, field: formatIssuePath(issue.path), message: issue.message }];
  });
}

async function listKnowledgeFiles(dir: string, problems: ValidationProblem[]): Promise<KnowledgeFile[]> {
  const files: KnowledgeFile[] = [];
  const top = await listMarkdown(dir);
  if (top === undefined) {
    problems.push({ source: dir, field: '(directory)', message: 'knowledge directory not found' });
    return files;
  }
  for (const name of top.files) files.push(describeFile(join(dir, name), undefined));
  for (const sub of top.dirs) {
    if (!isLanguage(sub)) continue;
    const inner = await listMarkdown(join(dir, sub));
    for (const name of inner?.files ?? []) files.push(describeFile(join(dir, sub, name), sub));
  }
  return files;
}

function describeFile(path: string, folderLanguage: Language | undefined): KnowledgeFile {
  let id = basename(path).replace(/\.md$/i, '');
  let expectedLanguage = folderLanguage;
  const suffix = /\.(de|en)$/.exec(id);
  if (suffix?.[1] && isLanguage(suffix[1])) {
    id = id.slice(0, -3);
    // A name like `x.en.md` inside `de/` is itself a conflict; the folder wins and the check reports it.
    expectedLanguage ??= suffix[1];
  }
  return expectedLanguage ? { path, expectedLanguage, expectedId: id } : { path, expectedId: id };
}

async function listMarkdown(dir: string): Promise<{ files: string[]; dirs: string[] } | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const dirents = await readdir(dir, { withFileTypes: true });
  const files = dirents
    .filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.md') && !d.name.startsWith('.'))
    .map((d) => d.name)
    .filter((name) => name.toLowerCase() !== 'readme.md')
    .sort();
  const dirs = dirents
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return { files, dirs };
}
