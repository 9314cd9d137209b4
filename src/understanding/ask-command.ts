import { parseArgs } from 'node:util';
import { type Config, parseConfig } from '../config/config.ts';
import { ValidationFailedError } from '../core/errors.ts';
import { isLanguage, type Language } from '../core/language.ts';
import { errorMessage, type LogFields, type Logger, silentLogger } from '../core/logger.ts';
import { decideMatch, type MatchResult } from '../core/match.ts';
import { IndexCache, indexCacheDir } from './index-cache.ts';
import { loadSentenceEncoder, SENTENCE_MODEL_ID } from './sentence-encoder.ts';
import { SentenceVectorCache } from './sentence-vector-cache.ts';
import { localSentenceVectorStores } from './shipped-sentence-vectors.ts';
import { Understanding } from './understanding.ts';

const USAGE = `usage: support-bot ask "<question>" [--knowledge DIR] [--intents DIR] [--language de|en] [--json]
  Prints the best answer with its score and the runner-up candidates.
  Exit code: 0 a confident answer, 1 no confident match (or ambiguous), 2 usage or knowledge error.`;

/** `support-bot ask "<question>"`: what the bot would answer, with scores. */
export async function runAsk(
  args: string[],
  io: {
    stdout: NodeJS.WritableStream;
    stderr?: NodeJS.WritableStream;
    /** The environment as the CLI read it: its DATA_DIR keeps the built index for the next ask. */
    env?: Record<string, string | undefined>;
  },
): Promise<number> {
  const err = io.stderr ?? io.stdout;
  let parsed: ReturnType<typeof parseAskArgs>;
  try {
    parsed = parseAskArgs(args);
  } catch (error) {
    err.write(`${errorMessage(error)}\n${USAGE}\n`);
    return 2;
  }
  const { values, question } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (question.trim() === '') {
    err.write(`Give a question.\n${USAGE}\n`);
    return 2;
  }
  const hint = values.language;
  if (hint !== undefined && !isLanguage(hint)) {
    err.write(`--language must be de or en\n${USAGE}\n`);
    return 2;
  }
  let understanding: Understanding;
  let config: Config;
  try {
    // Defaults but DATA_DIR and SENTENCE_ENCODER: `ask` shows what the shipped thresholds do.
    config = parseConfig({ DATA_DIR: io.env?.DATA_DIR, SENTENCE_ENCODER: io.env?.SENTENCE_ENCODER });
    const cache = io.env
      ? new IndexCache({ dir: indexCacheDir(config.DATA_DIR), log: terminalWarnings(err) })
      : undefined;
    understanding = await Understanding.load({
      knowledgeDir: values.knowledge,
      intentsDir: values.intents,
      cache,
    });
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      err.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const thresholds = { threshold: config.MATCH_THRESHOLD, margin: config.MATCH_MARGIN };
  const options = hint ? { languageHint: hint, limit: 5 } : { limit: 5 };
  let result = understanding.match(question, options);
  if (config.SENTENCE_ENCODER === 'on' && understanding.isCloseCall(result)) {
    // As the bot answers: an English close call by sentence meaning too (the encoder is loaded
    // only then, with the phrasings' vectors shipped and kept).
    const encoder = await loadSentenceEncoder();
    const stores = localSentenceVectorStores({
      dims: encoder.dimensions,
      modelId: SENTENCE_MODEL_ID,
      dataDir: io.env ? config.DATA_DIR : undefined,
      log: terminalWarnings(err),
    });
    await understanding.useSentenceEncoder(encoder, {
      cache: new SentenceVectorCache({ modelId: SENTENCE_MODEL_ID, stores }),
    });
    result = await understanding.matchAsync(question, options);
  }
  const verdict = decideMatch(result, thresholds);
  if (values.json) {
    const best = verdict.kind === 'clear' ? verdict.best : undefined;
    const entry = best?.kind === 'faq' ? understanding.entry(best.id, result.language) : undefined;
    io.stdout.write(
      `${JSON.stringify({
        question,
        language: result.language,
        verdict: verdict.kind,
        threshold: thresholds.threshold,
        margin: thresholds.margin,
        best: best ? { ...best, answer: entry?.answer } : null,
        candidates: result.candidates,
      })}\n`,
    );
    return verdict.kind === 'clear' ? 0 : 1;
  }
  const out = io.stdout;
  if (verdict.kind === 'clear') {
    const best = verdict.best;
    out.write(
      `${best.title}\n(${best.kind} ${best.id}, score ${best.score.toFixed(2)}, language ${result.language})\n\n`,
    );
    if (best.kind === 'faq') {
      out.write(`${understanding.entry(best.id, result.language)?.answer ?? ''}\n`);
    } else {
      out.write(`This is the intent "${best.id}": the conversation engine handles it.\n`);
    }
    writeCandidates(out, result, 1, 'Other candidates');
    return 0;
  }
  if (verdict.kind === 'ambiguous') {
    out.write(`Ambiguous: did you mean ${verdict.options.map((o) => `"${o.title}"`).join(' or ')}?\n`);
  } else {
    const best = result.candidates[0];
    out.write(
      best
        ? `No confident match: best score ${best.score.toFixed(2)} is below the threshold ${thresholds.threshold.toFixed(2)}.\n`
        : 'No match: nothing in the knowledge base resembles this question.\n',
    );
  }
  writeCandidates(out, result, 0, 'Candidates');
  return 1;
}

/** Warnings and errors as lines on the terminal (the index cache's, which never stop a command). */
export function terminalWarnings(out: NodeJS.WritableStream): Logger {
  const write = (level: string) => (message: string, fields?: LogFields) =>
    out.write(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  const log: Logger = {
    ...silentLogger,
    level: 'warn',
    warn: write('warning'),
    error: write('error'),
    child: () => log,
  };
  return log;
}

function writeCandidates(
  out: NodeJS.WritableStream,
  result: MatchResult,
  from: number,
  heading: string,
): void {
  const rest = result.candidates.slice(from);
  if (rest.length === 0) return;
  out.write(`\n${heading}:\n`);
  for (const c of rest) out.write(`  ${c.score.toFixed(2)}  ${c.kind} ${c.id}: ${c.title}\n`);
}

function parseAskArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: {
      knowledge: { type: 'string', default: 'knowledge' },
      intents: { type: 'string', default: 'intents' },
      language: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  return {
    values: values as typeof values & { language?: Language | string },
    question: positionals.join(' '),
  };
}
