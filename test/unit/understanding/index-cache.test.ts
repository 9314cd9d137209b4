import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FaqEntry } from '../../../src/core/faq-entry.ts';
import { type Logger, silentLogger } from '../../../src/core/logger.ts';
import type { MatchResult } from '../../../src/core/match.ts';
import { IndexCache } from '../../../src/understanding/index-cache.ts';
import { IntentRanker } from '../../../src/understanding/intent-ranker.ts';
import { buildPhrasings } from '../../../src/understanding/label-phrasings.ts';
import { Understanding } from '../../../src/understanding/understanding.ts';
import {
  loadUnderstandingSources,
  type UnderstandingSources,
} from '../../../src/understanding/understanding-sources.ts';
import { parseLabelledCsv } from '../../../tools/eval/parse-csv.ts';

/**
 * The built index kept in DATA_DIR (index-cache.ts) with the default knowledge: it must be used,
 * answer exactly as a fresh build does, follow knowledge changes, and survive a damaged file.
 */
const root = new URL('../../../', import.meta.url).pathname;

let sources: UnderstandingSources;
let fresh: Understanding;
let questions: string[];
/**
 * What a freshly built index answers to `questions`, asked in order. Compared with other indexes
 * asked in the same order from their start: an index remembers word similarities between
 * messages, in 32 bits, so a question asked again may differ from the first answer in the last bits.
 */
let freshAnswers: MatchResult[];

function recordingLog(): Logger & { warnings: string[]; restored: number } {
  const log = {
    ...silentLogger,
    child: () => log,
    warnings: [] as string[],
    restored: 0,
    info: () => {},
    warn: (message: string) => log.warnings.push(message),
    error: (message: string) => log.warnings.push(message),
    debug: (message: string) => {
      if (message === 'index restored from cache') log.restored++;
    },
  };
  return log;
}

function cacheIn(dir: string, keep?: number) {
  const log = recordingLog();
  return { cache: new IndexCache({ dir, log, keep }), log };
}

function cacheFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.bin'));
}

/** `actual`, not asked anything before, answers every question exactly as a fresh build did. */
function expectSameAnswers(actual: Understanding): void {
  questions.forEach((question, i) => {
    expect(actual.match(question), question).toStrictEqual(freshAnswers[i]);
  });
}

/** A copy of the knowledge whose entry `id` (in `language`) has one more question. */
function withExtraQuestion(id: string, language: string, question: string): FaqEntry[] {
  return sources.entries.map((entry) =>
    entry.id === id && entry.language === language
      ? { ...entry, questions: [...entry.questions, question] }
      : entry,
  );
}

beforeAll(async () => {
  sources = await loadUnderstandingSources({
    knowledgeDir: `${root}knowledge`,
    intentsDir: `${root}intents`,
  });
  fresh = await Understanding.build(sources);
  const rows = parseLabelledCsv(await readFile(`${root}test/fixtures/questions.csv`, 'utf8'));
  questions = [
    ...rows.map((row) => row.text),
    // Typos, umlauts written out, a compound, one broad word, English paraphrases, nonsense.
    'pasword zurucksetzen',
    'Druckerwarteschlange haengt',
    'VPN',
    'my parcel never arrived',
    'how do I get a person on the phone',
    'asdf qwerty',
    // German words no phrasing uses: the thesaurus's synonyms must come back with a restored index.
    'Meine Dokumente sind futsch',
    'Die Kiste ist total träge',
  ];
  freshAnswers = questions.map((question) => fresh.match(question));
});

