import type { FaqEntry } from '../../core/faq-entry.ts';
import { formatKnowledgeFile, knowledgeFilePath } from '../format-knowledge-file.ts';
import { parseFrontMatter } from '../parse-front-matter.ts';
import type { RawEntry } from './check-imported-entry.ts';
import type { TableReadResult } from './faq-csv.ts';

/** One file of a Markdown folder: its path inside the folder and its text. */
export interface NamedText {
  name: string;
  text: string;
}

/** The knowledge folder layout: `de/<id>.md`, `en/<id>.md`, each front matter plus answer. */
export function formatFaqMarkdown(entries: readonly FaqEntry[]): NamedText[] {
  return entries.map((entry) => ({
    name: knowledgeFilePath(entry).replace(/^knowledge\//, ''),
    text: formatKnowledgeFile(entry),
  }));
}

/**
 * Markdown files (as knowledge/ has them) as raw entries. The front matter says id and language;
 * without a language, the folder (`de/`, `en/`), a `.de.md` name or the import's language does.
 */
export function readFaqMarkdown(files: readonly NamedText[], language: string | undefined): TableReadResult {
  const raws: RawEntry[] = [];
  const problems: TableReadResult['problems'] = [];
  for (const file of files) {
    if (!/\.md$/i.test(file.name) || /(^|\/)readme\.md$/i.test(file.name)) continue;
    const parsed = parseFrontMatter(file.name, file.text);
    if (!parsed.ok) {
      for (const p of parsed.problems) problems.push({ file: file.name, field: p.field, message: p.message });
      continue;
    }
    const data = parsed.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      problems.push({
        file: file.name,
        field: 'front matter',
        message: 'expected fields such as id: and title:',
      });
      continue;
    }
    const raw: Record<string, unknown> = { ...(data as Record<string, unknown>), answer: parsed.body };
    if (raw.updated instanceof Date) raw.updated = raw.updated.toISOString().slice(0, 10);
    raw.language ??= languageOfPath(file.name) ?? language;
    raws.push({ raw, origin: { file: file.name } });
  }
  if (raws.length === 0 && problems.length === 0) {
    problems.push({ file: '(folder)', field: '(files)', message: 'no Markdown files (*.md) found' });
  }
  return { raws, problems };
}

function languageOfPath(name: string): string | undefined {
  return /(?:^|\/)(de|en)\/[^/]+$/.exec(name)?.[1] ?? /\.(de|en)\.md$/i.exec(name)?.[1];
}
