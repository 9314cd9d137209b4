import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/config/config.ts';
import type { FaqEntry } from '../../src/core/faq-entry.ts';
import { errorMessage } from '../../src/core/logger.ts';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import type { IntentDefinition } from '../../src/understanding/intent-definition.ts';
import { loadIntents } from '../../src/understanding/load-intents.ts';
import { loadSentenceEncoder, SENTENCE_MODEL_ID } from '../../src/understanding/sentence-encoder.ts';
import { SentenceVectorCache, SentenceVectorFile } from '../../src/understanding/sentence-vector-cache.ts';
import { ShippedSentenceVectors } from '../../src/understanding/shipped-sentence-vectors.ts';
import { Understanding } from '../../src/understanding/understanding.ts';
import { vectorOptions } from '../../src/understanding/word-vectors.ts';
import {
  type AnswerOutcomes,
  judgeBaseline,
  outcomesByLanguage,
  summarizeOutcomes,
} from './answer-outcomes.ts';
import { framingCheck } from './framing-check.ts';
import { trainNlpjsBaseline } from './nlpjs-baseline.ts';
import { type LabelledRow, readLabelledCsvFile } from './parse-csv.ts';
import {
  type BuiltMatcher,
  buildKnowledgeFromRows,
  buildMatcher,
  chooseThreshold,
  type EvalDetails,
  type JudgedRow,
  judgeRowsAsync,
  type RankerKind,
  summarize,
} from './run-eval.ts';

const USAGE = `usage: npm run eval -- [--train T.csv --test S.csv [--val V.csv] [--shots N]] [--json] [--ranker default|fuse] [--word-vectors off|FILE] [--sentence-vectors off|FILE] [--german-synonyms off|FILE] [--sentence-encoder on|off [--vector-cache DIR]] [--baselines off] [--misses] [--framing]
  without --train: the default knowledge (knowledge/ + intents/) against test/fixtures/questions.csv
  beside the matcher as configured: the same matcher without word and sentence vectors and German synonyms ("sparse
  only") and nlp.js trained on the same rows (a development dependency); --baselines off skips them
  --vector-cache DIR: the encoder's phrasing vectors are kept in DIR, so a second run embeds none
  --misses: every test row a customer would not have seen handled right, with what the bot did
  --framing: the in-scope rows answered right as written and wrapped in greetings and sign-offs`;

/** One system's figures on the test rows: accuracy, open-set accuracy, speed and what customers saw. */
export interface SystemFigures {
  name: string;
  details: EvalDetails;
  outcomes: AnswerOutcomes;
  byLanguage: Partial<Record<'de' | 'en', AnswerOutcomes>>;
  thresholdNote: string;
  judged: readonly JudgedRow[];
}

