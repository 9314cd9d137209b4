import { stringify } from 'csv-stringify/sync';
import type { FaqEntry } from '../../core/faq-entry.ts';
import type { RawEntry } from './check-imported-entry.ts';
import type { TableReadResult } from './faq-csv.ts';
import { columnProblems, readTable, splitList } from './read-table.ts';
import type { TransferProblem } from './transfer-problem.ts';

/**
 * The QnA Maker / Azure custom question answering TSV export: one row per question; rows with the
 * same QnaId are alternative questions of one answer. Metadata is `key:value|key:value`; Prompts
 * (follow-up prompts) is a JSON list of `{displayOrder, qnaId, displayText}`. Line breaks in an
 * answer are written `\n`, as the export does.
 *
 * Entry fields QnA Maker has no column for travel in the metadata (`id`, `title`, `language`,
 * `tags`, `queue`, `billable`, `updated`, with `%`, `:`, `|`, `,` and line breaks percent-encoded),
 * and `related` as prompts, so an export reads back the same. Other metadata pairs become tags
 * `key:value`. Without `id`, an entry's id is made from its first question.
 */
export const QNA_COLUMNS = [
  'question',
  'answer',
  'source',
  'metadata',
  'suggestedquestions',
  'iscontextonly',
  'prompts',
  'qnaid',
] as const;

const HEADER = [
  'Question',
  'Answer',
  'Source',
  'Metadata',
  'SuggestedQuestions',
  'IsContextOnly',
  'Prompts',
  'QnaId',
];
const OWN_KEYS = new Set(['id', 'title', 'language', 'tags', 'tag', 'queue', 'billable', 'updated']);
const SOURCE = 'support-bot';

export function formatFaqQnaMaker(entries: readonly FaqEntry[]): string {
  const qnaIds = new Map<string, number>();
  for (const [i, e] of entries.entries()) qnaIds.set(`${e.language}/${e.id}`, i + 1);
  // A related id points to the entry in the same language, else to the other language's.
  const qnaIdOf = (id: string, language: string): number | undefined =>
    qnaIds.get(`${language}/${id}`) ?? qnaIds.get(`${language === 'de' ? 'en' : 'de'}/${id}`);
  const rows: string[][] = [];
  entries.forEach((e, i) => {
    const metadata = [
      ['id', e.id],
      ['title', e.title],
      ['language', e.language],
      ['queue', e.queue],
      ['billable', String(e.billable)],
      ['updated', e.updated],
      ...(e.tags.length > 0 ? [['tags', e.tags.map(encodeValue).join(',')]] : []),
    ]
      .map(([key, value]) => `${key}:${key === 'tags' ? value : encodeValue(value ?? '')}`)
      .join('|');
    const prompts = e.related.map((id, order) => ({
      displayOrder: order,
      qnaId: qnaIdOf(id, e.language),
      displayText: entries.find((r) => r.id === id)?.title ?? id,
    }));
    for (const question of e.questions) {
      rows.push([
        escapeField(question),
        escapeField(e.answer),
        SOURCE,
        metadata,
        '[]',
        'false',
        JSON.stringify(prompts),
        String(i + 1),
      ]);
    }
  });
  return stringify(rows, {
    header: true,
    columns: HEADER,
    delimiter: '\t',
    record_delimiter: '\n',
    quote: false,
  });
}

interface QnaGroup {
  qnaId: string;
  line: number;
  questions: string[];
  answer: string;
  metadata: string;
  prompts: string;
}

