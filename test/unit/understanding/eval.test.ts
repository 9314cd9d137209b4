import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { summarizeOutcomes } from '../../../tools/eval/answer-outcomes.ts';
import { runEvalCommand } from '../../../tools/eval/main.ts';
import {
  buildKnowledgeFromRows,
  chooseThreshold,
  type JudgedRow,
  openSetAccuracy,
} from '../../../tools/eval/run-eval.ts';
import { capturedOutput as capture } from '../../support/captured-output.ts';

const root = new URL('../../../', import.meta.url).pathname;

async function runEval(args: string[]) {
  const out = capture();
  const code = await runEvalCommand(args, out.stream);
  const lines = out.text().trim().split('\n');
  return {
    code,
    text: out.text(),
    // biome-ignore lint/suspicious/noExplicitAny: the report's nested parts are checked field by field
    json: JSON.parse(lines.at(-1) as string) as Record<string, any>,
  };
}

describe('eval helpers', () => {
  it('builds one entry per label, oos rows as the reject intent, --shots per label', () => {
    const rows = [
      { text: 'card has not arrived', label: 'card_arrival' },
      { text: 'where is my card', label: 'card_arrival' },
      { text: 'still waiting for my card', label: 'card_arrival' },
      { text: 'exchange rate?', label: 'exchange_rate' },
      { text: 'tell me a joke', label: 'oos' },
    ];
    const { entries, intents } = buildKnowledgeFromRows(rows, 2);
    expect(entries.map((e) => [e.id, e.questions.length, e.language])).toEqual([
      ['card_arrival', 2, 'en'],
      ['exchange_rate', 1, 'en'],
    ]);
    expect(intents).toEqual([
      { id: 'out-of-scope', description: 'Out of scope', examples: { de: [], en: ['tell me a joke'] } },
    ]);
  });

  it('chooses the threshold that maximises accuracy with oos as a class', () => {
    const judged: JudgedRow[] = [
      { text: 'q', label: 'a', predicted: 'a', score: 0.9, language: 'en', ms: 0 },
      { text: 'q', label: 'a', predicted: 'a', score: 0.7, language: 'en', ms: 0 },
      { text: 'q', label: 'b', predicted: 'a', score: 0.6, language: 'en', ms: 0 },
      { text: 'q', label: 'oos', predicted: 'a', score: 0.4, language: 'en', ms: 0 },
      { text: 'q', label: 'oos', predicted: 'b', score: 0.2, language: 'en', ms: 0 },
    ];
    const threshold = chooseThreshold(judged);
    expect(threshold).toBeGreaterThan(0.4);
    expect(threshold).toBeLessThanOrEqual(0.7);
    expect(openSetAccuracy(judged, threshold)).toBe(0.8);
  });
});

describe('answer outcomes', () => {
  it('counts what customers saw, and direct answers among right first candidates', () => {
    const row = (label: string, predicted: string, outcome: JudgedRow['outcome']): JudgedRow => ({
      text: 'q',
      label,
      predicted,
      score: 0.5,
      language: 'de',
      ms: 0,
      outcome,
    });
    const outcomes = summarizeOutcomes([
      row('a', 'a', 'clear-right'),
      row('a', 'a', 'clear-right'),
      row('a', 'a', 'ambiguous-with-right'),
      row('b', 'a', 'clear-wrong'),
      row('oos', 'a', 'oos-answered'),
      row('oos', 'b', 'oos-none'),
    ]);
    expect(outcomes).toMatchObject({ inScope: 4, outOfScope: 2, answeredRight: 0.5, answeredWrong: 0.25 });
    expect(outcomes.directOfRightFirst).toBeCloseTo(2 / 3);
    expect(outcomes.didYouMeanWithRight).toBe(0.25);
    expect(outcomes.oosDeclined).toBe(0.5);
    expect(outcomes.wrongAnswers).toBeCloseTo(2 / 6);
  });
});