/** `npm run eval`: accuracy, open-set accuracy and speed of the matcher on labelled questions. */
export async function runEvalCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      val: { type: 'string' },
      shots: { type: 'string' },
      json: { type: 'boolean', default: false },
      ranker: { type: 'string', default: 'default' },
      'word-vectors': { type: 'string' },
      'sentence-vectors': { type: 'string' },
      'german-synonyms': { type: 'string' },
      'sentence-encoder': { type: 'string' },
      'vector-cache': { type: 'string' },
      baselines: { type: 'string', default: 'on' },
      misses: { type: 'boolean', default: false },
      framing: { type: 'boolean', default: false },
      threshold: { type: 'string' },
      knowledge: { type: 'string', default: 'knowledge' },
      intents: { type: 'string', default: 'intents' },
      questions: { type: 'string', default: 'test/fixtures/questions.csv' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    out.write(`${USAGE}\n`);
    return 0;
  }
  const ranker = values.ranker as RankerKind;
  if (ranker !== 'default' && ranker !== 'fuse')
    throw new Error(`unknown ranker "${values.ranker}"\n${USAGE}`);
  if (values.baselines !== 'on' && values.baselines !== 'off')
    throw new Error(`--baselines is on or off\n${USAGE}`);
  const shots = values.shots === undefined ? undefined : Number.parseInt(values.shots, 10);
  if (shots !== undefined && !(shots > 0)) throw new Error('--shots needs a positive number');
  // Defaults only: an evaluation must not depend on the caller's environment.
  const defaults = parseConfig({
    WORD_VECTORS: values['word-vectors'],
    SENTENCE_VECTORS: values['sentence-vectors'],
    GERMAN_SYNONYMS: values['german-synonyms'],
    SENTENCE_ENCODER: values['sentence-encoder'],
  });
  const fixedThreshold = values.threshold === undefined ? defaults.MATCH_THRESHOLD : Number(values.threshold);

  let entries: FaqEntry[];
  let intents: IntentDefinition[];
  let testRows: LabelledRow[];
  let valRows: LabelledRow[] | undefined;
  if (values.train !== undefined || values.test !== undefined) {
    if (values.train === undefined || values.test === undefined)
      throw new Error(`--train and --test go together\n${USAGE}`);
    const trainRows = await readLabelledCsvFile(values.train, '--train');
    testRows = await readLabelledCsvFile(values.test, '--test');
    if (values.val !== undefined) valRows = await readLabelledCsvFile(values.val, '--val');
    ({ entries, intents } = buildKnowledgeFromRows(trainRows, shots));
  } else {
    [entries, intents] = await Promise.all([loadKnowledge(values.knowledge), loadIntents(values.intents)]);
    testRows = await readLabelledCsvFile(values.questions, '--questions');
    if (values.val !== undefined) valRows = await readLabelledCsvFile(values.val, '--val');
    out.write(`knowledge: ${new KnowledgeBase(entries).size} entries, ${intents.length} intents\n`);
  }

  const built = buildMatcher(entries, intents, ranker, vectorOptions(defaults));
  if (defaults.SENTENCE_ENCODER === 'on' && built.matcher instanceof Understanding) {
    // Part of the build: embedding the English phrasings.
    const started = performance.now();
    const cpu = process.cpuUsage();
    const encoder = await loadSentenceEncoder();
    const dir = values['vector-cache'];
    const cache = new SentenceVectorCache({
      modelId: SENTENCE_MODEL_ID,
      // As the bot: the shipped knowledge's vectors, then those kept in --vector-cache.
      stores: [
        new ShippedSentenceVectors({ dims: encoder.dimensions }),
        ...(dir ? [new SentenceVectorFile({ dir, dims: encoder.dimensions })] : []),
      ],
    });
    await built.matcher.useSentenceEncoder(encoder, { cache });
    built.buildMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    out.write(
      `sentence encoder: ${cache.embedded} phrasings embedded, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ${((performance.now() - started) / 1e3).toFixed(1)} s wall\n`,
    );
  }
  const margin = defaults.MATCH_MARGIN;
  const cpu = process.cpuUsage();
  const main = await figuresOf(ranker === 'fuse' ? 'fuse.js' : 'default', built, testRows, valRows, {
    threshold: fixedThreshold,
    margin,
  });
  if (defaults.SENTENCE_ENCODER === 'on' && built.matcher instanceof Understanding) {
    // CPU time (all threads) per message over every pass: the warm-up, --val when given, the test rows.
    const used = process.cpuUsage(cpu);
    const passes =
      testRows.length +
      Math.min(30, testRows.length) +
      (valRows ? valRows.length + Math.min(30, valRows.length) : 0);
    const { asked, embedded } = built.matcher.sentenceStats;
    out.write(
      `sentence encoder: ${embedded} of ${asked} English messages with two candidates embedded (${pct(asked ? embedded / asked : null)}); CPU ${((used.user + used.system) / 1000 / passes).toFixed(2)} ms per message\n`,
    );
  }
  writeHuman(out, main.details, ranker, valRows !== undefined);
  if (values.misses) writeMisses(out, main.judged);
  if (values.framing) {
    out.write('answered right, as written and wrapped in courtesy (--framing):\n');
    for (const f of framingCheck(built.matcher, testRows, {
      threshold: main.details.report.threshold,
      margin,
    })) {
      out.write(
        `  ${f.answeredRightBare} -> ${f.answeredRightFramed} of ${f.rows}  ${JSON.stringify(f.frame)}\n`,
      );
    }
  }
  const systems = [main];
  if (ranker === 'default' && values.baselines === 'on') {
    const sparse = buildMatcher(entries, intents, 'default', {
      wordVectors: null,
      sentenceVectors: null,
      germanSynonyms: null,
    });
    systems.push(
      await figuresOf('sparse only', sparse, testRows, valRows, { threshold: fixedThreshold, margin }),
    );
    const nlpjs = await trainNlpjsBaseline(entries, intents);
    if (nlpjs) {
      const built: BuiltMatcher = {
        matcher: { match: unused },
        entries: main.details.report.entries,
        phrasings: nlpjs.phrasings,
        buildMs: nlpjs.buildMs,
      };
      const judged = await judgeBaseline(nlpjs, testRows);
      systems.push(figuresFromJudged('nlp.js', built, judged, nlpjs.threshold, 'its own default'));
    } else {
      out.write('nlp.js baseline skipped: @nlpjs/basic is not installed (a development dependency)\n');
    }
  }
  writeOutcomes(out, systems);
  if (values.json) out.write(`${JSON.stringify(jsonReport(systems))}\n`);
  return 0;
}

