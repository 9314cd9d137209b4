import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config/config.ts';
import { ValidationFailedError } from '../core/errors.ts';
import type { FaqEntry } from '../core/faq-entry.ts';
import { isLanguage, type Language } from '../core/language.ts';
import { loadKnowledge } from '../knowledge/load-knowledge.ts';
import type { NamedText } from '../knowledge/transfer/faq-markdown.ts';
import {
  formatFaqExport,
  formatOfName,
  type ImportInput,
  readFaqImport,
} from '../knowledge/transfer/faq-transfer.ts';
import {
  formatTransferProblem,
  isTransferFormat,
  TRANSFER_FORMATS,
  type TransferFormat,
} from '../knowledge/transfer/transfer-problem.ts';
import { detectLanguage } from '../understanding/detect-language.ts';
import { argsOrExit } from './command-args.ts';

interface TransferIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

const IMPORT_USAGE = `usage: support-bot import FILE|FOLDER [--format ${TRANSFER_FORMATS.join('|')}] [--language de|en] [--dry-run]
  Writes the FAQ in FILE (a QnA Maker TSV export, CSV, JSON) or FOLDER (Markdown files) as
  Markdown entries into KNOWLEDGE_DIR (default ./knowledge), one file per entry and language.
  Every problem is listed by file, row and field, and then nothing is written.
  --format    taken from the file name when left out (.tsv qnamaker, .csv, .json, a folder markdown)
  --language  the language of entries that do not say theirs (else told from their words)
  --dry-run   check only`;

const EXPORT_USAGE = `usage: support-bot export --format ${TRANSFER_FORMATS.join('|')} [--out FILE|FOLDER]
  Writes the FAQ of KNOWLEDGE_DIR in the format: to FILE (or standard output), or for markdown
  into FOLDER.`;

/** `support-bot import`: an FAQ from another tool (or an export) into KNOWLEDGE_DIR, all or nothing. */
export async function runImport(args: string[], io: TransferIo): Promise<number> {
  const parsed = argsOrExit(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          format: { type: 'string' },
          language: { type: 'string' },
          'dry-run': { type: 'boolean' },
          help: { type: 'boolean' },
        },
      }),
    IMPORT_USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [path] = positionals;
  if (!path || positionals.length > 1) {
    io.stderr.write(`Give one file or folder to import.\n${IMPORT_USAGE}\n`);
    return 2;
  }
  if (values.language !== undefined && !isLanguage(values.language)) {
    io.stderr.write(`--language is de or en.\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    io.stderr.write(`${path}: not found.\n`);
    return 2;
  }
  const format = values.format ?? (info.isDirectory() ? 'markdown' : formatOfName(path));
  if (!format || !isTransferFormat(format)) {
    io.stderr.write(`Say the format: --format ${TRANSFER_FORMATS.join('|')}.\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const knowledgeDir = parseConfig(io.env).KNOWLEDGE_DIR;
  let existing: FaqEntry[];
  try {
    existing = (await stat(knowledgeDir).catch(() => undefined)) ? await loadKnowledge(knowledgeDir) : [];
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    io.stderr.write(`The knowledge in ${knowledgeDir} has problems; fix them first.\n${error.message}\n`);
    return 1;
  }
  const started = performance.now();
  const input = await readInput(path, format, info.isDirectory());
  const existingPath = new Map(existing.map((e) => [`${e.language}/${e.id}`, e.source]));
  const outcome = readFaqImport(input, {
    today: new Date().toISOString().slice(0, 10),
    language: values.language as Language | undefined,
    detectLanguage: (text) => detectLanguage(text, { hint: 'en' }),
    existing,
    sourceOf: (e) =>
      existingPath.get(`${e.language}/${e.id}`) ?? join(knowledgeDir, e.language, `${e.id}.md`),
  });
  if (!outcome.ok) {
    for (const problem of outcome.problems) io.stderr.write(`${formatTransferProblem(problem)}\n`);
    io.stderr.write(`${outcome.problems.length} problem(s); nothing was imported.\n`);
    return 1;
  }
  const files = formatFaqExport(outcome.entries, 'markdown') as NamedText[];
  const updated = outcome.entries.filter((e) => existingPath.has(`${e.language}/${e.id}`)).length;
  const summary = `${outcome.entries.length} entries (${outcome.entries.length - updated} new, ${updated} replaced)`;
  if (values['dry-run']) {
    io.stdout.write(`ok: ${summary} would be written to ${knowledgeDir}\n`);
    return 0;
  }
  await writeAll(outcome.entries.map((entry, i) => ({ name: entry.source, text: files[i]?.text ?? '' })));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(`imported ${summary} into ${knowledgeDir} in ${seconds} s\n`);
  return 0;
}

/** `support-bot export`: the FAQ of KNOWLEDGE_DIR in another format. */
export async function runExport(args: string[], io: TransferIo): Promise<number> {
  const parsed = argsOrExit(
    () =>
      parseArgs({
        args,
        options: { format: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
      }),
    EXPORT_USAGE,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const format = values.format;
  if (!format || !isTransferFormat(format)) {
    io.stderr.write(`Say the format: --format ${TRANSFER_FORMATS.join('|')}.\n${EXPORT_USAGE}\n`);
    return 2;
  }
  if (format === 'markdown' && !values.out) {
    io.stderr.write(`markdown is a folder: say where with --out FOLDER.\n${EXPORT_USAGE}\n`);
    return 2;
  }
  let entries: FaqEntry[];
  try {
    entries = await loadKnowledge(parseConfig(io.env).KNOWLEDGE_DIR);
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
  const exported = formatFaqExport(entries, format as TransferFormat);
  if (typeof exported !== 'string') {
    await writeAll(exported.map((f) => ({ name: join(values.out ?? '.', f.name), text: f.text })));
    io.stdout.write(`exported ${entries.length} entries to ${values.out}\n`);
  } else if (values.out) {
    await writeAll([{ name: values.out, text: exported }]);
    io.stdout.write(`exported ${entries.length} entries to ${values.out}\n`);
  } else {
    io.stdout.write(exported);
  }
  return 0;
}

async function readInput(path: string, format: TransferFormat, isDirectory: boolean): Promise<ImportInput> {
  if (format !== 'markdown') return { format, file: path, text: await readFile(path, 'utf8') };
  const names = isDirectory ? await listMarkdown(path) : [path];
  const files = await Promise.all(
    names.map(async (name) => ({
      name: isDirectory ? relative(path, name) : name,
      text: await readFile(name, 'utf8'),
    })),
  );
  return { format, files };
}

async function listMarkdown(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const dirent of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, dirent.name);
    if (dirent.isDirectory()) found.push(...(await listMarkdown(path)));
    else if (dirent.isFile() && dirent.name.toLowerCase().endsWith('.md')) found.push(path);
  }
  return found.sort();
}

/**
 * Every file is written beside its place first, then all are moved in: a failure while writing
 * leaves the knowledge as it was (the bot reloads once, when the moves are done).
 */
async function writeAll(files: readonly NamedText[]): Promise<void> {
  const temporary = `.import-${process.pid}.tmp`;
  for (const file of files) {
    await mkdir(dirname(file.name), { recursive: true });
    await writeFile(`${file.name}${temporary}`, file.text, 'utf8');
  }
  for (const file of files) await rename(`${file.name}${temporary}`, file.name);
}
