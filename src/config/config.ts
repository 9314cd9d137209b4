import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { envBoolean, envNumber, envPort } from './env-schema.ts';

/**
 * The whole environment, in fragments per concern. Parsed once in main.ts; nothing else reads
 * process.env. Every problem is reported at once.
 */
const serverFragment = {
  PORT: envPort.default(3000),
  HOST: z.string().default('127.0.0.1'),
  ADMIN_TOKEN: z.string().min(8, 'use at least 8 characters').optional(),
  DATA_DIR: z.string().default('./data'),
  KNOWLEDGE_DIR: z.string().default('./knowledge'),
  INTENTS_DIR: z.string().default('./intents'),
  SUPPORT_CONFIG: z.string().default('./config/support.yaml'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
};

/** A shipped vector file's setting: unset for the shipped file, "off", or the path of another file. */
function vectorFileSetting() {
  return z
    .string()
    .refine((v) => v === 'off' || existsSync(v), 'use "off" or the path of an existing word-vector file')
    .optional();
}

const matcherFragment = {
  /**
   * Calibrated score the best answer needs (or the top two together, for "Did you mean …?").
   * Defaults measured with `npx tsx bench/match-verdicts.ts --grid` on test/fixtures/questions.csv.
   */
  MATCH_THRESHOLD: envNumber(0, 1).default(0.4),
  /** Entries closer than this to the best one are offered as "Did you mean …?". */
  MATCH_MARGIN: envNumber(0, 1).default(0.35),
  /** English word vectors: unset for the shipped file, `off`, or the path of another file. */
  WORD_VECTORS: vectorFileSetting(),
  /**
   * English sentence-word vectors that re-order the best candidates by sentence meaning (see
   * src/understanding/sentence-vectors.ts): unset for the shipped file, `off`, or another file.
   */
  SENTENCE_VECTORS: vectorFileSetting(),
  /**
   * `on`: English messages are also compared by sentence meaning (Universal Sentence Encoder
   * lite, shipped with its npm package): better answers for paraphrases, about 10 ms more per
   * English message and about 3 ms per English phrasing when the index is built.
   */
  SENTENCE_ENCODER: z.enum(['off', 'on']).default('off'),
};

const redisFragment = {
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z.string().default('sb:'),
};

const slackFragment = {
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_SOCKET_MODE: envBoolean.default(false),
  SLACK_API_URL: z.string().url().optional(),
  /** Comma-separated Slack user ids with admin rights (App Home, /faq). */
  SLACK_ADMIN_USERS: z.string().default(''),
  /** Agent channel per second-level queue: `general=C123,network=C456`; `level3=C789` for third level. */
  SLACK_AGENT_CHANNELS: z.string().default(''),
};

const teamsFragment = {
  MICROSOFT_APP_ID: z.string().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: envBoolean.default(false),
};

export const ConfigSchema = z.object({
  ...serverFragment,
  ...matcherFragment,
  ...redisFragment,
  ...slackFragment,
  ...teamsFragment,
});

export type Config = z.infer<typeof ConfigSchema>;

/** Parses the environment; throws ValidationFailedError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const problems: ValidationProblem[] = result.error.issues.map((issue) => ({
      source: 'env',
      field: issue.path.join('.') || '(root)',
      message: issue.message,
    }));
    throw new ValidationFailedError('Invalid configuration', problems);
  }
  return result.data;
}