function unused(): never {
  throw new Error('the nlp.js baseline is asked through judgeBaseline');
}

async function figuresOf(
  name: string,
  built: BuiltMatcher,
  testRows: readonly LabelledRow[],
  valRows: readonly LabelledRow[] | undefined,
  fixed: { threshold: number; margin: number },
): Promise<SystemFigures> {
  const threshold = valRows ? chooseThreshold(await judgeRowsAsync(built.matcher, valRows)) : fixed.threshold;
  const judged = await judgeRowsAsync(built.matcher, testRows, { threshold, margin: fixed.margin });
  return figuresFromJudged(name, built, judged, threshold, valRows ? 'chosen on --val' : 'default');
}

function figuresFromJudged(
  name: string,
  built: BuiltMatcher,
  judged: readonly JudgedRow[],
  threshold: number,
  thresholdNote: string,
): SystemFigures {
  return {
    name,
    details: summarize(built, judged, threshold),
    outcomes: summarizeOutcomes(judged),
    byLanguage: outcomesByLanguage(judged),
    thresholdNote,
    judged,
  };
}

/** The last line with --json: the configured matcher's report as before, the outcomes and the baselines beside. */
function jsonReport(systems: readonly SystemFigures[]) {
  const [main, ...others] = systems as [SystemFigures, ...SystemFigures[]];
  const one = (s: SystemFigures) => ({ ...s.details.report, outcomes: s.outcomes, byLanguage: s.byLanguage });
  const other = (name: string) => {
    const found = others.find((s) => s.name === name);
    return found ? one(found) : null;
  };
  return { ...one(main), sparseOnly: other('sparse only'), nlpjs: other('nlp.js') };
}

