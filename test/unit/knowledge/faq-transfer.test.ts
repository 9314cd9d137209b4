import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import { slugOf } from '../../../src/knowledge/transfer/faq-qnamaker.ts';
import {
  formatFaqExport,
  type ImportInput,
  readFaqImport,
} from '../../../src/knowledge/transfer/faq-transfer.ts';
import { TRANSFER_FORMATS, type TransferFormat } from '../../../src/knowledge/transfer/transfer-problem.ts';

const FIXTURE = new URL('../../fixtures/transfer/qnamaker-export.tsv', import.meta.url);
const context = { today: '2026-12-01', sourceOf: () => 'store' };

function inputOf(format: TransferFormat, exported: string | { name: string; text: string }[]): ImportInput {
  if (format === 'markdown') return { format, files: exported as { name: string; text: string }[] };
  return { format, file: `faq.${format}`, text: exported as string };
}

describe('QnA Maker TSV export', () => {
  it('reads alternative questions of one QnaId into one entry, with metadata as tags and prompts as related', async () => {
    const outcome = readFaqImport(
      { format: 'qnamaker', file: 'kb.tsv', text: await readFile(FIXTURE, 'utf8') },
      { ...context, language: 'en' },
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    expect(outcome.entries).toHaveLength(3);
    const [reset, locked, printers] = outcome.entries;
    expect(reset).toMatchObject({
      id: 'how-do-i-reset-my-password',
      language: 'en',
      title: 'How do I reset my password?',
      questions: ['How do I reset my password?', 'I forgot my password', 'Password reset not working'],
      tags: ['category:accounts', 'product:portal'],
      related: ['my-account-is-locked'],
      updated: '2026-12-01',
    });
    // `\n` in the export is a line break in the answer.
    expect(reset?.answer).toContain('*Forgot password*.\n\n1. Enter your user name.\n2.');
    expect(locked?.questions).toHaveLength(2);
    expect(printers?.id).toBe('which-printers-can-i-use-on-the-third-floor');
  });

  it('names every problem by file, row and field, and imports nothing', () => {
    const text = [
      'Question\tAnswer\tSource\tMetadata\tSuggestedQuestions\tIsContextOnly\tPrompts\tQnaId',
      'Reset password\t\tEditorial\t\t[]\tfalse\t[]\t1',
      'VPN?\tUse the VPN client.\tEditorial\tbroken\t[]\tfalse\t[{"qnaId":9}]\t2',
      'Printer\tPrint it.\tEditorial\tbillable:maybe\t[]\tfalse\t[]\t3',
    ].join('\n');
    const outcome = readFaqImport(
      { format: 'qnamaker', file: 'kb.tsv', text },
      { ...context, language: 'en' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'kb.tsv', row: 2, field: 'answer' }),
        expect.objectContaining({ file: 'kb.tsv', row: 3, field: 'Metadata' }),
        expect.objectContaining({ file: 'kb.tsv', row: 3, field: 'Prompts[0]' }),
        expect.objectContaining({ file: 'kb.tsv', row: 4, field: 'billable' }),
      ]),
    );
  });

  it('says which columns it does not know', () => {
    const outcome = readFaqImport(
      { format: 'qnamaker', file: 'kb.tsv', text: 'Frage\tAnswer\nx\ty' },
      { ...context, language: 'de' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems.map((p) => [p.row, p.field])).toEqual([
      [1, 'frage'],
      [1, 'question'],
    ]);
  });

  it('makes ids from questions, German letters spelled out', () => {
    expect(slugOf('Wie ändere ich mein Passwort?')).toBe('wie-aendere-ich-mein-passwort');
    expect(slugOf('???')).toBe('');
  });
});