/** The rows of a QnA Maker export as raw entries, one per QnaId (or per answer without QnaId). */
export function readFaqQnaMaker(text: string, file: string, language: string | undefined): TableReadResult {
  const table = readTable(text, file, '\t');
  if (!table.ok) return { raws: [], problems: table.problems };
  const problems = columnProblems(file, table.columns, QNA_COLUMNS, ['question', 'answer']);
  if (problems.length > 0) return { raws: [], problems };
  const groups = new Map<string, QnaGroup>();
  for (const { line, cells } of table.rows) {
    const qnaId = cells.qnaid?.trim() || `answer:${cells.answer ?? ''}`;
    let group = groups.get(qnaId);
    if (!group) {
      group = {
        qnaId,
        line,
        questions: [],
        answer: unescapeField(cells.answer ?? ''),
        metadata: cells.metadata ?? '',
        prompts: cells.prompts ?? '',
      };
      groups.set(qnaId, group);
    }
    const question = unescapeField(cells.question ?? '').trim();
    if (question !== '') group.questions.push(question);
  }
  const parsedGroups = [...groups.values()].map((group) => ({
    group,
    metadata: parseMetadata(group.metadata, { file, row: group.line }, problems),
  }));
  const ids = assignIds(parsedGroups.map(({ group, metadata }) => ({ group, explicit: metadata.get('id') })));
  const raws = parsedGroups.map(({ group, metadata }): RawEntry => {
    const origin = { file, row: group.line };
    const tags = [
      ...splitList(metadata.get('tags') ?? metadata.get('tag') ?? '').map(decodeValue),
      ...[...metadata].filter(([key]) => !OWN_KEYS.has(key)).map(([key, value]) => `${key}:${value}`),
    ];
    const raw: Record<string, unknown> = {
      id: ids.get(group.qnaId) ?? '',
      language: metadata.get('language') || language || '',
      title: metadata.get('title') ?? titleFrom(group.questions[0] ?? ''),
      questions: group.questions,
      answer: group.answer,
      tags,
      related: relatedFrom(group.prompts, ids, origin, problems),
    };
    if (metadata.get('queue')) raw.queue = metadata.get('queue');
    const billable = metadata.get('billable');
    if (billable !== undefined)
      raw.billable = billable === 'true' ? true : billable === 'false' ? false : billable;
    if (metadata.get('updated')) raw.updated = metadata.get('updated');
    return { raw, origin };
  });
  return { raws, problems };
}

/** `key:value|key:value`; keys lower case, values decoded. */
function parseMetadata(
  text: string,
  origin: { file: string; row: number },
  problems: TransferProblem[],
): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of text.split('|')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) {
      problems.push({ ...origin, field: 'Metadata', message: `"${part.trim()}" is not key:value` });
      continue;
    }
    const key = part.slice(0, colon).trim().toLowerCase();
    const value = part.slice(colon + 1).trim();
    pairs.set(key, key === 'tags' || key === 'tag' ? value : decodeValue(value));
  }
  return pairs;
}

/** Follow-up prompts as related entry ids. */
function relatedFrom(
  text: string,
  ids: Map<string, string>,
  origin: { file: string; row: number },
  problems: TransferProblem[],
): string[] {
  if (text.trim() === '' || text.trim() === '[]') return [];
  let prompts: unknown;
  try {
    prompts = JSON.parse(text);
  } catch {
    problems.push({ ...origin, field: 'Prompts', message: 'not a JSON list of prompts' });
    return [];
  }
  if (!Array.isArray(prompts)) {
    problems.push({ ...origin, field: 'Prompts', message: 'not a JSON list of prompts' });
    return [];
  }
  const related: string[] = [];
  prompts.forEach((prompt: unknown, i) => {
    const qnaId =
      (prompt as { qnaId?: unknown; QnaId?: unknown } | null)?.qnaId ??
      (prompt as { QnaId?: unknown } | null)?.QnaId;
    const id = qnaId === undefined || qnaId === null ? undefined : ids.get(String(qnaId));
    if (id === undefined) {
      problems.push({ ...origin, field: `Prompts[${i}]`, message: `no QnaId ${String(qnaId)} in this file` });
    } else if (!related.includes(id)) related.push(id);
  });
  return related;
}

/** Entry ids: the metadata's, else made from the first question; unique across the file. */
function assignIds(groups: { group: QnaGroup; explicit: string | undefined }[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set(groups.flatMap(({ explicit }) => (explicit ? [explicit] : [])));
  for (const { group, explicit } of groups) {
    if (explicit) {
      ids.set(group.qnaId, explicit);
      continue;
    }
    const base = slugOf(group.questions[0] ?? '') || 'entry';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    ids.set(group.qnaId, id);
  }
  return ids;
}

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** `How do I reset my password?` → `how-do-i-reset-my-password`. */
export function slugOf(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => UMLAUTS[c] ?? c)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    if (slug.length + word.length + 1 > 60) break;
    slug = slug ? `${slug}-${word}` : word;
  }
  return slug;
}

function titleFrom(question: string): string {
  return question.length <= 120 ? question : `${question.slice(0, 117).trimEnd()}…`;
}

const ENCODED = /[%:|,\r\n\t]/g;

/** Metadata values may not hold `:`, `|`, `,` (a list) or line breaks: percent-encoded. */
function encodeValue(value: string): string {
  return value.replace(ENCODED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function decodeValue(value: string): string {
  return value.replace(/%(25|3A|7C|2C|0D|0A|09)/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Line breaks as `\n` and tabs as `\t`, backslashes doubled: a text stays one TSV field. */
function escapeField(text: string): string {
  return text.replace(
    /[\\\n\r\t]/g,
    (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c,
  );
}

function unescapeField(text: string): string {
  return text.replace(/\\([\\nrt])/g, (_, c: string) => ({ '\\': '\\', n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
