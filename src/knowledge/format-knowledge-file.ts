import { Document, isSeq } from 'yaml';
import type { FaqEntry } from '../core/faq-entry.ts';

/** Where the entry belongs in the repository: `knowledge/<language>/<id>.md`. */
export function knowledgeFilePath(entry: Pick<FaqEntry, 'id' | 'language'>): string {
  return `knowledge/${entry.language}/${entry.id}.md`;
}

/**
 * The knowledge file text of an entry, in the layout of the shipped files (front matter in
 * their field order, short lists inline), so committing an exported edit gives a small diff.
 * loadKnowledge reads it back to the same entry.
 */
export function formatKnowledgeFile(entry: FaqEntry): string {
  const front = {
    id: entry.id,
    title: entry.title,
    language: entry.language,
    questions: entry.questions,
    tags: entry.tags,
    queue: entry.queue,
    billable: entry.billable,
    related: entry.related,
    updated: entry.updated,
  };
  const doc = new Document(front);
  for (const key of ['tags', 'related']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd();
  return `---\n${yaml}\n---\n${entry.answer.trim()}\n`;
}
