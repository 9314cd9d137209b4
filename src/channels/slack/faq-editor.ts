import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Clock } from '../../core/clock.ts';
import type { FaqEntry } from '../../knowledge/faq-entry.ts';
import { checkKnowledge } from '../../knowledge/load-knowledge.ts';
import type { AuditLog } from '../../store/ports.ts';

export type FaqSaveResult = { ok: true; created: boolean } | { ok: false; field: string; message: string };

/** Saves an admin's FAQ entry (from the Slack modal). */
export interface FaqEditor {
  save(entry: FaqEntry, actor: string): Promise<FaqSaveResult>;
}

/** The part of the Understanding an edit changes. */
export interface EditableKnowledge {
  readonly knowledge: { all(): FaqEntry[] };
  replaceEntries(entries: FaqEntry[]): void;
}

export interface KnowledgeFaqEditorOptions {
  understanding: EditableKnowledge;
  audit: AuditLog;
  clock: Clock;
  /** KNOWLEDGE_DIR: the entry is also written to `<dir>/<language>/<id>.md` so it survives a restart. */
  knowledgeDir?: string | undefined;
}

/**
 * Adds or replaces one entry: checked against the whole knowledge base (duplicates, related
 * ids), put live at once (replaceEntries, no restart), written as a knowledge file when a
 * directory is configured, and recorded in the audit log.
 */
export class KnowledgeFaqEditor implements FaqEditor {
  constructor(private readonly options: KnowledgeFaqEditorOptions) {}

  async save(entry: FaqEntry, actor: string): Promise<FaqSaveResult> {
    const { understanding, knowledgeDir } = this.options;
    const current = understanding.knowledge.all();
    const others = current.filter((e) => !(e.id === entry.id && e.language === entry.language));
    const created = others.length === current.length;
    const path = knowledgeDir ? join(knowledgeDir, entry.language, `${entry.id}.md`) : 'store';
    const saved: FaqEntry = { ...entry, source: path };
    const next = [...others, saved];
    const problem = checkKnowledge(next).find((p) => p.source === path);
    if (problem) return { ok: false, field: problem.field.replace(/\[\d+\]$/, ''), message: problem.message };
    if (knowledgeDir) await writeEntryFile(knowledgeDir, saved);
    understanding.replaceEntries(next);
    await this.options.audit.append({
      at: this.options.clock.now(),
      actor,
      action: created ? 'faq.add' : 'faq.edit',
      target: `${entry.id}.${entry.language}`,
      detail: 'slack',
    });
    return { ok: true, created };
  }
}

/** The knowledge file format: YAML front matter, then the Markdown answer. Written atomically. */
export async function writeEntryFile(dir: string, entry: FaqEntry): Promise<void> {
  const { answer, source: _source, ...front } = entry;
  const text = `---\n${stringify(front).trimEnd()}\n---\n\n${answer.trim()}\n`;
  const folder = join(dir, entry.language);
  await mkdir(folder, { recursive: true });
  const target = join(folder, `${entry.id}.md`);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, target);
}
