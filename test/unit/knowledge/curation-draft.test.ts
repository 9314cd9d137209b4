import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import { checkFaqDraft } from '../../../src/knowledge/check-faq-draft.ts';
import { formatKnowledgeFile, knowledgeFilePath } from '../../../src/knowledge/format-knowledge-file.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';
import { mergeKnowledge } from '../../../src/knowledge/merge-knowledge.ts';

const context = { knownIds: new Set(['vpn-setup', 'password-reset']), today: '2026-03-02' };

const draft = {
  id: 'badge-reader',
  language: 'en',
  title: 'Badge reader rejects the card',
  questions: ['The badge reader rejects my card'],
  answer: 'Hold the card flat against the reader for two seconds.',
};

function entry(id: string, language: 'de' | 'en', source: string, title = `Title of ${id}`): FaqEntry {
  return {
    id,
    language,
    title,
    questions: [`question about ${id}`],
    tags: [],
    queue: 'general',
    billable: false,
    related: [],
    updated: '2026-01-01',
    answer: `Answer about ${id}.`,
    source,
  };
}

describe('checkFaqDraft', () => {
  it('accepts a complete draft, fills the defaults and stamps the day', () => {
    const checked = checkFaqDraft({ ...draft, related: ['vpn-setup'] }, context);
    expect(checked).toEqual({
      ok: true,
      entry: {
        ...draft,
        related: ['vpn-setup'],
        tags: [],
        queue: 'general',
        billable: false,
        updated: '2026-03-02',
        source: 'store',
      },
    });
  });

  it('lists every problem at once: schema, answer, unknown fields, links and repeated phrasings', () => {
    const checked = checkFaqDraft(
      {
        id: 'Badge Reader',
        language: 'fr',
        title: 'x',
        questions: ['Badge broken?', 'badge  BROKEN', 7],
        related: ['no-such-entry', 'Badge Reader'],
        answer: '   ',
        colour: 'red',
      },
      context,
    );
    expect(checked.ok).toBe(false);
    const fields = checked.ok ? [] : checked.problems.map((p) => p.field).sort();
    expect(fields).toEqual(
      [
        'answer',
        'colour',
        'id',
        'language',
        'questions[1]',
        'questions[2]',
        'related[0]',
        'related[1]',
        'title',
      ].sort(),
    );
    const messages = checked.ok ? [] : checked.problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toContain('related[0]: unknown entry id "no-such-entry"');
    expect(messages).toContain('related[1]: an entry cannot relate to itself');
    expect(messages).toContain('questions[1]: repeats questions[0]');
    expect(messages).toContain('colour: unknown field');
  });

  it('refuses something that is not an object with one problem per missing field', () => {
    const checked = checkFaqDraft('vpn', context);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.problems.length).toBeGreaterThan(0);
  });
});

describe('mergeKnowledge', () => {
  it('replaces file entries in place, hides retired ones and appends new ones', () => {
    const shipped = [
      entry('a', 'de', 'knowledge/de/a.md'),
      entry('b', 'de', 'knowledge/de/b.md'),
      entry('b', 'en', 'x'),
    ];
    const merged = mergeKnowledge(shipped, {
      version: 3,
      entries: [entry('a', 'de', 'store', 'Edited'), entry('c', 'en', 'store')],
      removed: [{ id: 'b', language: 'en' }],
    });
    expect(merged.entries.map((e) => `${e.language}/${e.id}:${e.title}`)).toEqual([
      'de/a:Edited',
      'de/b:Title of b',
      'en/c:Title of c',
    ]);
    expect(Object.fromEntries(merged.origins)).toEqual({
      'de/a': 'store',
      'de/b': 'file',
      'en/b': 'retired',
      'en/c': 'store',
    });
  });
});

describe('formatKnowledgeFile', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a file that loadKnowledge reads back to the same entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'curation-export-'));
    const tricky: FaqEntry = {
      ...entry('badge-reader', 'de', 'store'),
      title: 'Ausweis: Leser "piept" nur',
      questions: ['Was tun, wenn der Leser # zeigt?', 'yes', '- nichts geht'],
      tags: ['ausweis', 'zutritt'],
      related: ['vpn-setup'],
      billable: true,
      answer: '1. Karte **flach** halten.\n2. Zwei Sekunden warten.',
    };
    const other = entry('vpn-setup', 'de', 'store');
    const text = formatKnowledgeFile(tricky);
    expect(text).toContain('tags: [ausweis, zutritt]');
    expect(knowledgeFilePath(tricky)).toBe('knowledge/de/badge-reader.md');
    await mkdir(join(dir, 'de'));
    await writeFile(join(dir, 'de', 'badge-reader.md'), text);
    await writeFile(join(dir, 'de', 'vpn-setup.md'), formatKnowledgeFile(other));
    const loaded = await loadKnowledge(dir);
    const back = loaded.find((e) => e.id === 'badge-reader');
    expect(back).toEqual({ ...tricky, source: join(dir, 'de', 'badge-reader.md') });
  });
});