describe('npm run eval', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the JSON keys on the last line, threshold from --val', async () => {
    dir = await mkdtemp(join(tmpdir(), 'eval-'));
    const train = [
      'text,category',
      'my card has not arrived,card_arrival',
      'where is my new card,card_arrival',
      'card delivery takes long,card_arrival',
      'what is the exchange rate,exchange_rate',
      'how much is a euro in dollars,exchange_rate',
      'currency conversion rate,exchange_rate',
      '"tell me a joke, please",oos',
    ].join('\n');
    const test = [
      'text,category',
      'my card still has not arrived,card_arrival',
      'exchange rate for dollars,exchange_rate',
      'who won the football match,oos',
    ].join('\n');
    await writeFile(join(dir, 'train.csv'), train);
    await writeFile(join(dir, 'test.csv'), test);
    const { code, json, text } = await runEval([
      '--train',
      join(dir, 'train.csv'),
      '--test',
      join(dir, 'test.csv'),
      '--val',
      join(dir, 'test.csv'),
      '--json',
    ]);
    expect(code).toBe(0);
    expect(Object.keys(json).sort()).toEqual(
      [
        'entries',
        'phrasings',
        'top1',
        'inScopeAccuracy',
        'oosRecall',
        'threshold',
        'buildMs',
        'p50Ms',
        'p99Ms',
        'outcomes',
        'byLanguage',
        'sparseOnly',
        'nlpjs',
      ].sort(),
    );
    expect(json.entries).toBe(2);
    expect(json.top1).toBe(1);
    expect(json.oosRecall).toBe(1);
    expect(text).toContain('chosen on --val');
    const fuse = await runEval([
      '--train',
      join(dir, 'train.csv'),
      '--test',
      join(dir, 'test.csv'),
      '--ranker',
      'fuse',
      '--json',
    ]);
    expect(fuse.json.entries).toBe(2);
    expect(fuse.text).toContain('ranker: fuse');
    const misses = await runEval([
      '--train',
      join(dir, 'train.csv'),
      '--test',
      join(dir, 'test.csv'),
      '--threshold',
      '0.99',
      '--baselines',
      'off',
      '--misses',
      '--json',
    ]);
    // At 0.99 nothing is answered: both in-scope rows are misses, the declined off-topic one is not.
    expect(misses.text).toContain('misses (2 of 3 rows)');
    expect(misses.text).toContain('none | card_arrival | card_arrival (');
    expect(misses.text).not.toContain('who won the football match');
    const framing = await runEval([
      '--train',
      join(dir, 'train.csv'),
      '--test',
      join(dir, 'test.csv'),
      '--baselines',
      'off',
      '--framing',
      '--json',
    ]);
    // Both in-scope rows are English: answered as written, and still when wrapped in courtesy.
    expect(framing.text).toContain('2 -> 2 of 2  "Hello team, … Thanks in advance! Best regards, John"');
    const args = ['--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--json'];
    const plain = await runEval([...args, '--sentence-vectors', 'off', '--word-vectors', 'off']);
    expect(plain.json.top1).toBe(1);
    await expect(
      runEvalCommand([...args, '--sentence-vectors', join(dir, 'missing.bin')], capture().stream),
    ).rejects.toThrow(/SENTENCE_VECTORS/);
  });

  it('names the option and the file that is missing, and where BANKING77 belongs', async () => {
    const nowhere = join(tmpdir(), `eval-missing-${process.pid}`);
    const bankingTrain = join(nowhere, 'banking77', 'train.csv');
    await expect(
      runEvalCommand(
        ['--train', bankingTrain, '--test', join(nowhere, 'banking77', 'test.csv')],
        capture().stream,
      ),
    ).rejects.toThrow(
      `--train ${bankingTrain}: file not found. BANKING77 is not part of the repository: place its train.csv and test.csv in ../shared/data/banking77 beside the checkout`,
    );
    const own = join(nowhere, 'questions.csv');
    const missingOwn = runEvalCommand(['--questions', own], capture().stream);
    await expect(missingOwn).rejects.toMatchObject({ code: 'data_not_found' });
    await expect(missingOwn).rejects.toThrow(`--questions ${own}: file not found.`);
    await expect(missingOwn).rejects.not.toThrow(/BANKING77/);
  });

  const ownSet = join(root, 'test/fixtures/questions.csv');
  const haveOwnSet =
    existsSync(ownSet) && existsSync(join(root, 'knowledge')) && existsSync(join(root, 'intents'));

  it("meets the floors on the project's own labelled questions", async () => {
    expect(haveOwnSet).toBe(true);
    const { json, text } = await runEval([
      '--knowledge',
      join(root, 'knowledge'),
      '--intents',
      join(root, 'intents'),
      '--questions',
      ownSet,
      '--json',
    ]);
    expect(json.threshold).toBe(parseConfig({}).MATCH_THRESHOLD);
    expect(json.top1).toBeGreaterThanOrEqual(0.9);
    expect(json.oosRecall).toBeGreaterThanOrEqual(0.8);
    expect(text).toMatch(/de: \d+ rows, top-1/);
    expect(text).toMatch(/en: \d+ rows, top-1/);
    // What customers see: most right first candidates answered directly, few wrong answers.
    expect(json.outcomes.directOfRightFirst).toBeGreaterThanOrEqual(0.9);
    expect(json.outcomes.wrongAnswers).toBeLessThanOrEqual(0.02);
    // The baselines beside it, on the same rows in the same run.
    expect(json.sparseOnly.top1).toBeGreaterThanOrEqual(0.9);
    expect(json.nlpjs.phrasings).toBe(json.phrasings);
    expect(json.nlpjs.outcomes.didYouMean).toBe(0);
    expect(text).toMatch(/default\s+sparse only\s+nlp\.js/);
    // Three systems built and asked (nlp.js trains a network): minutes on a loaded machine.
  }, 180_000);

  it('answers the held-back fresh German paraphrases directly when their first candidate is right', async () => {
    const fresh = join(root, 'test/fixtures/questions-fresh.csv');
    const { json } = await runEval([
      ...['--knowledge', join(root, 'knowledge'), '--intents', join(root, 'intents')],
      ...['--questions', fresh, '--baselines', 'off', '--json'],
    ]);
    expect(json.sparseOnly).toBeNull();
    expect(json.nlpjs).toBeNull();
    expect(json.byLanguage.de.inScope).toBeGreaterThanOrEqual(100);
    expect(json.top1).toBeGreaterThanOrEqual(0.9);
    expect(json.byLanguage.de.directOfRightFirst).toBeGreaterThanOrEqual(0.9);
    // Most off-topic rows that share a word with an entry are declined (15 of 22 now).
    expect(json.outcomes.oosDeclined).toBeGreaterThanOrEqual(0.6);
  }, 120_000);
});
