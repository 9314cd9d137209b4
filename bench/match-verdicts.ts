import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/config.ts';
import type { MatchThresholds } from '../src/core/match.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import { parseLabelledCsv } from '../tools/eval/parse-csv.ts';
import { tallyVerdicts, type VerdictTally } from '../tools/eval/verdict-tally.ts';

const USAGE = `usage: npx tsx bench/match-verdicts.ts [--threshold T --margin M] [--grid] [--questions CSV]
  How the match thresholds decide the labelled questions (default test/fixtures/questions.csv)
  with the default knowledge: answered right/wrong, "Did you mean" with/without the right entry,
  not understood; out-of-scope questions answered, offered choices, or not answered.
  Without --threshold/--margin: the configured defaults. --grid: a table over several pairs.`;

function row(label: string, t: VerdictTally): string {
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
  return [
    label.padEnd(12),
    `clear-right ${t['clear-right']}`,
    `clear-wrong ${t['clear-wrong']}`,
    `ambiguous+right ${t['ambiguous-with-right']}`,
    `ambiguous-right ${t['ambiguous-without-right']}`,
    `none ${t.none}`,
    `(right or offered ${pct(t['clear-right'] + t['ambiguous-with-right'], t.inScope)})`,
    `| oos answered ${t['oos-answered']}`,
    `oos choices ${t['oos-ambiguous']}`,
    `oos none ${t['oos-none']}`,
  ].join('  ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      threshold: { type: 'string' },
      margin: { type: 'string' },
      grid: { type: 'boolean', default: false },
      questions: { type: 'string', default: 'test/fixtures/questions.csv' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const defaults = parseConfig({});
  const understanding = await Understanding.load({ knowledgeDir: 'knowledge', intentsDir: 'intents' });
  const questions = parseLabelledCsv(await readFile(values.questions, 'utf8'));
  const inScope = questions.filter((q) => q.label !== 'oos').length;
  process.stdout.write(
    `${questions.length} questions (${inScope} in scope, ${questions.length - inScope} out of scope)\n`,
  );
  const pairs: MatchThresholds[] = values.grid
    ? [0.35, 0.4, 0.45, 0.5].flatMap((threshold) =>
        [0.1, 0.2, 0.3, 0.35, 0.4].map((margin) => ({ threshold, margin })),
      )
    : [
        {
          threshold: values.threshold === undefined ? defaults.MATCH_THRESHOLD : Number(values.threshold),
          margin: values.margin === undefined ? defaults.MATCH_MARGIN : Number(values.margin),
        },
      ];
  for (const thresholds of pairs) {
    const tally = tallyVerdicts(understanding, questions, thresholds);
    process.stdout.write(`${row(`${thresholds.threshold} / ${thresholds.margin}`, tally)}\n`);
  }
}

await main();