describe('CSV and JSON', () => {
  it('reports a CSV row without language when the import does not say one', () => {
    const text =
      'id,title,questions,answer\nvpn-setup,VPN setup,"How do I set up the VPN?\nVPN install",Install the client.\n';
    const outcome = readFaqImport({ format: 'csv', file: 'faq.csv', text }, context);
    expect(outcome).toMatchObject({ ok: false, problems: [{ file: 'faq.csv', row: 2, field: 'language' }] });
    const withLanguage = readFaqImport(
      { format: 'csv', file: 'faq.csv', text },
      { ...context, language: 'en' },
    );
    expect(withLanguage).toMatchObject({
      ok: true,
      entries: [
        { id: 'vpn-setup', questions: ['How do I set up the VPN?', 'VPN install'], queue: 'general' },
      ],
    });
  });

  it('finds an id twice and a related id nowhere, in JSON', () => {
    const entry = { id: 'a-b', language: 'de', title: 'Titel', questions: ['Frage eins'], answer: 'Antwort' };
    const text = JSON.stringify({ entries: [entry, { ...entry, related: ['missing'] }] });
    const outcome = readFaqImport({ format: 'json', file: 'faq.json', text }, context);
    expect(outcome).toMatchObject({
      ok: false,
      problems: [{ file: 'faq.json', row: 2, field: 'id', message: expect.stringContaining('faq.json:1') }],
    });
  });

  it('knows the existing knowledge: related ids may point there', () => {
    const existing: FaqEntry = {
      id: 'vpn-setup',
      language: 'de',
      title: 'VPN einrichten',
      questions: ['VPN einrichten'],
      answer: 'So geht es.',
      tags: [],
      queue: 'general',
      billable: false,
      related: [],
      updated: '2026-01-01',
      source: 'knowledge/de/vpn-setup.md',
    };
    const text = JSON.stringify([
      {
        id: 'vpn-slow',
        language: 'de',
        title: 'VPN langsam',
        questions: ['VPN ist langsam'],
        answer: 'Neu verbinden.',
        related: ['vpn-setup'],
      },
    ]);
    expect(readFaqImport({ format: 'json', file: 'f.json', text }, context).ok).toBe(false);
    expect(
      readFaqImport({ format: 'json', file: 'f.json', text }, { ...context, existing: [existing] }).ok,
    ).toBe(true);
  });

  it('tells a language from the words when asked to', () => {
    const text =
      'id,title,questions,answer\ndrucker,Drucker druckt nicht,"Mein Drucker druckt nicht mehr",Neu starten.\n';
    const outcome = readFaqImport(
      { format: 'csv', file: 'faq.csv', text },
      { ...context, detectLanguage: (t) => (/drucker/i.test(t) ? 'de' : 'en') },
    );
    expect(outcome).toMatchObject({ ok: true, entries: [{ language: 'de' }] });
  });
});

// ---- export then import loses nothing ------------------------------------------------------

const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const oneLine = (min: number, max: number) =>
  fc
    .string({ minLength: min, maxLength: max, unit: 'grapheme' })
    .map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ').trim())
    // The schema counts code points, as zod does.
    .filter((s) => [...s].length >= min);

const entryArbitrary = fc.record({
  id: fc.array(word, { minLength: 1, maxLength: 3 }).map((words) => words.join('-')),
  language: fc.constantFrom('de' as const, 'en' as const),
  title: oneLine(3, 40),
  questions: fc.uniqueArray(oneLine(2, 40), {
    minLength: 1,
    maxLength: 4,
    selector: (q) =>
      q
        .toLocaleLowerCase('de')
        .replace(/\s+/g, ' ')
        .replace(/[\s?!.]+$/, ''),
  }),
  answer: fc
    .string({ minLength: 1, maxLength: 120, unit: 'grapheme' })
    .map((s) => s.trim())
    .filter((s) => s !== ''),
  tags: fc.uniqueArray(
    oneLine(1, 12)
      .map((t) => t.replace(/,/g, ';'))
      .filter((t) => t.trim() !== ''),
    {
      maxLength: 3,
    },
  ),
  queue: fc.constantFrom('general', 'network', 'identity'),
  billable: fc.boolean(),
  updated: fc.constantFrom('2025-01-31', '2026-11-22'),
});

/** A knowledge base: unique (id, language), related ids that exist and are not the entry itself. */
const knowledgeArbitrary = fc
  .uniqueArray(entryArbitrary, { minLength: 1, maxLength: 6, selector: (e) => `${e.language}/${e.id}` })
  .chain((entries) =>
    fc.tuple(
      fc.constant(entries),
      fc.array(fc.subarray(entries.map((e) => e.id)), {
        minLength: entries.length,
        maxLength: entries.length,
      }),
    ),
  )
  .map(([entries, related]): FaqEntry[] =>
    entries.map((e, i) => ({
      ...e,
      related: [...new Set((related[i] ?? []).filter((id) => id !== e.id))],
      source: 'store',
    })),
  );

describe('export, then import', () => {
  for (const format of TRANSFER_FORMATS) {
    it(`loses nothing in ${format}`, () => {
      fc.assert(
        fc.property(knowledgeArbitrary, (entries) => {
          const outcome = readFaqImport(inputOf(format, formatFaqExport(entries, format)), context);
          if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
          expect(outcome.entries).toEqual(entries);
        }),
        { numRuns: 150 },
      );
    });
  }
});
