import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFaqDraft } from '../../../src/knowledge/check-faq-draft.ts';
import { parseFrontMatter } from '../../../src/knowledge/parse-front-matter.ts';
import { formatFaqExport, readFaqImport } from '../../../src/knowledge/transfer/faq-transfer.ts';

/**
 * Whatever the console accepts as an entry, its Markdown export loads back to the same entry:
 * titles and questions with `---`, line-separator characters, YAML's own markers, quotes.
 */
const TRICKY = [
  '---',
  '--- ',
  '\n---\n',
  '\u2028---',
  '\u0085---',
  '\u2029',
  '\v',
  '\f',
  '\r',
  ': ',
  ' #',
  '- ',
  '? ',
  '|',
  '>',
  '&a',
  '*a',
  '!x',
  '%',
  '@',
  '`',
  '"',
  "'",
  '{',
  '[',
  '\t',
  'null',
  'true',
  '0x1F',
  '2026-01-01',
  '\uFEFF',
];
const piece = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8, unit: 'grapheme' }));
const text = (min: number, max: number) =>
  fc
    .array(piece, { minLength: 1, maxLength: 10 })
    .map((parts) => `${'x'.repeat(min)}${parts.join('')}`.slice(0, max));

describe('FAQ export, then load', () => {
  it('gives back every entry the console accepts, whatever its title, questions and answer hold', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        text(3, 120),
        fc.array(text(2, 300), { minLength: 1, maxLength: 3 }),
        text(1, 500),
        (title, questions, answer) => {
          const checked = checkFaqDraft(
            { id: 'tricky-entry', language: 'de', title, questions, answer },
            { knownIds: new Set(['tricky-entry']), today: '2026-12-07' },
          );
          if (!checked.ok) return;
          accepted += 1;
          const files = formatFaqExport([checked.entry], 'markdown');
          const loaded = readFaqImport(
            { format: 'markdown', files: files as { name: string; text: string }[] },
            { today: '2026-12-07', sourceOf: () => 'store' },
          );
          if (!loaded.ok)
            throw new Error(
              `export does not load: ${JSON.stringify(loaded.problems)}\n${JSON.stringify(files)}`,
            );
          expect(loaded.entries).toEqual([checked.entry]);
        },
      ),
      { numRuns: 1_500 },
    );
    // The property said something: most generated entries were accepted and went round.
    expect(accepted).toBeGreaterThan(300);
  });
});

describe('front matter', () => {
  it('ends only at a `---` line of its own, not at an indented one inside a multi-line value', () => {
    const text = '---\nid: multi-line\ntitle: |-\n  Erste Zeile\n  ---\n  Dritte Zeile\n---\nAntwort\n';
    const parsed = parseFrontMatter('de/multi-line.md', text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.data).toMatchObject({ title: 'Erste Zeile\n---\nDritte Zeile' });
    expect(parsed.body).toBe('Antwort\n');
  });
});
