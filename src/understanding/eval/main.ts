import { parseArgs } from 'node:util';
import { parseConfig } from '../../config/config.ts';
import { errorMessage } from '../../core/logger.ts';
import { KnowledgeBase } from '../../knowledge/knowledge-base.ts';
import { loadKnowledge } from '../../knowledge/load-knowledge.ts';
import { loadIntents } from '../load-intents.ts';
import { loadSentenceEncoder } from '../sentence-encoder.ts';
import { Understanding } from '../understanding.ts';
import { useVectorSettings } from '../word-vectors.ts';
import { type LabelledRow, readLabelledCsvFile } from './parse-csv.ts';
import {
  type BuiltMatcher,
  buildKnowledgeFromRows,
  buildMatcher,
  chooseThreshold,
  type EvalDetails,
  judgeRowsAsync,
  type RankerKind,
  summarize,
} from './run-eval.ts';

const USAGE = `usage: npm run eval -- [--train T.csv --test S.csv [--val V.csv] [--shots N]] [--json] [--ranker default|fuse] [--word-vectors off|FILE] [--sentence-vectors off|FILE] [--sentence-encoder on|off]
  without --train: the default knowledge (knowledge/ + intents/) against test/fixtures/questions.csv`;

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
      'sentence-encoder': { type: 'string' },
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
  const shots = values.shots === undefined ? undefined : Number.parseInt(values.shots, 10);
  if (shots !== undefined && !(shots > 0)) throw new Error('--shots needs a positive number');
  // Defaults only: an evaluation must not depend on the caller's environment.
  const defaults = parseConfig({
    WORD_VECTORS: values['word-vectors'],
    SENTENCE_VECTORS: values['sentence-vectors'],
    SENTENCE_ENCODER: values['sentence-encoder'],
  });
  useVectorSettings(defaults);
  const fixedThreshold = values.threshold === undefined ? defaults.MATCH_THRESHOLD : Number(values.threshold);

  let built: BuiltMatcher;
  let testRows: LabelledRow[];
  let valRows: LabelledRow[] | undefined;
  if (values.train !== undefined || values.test !== undefined) {
    if (values.train === undefined || values.test === undefined)
      throw new Error(`--train and --test go together\n${USAGE}`);
    const trainRows = await readLabelledCsvFile(values.train, '--train');
    testRows = await readLabelledCsvFile(values.test, '--test');
    if (values.val !== undefined) valRows = await readLabelledCsvFile(values.val, '--val');
    const { entries, intents } = buildKnowledgeFromRows(trainRows, shots);
    built = buildMatcher(entries, intents, ranker);
  } else {
    const [entries, intents] = await Promise.all([
      loadKnowledge(values.knowledge),
      loadIntents(values.intents),
    ]);
    testRows = await readLabelledCsvFile(values.questions, '--questions');
    if (values.val !== undefined) valRows = await readLabelledCsvFile(values.val, '--val');
    built = buildMatcher(entries, intents, ranker);
    out.write(`knowledge: ${new KnowledgeBase(entries).size} entries, ${intents.length} intents\n`);
  }

  if (defaults.SENTENCE_ENCODER === 'on' && built.matcher instanceof Understanding) {
    // Part of the build: embedding the English phrasings.
    const started = performance.now();
    await built.matcher.useSentenceEncoder(await loadSentenceEncoder());
    built.buildMs += performance.now() - started;
  }
  const threshold = valRows ? chooseThreshold(await judgeRowsAsync(built.matcher, valRows)) : fixedThreshold;
  const details = summarize(built, await judgeRowsAsync(built.matcher, testRows), threshold);
  writeHuman(out, details, ranker, valRows !== undefined);
  if (values.json) out.write(`${JSON.stringify(details.report)}\n`);
  return 0;
}

function writeHuman(
  out: NodeJS.WritableStream,
  details: EvalDetails,
  ranker: RankerKind,
  tuned: boolean,
): void {
  const r = details.report;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(2)} %`);
  const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(3)} ms`);
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