function writeHuman(
  out: NodeJS.WritableStream,
  details: EvalDetails,
  ranker: RankerKind,
  tuned: boolean,
): void {
  const r = details.report;
  out.write(
    `ranker: ${ranker}; ${r.entries} entries, ${r.phrasings} phrasings; build ${r.buildMs.toFixed(0)} ms\n`,
  );
  out.write(`top-1 (in-scope, no threshold): ${pct(r.top1)}\n`);
  out.write(`threshold: ${r.threshold.toFixed(3)} (${tuned ? 'chosen on --val' : 'default'})\n`);
  out.write(`in-scope accuracy (right and above threshold): ${pct(r.inScopeAccuracy)}\n`);
  out.write(`oos recall (below threshold): ${pct(r.oosRecall)}\n`);
  out.write(`per query: p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}\n`);
  for (const [language, v] of Object.entries(details.perLanguage)) {
    out.write(`  ${language}: ${v.rows} rows, top-1 ${pct(v.top1)}\n`);
  }
  if (details.confusions.length > 0) {
    out.write('most confused (expected -> predicted):\n');
    for (const c of details.confusions) out.write(`  ${c.count} x ${c.expected} -> ${c.predicted}\n`);
  }
}

const HANDLED_RIGHT = new Set(['clear-right', 'oos-none']);

/** Rows answered wrong, declined, asked back or answered while off-topic: what to look at when tuning. */
function writeMisses(out: NodeJS.WritableStream, judged: readonly JudgedRow[]): void {
  const misses = judged.filter((r) => r.outcome !== undefined && !HANDLED_RIGHT.has(r.outcome));
  out.write(
    `misses (${misses.length} of ${judged.length} rows): outcome | expected | first candidate (score) | text\n`,
  );
  for (const r of misses)
    out.write(
      `  ${r.outcome} | ${r.label} | ${r.predicted ?? '-'} (${r.score.toFixed(3)}) | ${JSON.stringify(r.text)}\n`,
    );
}

/** The systems side by side: accuracy, then what a customer would have seen. */
function writeOutcomes(out: NodeJS.WritableStream, systems: readonly SystemFigures[]): void {
  const rows: [string, (s: SystemFigures) => string][] = [
    ['top-1', (s) => pct(s.details.report.top1)],
    [
      'top-1 de / en',
      (s) =>
        `${pct(s.details.perLanguage.de?.top1 ?? null)} / ${pct(s.details.perLanguage.en?.top1 ?? null)}`,
    ],
    ['threshold', (s) => `${s.details.report.threshold.toFixed(3)} (${s.thresholdNote})`],
    ['in-scope accuracy', (s) => pct(s.details.report.inScopeAccuracy)],
    ['oos recall', (s) => pct(s.details.report.oosRecall)],
    ['answered right', (s) => pct(s.outcomes.answeredRight)],
    ['direct of right first', (s) => pct(s.outcomes.directOfRightFirst)],
    [
      '  de / en',
      (s) =>
        `${pct(s.byLanguage.de?.directOfRightFirst ?? null)} / ${pct(s.byLanguage.en?.directOfRightFirst ?? null)}`,
    ],
    [
      'did you mean (with right)',
      (s) => `${pct(s.outcomes.didYouMean)} (${pct(s.outcomes.didYouMeanWithRight)})`,
    ],
    ['not understood', (s) => pct(s.outcomes.notUnderstood)],
    ['answered wrong', (s) => pct(s.outcomes.answeredWrong)],
    ['oos declined / answered', (s) => `${pct(s.outcomes.oosDeclined)} / ${pct(s.outcomes.oosAnswered)}`],
    ['wrong answers, all rows', (s) => pct(s.outcomes.wrongAnswers)],
    ['build', (s) => `${s.details.report.buildMs.toFixed(0)} ms`],
    ['per query p50 / p99', (s) => `${ms(s.details.report.p50Ms)} / ${ms(s.details.report.p99Ms)}`],
  ];
  const table = [
    ['', ...systems.map((s) => s.name)],
    ...rows.map(([label, f]) => [label, ...systems.map(f)]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  out.write('what customers see (answers at the thresholds; "Did you mean" at MATCH_MARGIN):\n');
  for (const row of table)
    out.write(
      `  ${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(2)} %`;
}

function ms(v: number | null): string {
  return v === null ? 'n/a' : `${v.toFixed(3)} ms`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runEvalCommand(process.argv.slice(2), process.stdout).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`eval failed: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}