describe('IndexCache', () => {
  it('answers exactly as a freshly built index, both when it stores and when it restores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    const first = cacheIn(dir);
    const stored = await Understanding.build(sources, { cache: first.cache });
    expect(first.log.restored).toBe(0);
    expect(cacheFiles(dir)).toHaveLength(1);

    const second = cacheIn(dir);
    const restored = await Understanding.build(sources, { cache: second.cache });
    expect(second.log.restored).toBe(1);
    expect(second.log.warnings).toEqual([]);

    expect(questions.length).toBeGreaterThan(300);
    expectSameAnswers(stored);
    expectSameAnswers(restored);
    expect(restored.phrasingCount).toBe(fresh.phrasingCount);
  });

  it('is used: unchanged knowledge is not trained again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    const { cache } = cacheIn(dir);
    const phrasings = buildPhrasings(sources.entries, sources.intents);
    let trained = 0;
    const train = () => {
      trained++;
      return IntentRanker.train(phrasings);
    };
    await cache.ranker(phrasings, {}, train);
    await cache.ranker(phrasings, {}, train);
    await cache.ranker(phrasings, {}, train);
    expect(trained).toBe(1);
  });

  it('is not used for changed knowledge: the change is trained and answered, the old build kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    await Understanding.build(sources, { cache: cacheIn(dir).cache });
    const question = 'Die Kaffeemaschine im dritten Stock ist kaputt';
    const before = await Understanding.build(sources);
    expect(before.match(question).candidates[0]?.id).not.toBe('hardware-request');

    const changed = { ...sources, entries: withExtraQuestion('hardware-request', 'de', question) };
    const { cache, log } = cacheIn(dir);
    const understanding = await Understanding.build(changed, { cache });
    expect(log.restored).toBe(0);
    expect(understanding.match(question).candidates[0]?.id).toBe('hardware-request');
    expect(cacheFiles(dir)).toHaveLength(2);

    // And back: the first build is restored, and answers as before the change.
    const back = cacheIn(dir);
    const again = await Understanding.build(sources, { cache: back.cache });
    expect(back.log.restored).toBe(1);
    expect(again.match(question)).toStrictEqual(before.match(question));
  });

  it('restores the rebuilds after knowledge edits at run time as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    const { cache, log } = cacheIn(dir);
    const understanding = await Understanding.build(sources, { cache });
    const edited = withExtraQuestion('vpn-setup', 'en', 'tunnel into the office network from home');
    expect(await understanding.replaceEntriesAsync(edited)).toBe('replaced');
    // The cache keeps the index trained afresh, not the quick one answering first.
    expect(await understanding.settled()).toBe('replaced');
    const fresh = Understanding.fromData(edited, sources.intents);
    const restart = cacheIn(dir);
    const restored = await Understanding.build({ ...sources, entries: edited }, { cache: restart.cache });
    expect(restart.log.restored).toBe(1);
    for (const question of ['tunnel into the office network from home', 'Drucker druckt nicht'])
      expect(restored.match(question)).toStrictEqual(fresh.match(question));
    expect(await understanding.replaceEntriesAsync(sources.entries)).toBe('replaced');
    expect(log.restored).toBe(1);
    expect(await understanding.replaceEntriesAsync(edited)).toBe('replaced');
    expect(log.restored).toBe(2);
    expect(understanding.match('tunnel into the office network from home').candidates[0]?.id).toBe(
      'vpn-setup',
    );
  });

  it('ignores a damaged file with a warning, answers from a new build and replaces the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    await Understanding.build(sources, { cache: cacheIn(dir).cache });
    const [name] = cacheFiles(dir);
    const file = join(dir, name as string);
    const bytes = readFileSync(file);
    const damages: [string, Buffer][] = [
      ['one flipped byte', Buffer.from(bytes.map((b, i) => (i === bytes.length - 1000 ? b ^ 0xff : b)))],
      ['cut in half', bytes.subarray(0, bytes.length >> 1)],
      ['not a cache file', Buffer.from('hello')],
    ];
    for (const [damage, content] of damages) {
      writeFileSync(file, content);
      const { cache, log } = cacheIn(dir);
      const understanding = await Understanding.build(sources, { cache });
      expect(log.warnings, damage).toEqual(['index cache file is damaged; building the index again']);
      expect(log.restored, damage).toBe(0);
      expectSameAnswers(understanding);
      expect(readFileSync(file).equals(bytes), damage).toBe(true);
    }
  });

  it('keeps the most recently used builds only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    const phrasings = buildPhrasings(sources.entries, sources.intents).slice(0, 400);
    const variants = [0, 1, 2].map((n) =>
      phrasings.map((p, i) => (i === 0 ? { ...p, text: `${p.text} ${n}` } : p)),
    );
    for (const variant of variants)
      await cacheIn(dir, 2).cache.ranker(variant, {}, () => IntentRanker.train(variant));
    expect(cacheFiles(dir)).toHaveLength(2);
    let trained = 0;
    const { cache } = cacheIn(dir, 2);
    const last = variants[2] ?? [];
    await cache.ranker(last, {}, () => {
      trained++;
      return IntentRanker.train(last);
    });
    expect(trained).toBe(0);
  });

  it('never stops a build when the cache cannot be written: it warns and answers', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sb-index-cache-'));
    const notADirectory = join(parent, 'file');
    writeFileSync(notADirectory, 'in the way');
    const { cache, log } = cacheIn(notADirectory);
    const understanding = await Understanding.build(sources, { cache });
    expect(log.warnings).toEqual(['index cache not readable; building the index', 'index cache not written']);
    expect(understanding.match('Passwort vergessen').candidates[0]?.id).toBe('password-reset');
  });
});
