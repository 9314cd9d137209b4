import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { envBoolean, envNumber, envPort } from './env-schema.ts';
import { securityFragment } from './security-config.ts';
import { readWebhookEndpoints } from './webhook-endpoints.ts';

/** Types sniffContentType recognises. */
const KNOWN_ATTACHMENT_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'text/plain',
]);

/**
 * The whole environment, in fragments per concern. Parsed once in main.ts; nothing else reads
 * process.env. Every problem is reported at once.
 */
const serverFragment = {
  PORT: envPort
    .default(3000)
    .describe(
      'The one HTTP port: web chat, console, admin API, Slack and Teams endpoints, health and metrics.',
    ),
  HOST: z
    .string()
    .default('127.0.0.1')
    .describe('Bind address. `0.0.0.0` in a container or behind a load balancer.'),
  ADMIN_TOKEN: z
    .string()
    .min(8, 'use at least 8 characters')
    .optional()
    .describe(
      'Token for the console and the agent/admin API (at least 8 characters). Unset with the embedded store: one is generated into `DATA_DIR/admin-token`; unset with Redis: the console is off.',
    ),
  DATA_DIR: z
    .string()
    .default('./data')
    .describe(
      'Embedded store (conversations, tickets, feedback, …); with Redis, the local spool for outages.',
    ),
  KNOWLEDGE_DIR: z
    .string()
    .default('./knowledge')
    .describe('FAQ entries, one Markdown file per entry and language; reloaded when a file changes.'),
  INTENTS_DIR: z
    .string()
    .default('./intents')
    .describe('Intent definitions (YAML), with examples in German and English.'),
  SUPPORT_CONFIG: z
    .string()
    .default('./config/support.yaml')
    .describe('Queues, intake forms, priority matrix, SLA reaction and resolution times, business hours.'),
  CUSTOMERS_CONFIG: z
    .string()
    .default('./config/customers.yaml')
    .describe(
      'Organisations, how their people are recognised, and their contracts (support model, SLA tier, escalation).',
    ),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'])
    .default('info')
    .describe('JSON log lines on stderr at this level and above; secrets and personal data are redacted.'),
  DRAIN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(10_000)
    .describe(
      'On SIGTERM: how long turns and outbox deliveries in flight may take to finish before the process exits (ms). /readyz turns 503 at once.',
    ),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'The URL the bot is reached at from outside (`https://support.example.com`); `support-bot doctor` checks it is public HTTPS and answers `/healthz`.',
    ),
  SMTP_URL: z
    .string()
    .url()
    .refine((url) => /^smtps?:/.test(url), 'use smtp://… or smtps://…')
    .optional()
    .describe(
      "Mail server for warnings to an organisation's contact (block hours low or used up): `smtp://user:pass@host:587` or `smtps://…`. Needs SMTP_FROM.",
    ),
  ATTACHMENTS_DIR: z
    .string()
    .optional()
    .describe(
      "Where customers' files are kept (default `DATA_DIR/attachments`). With several processes, a directory they all share.",
    ),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(100_000_000)
    .default(10_000_000)
    .describe('Largest file a customer may send (bytes); a larger one is refused while it streams in.'),
  ATTACHMENT_TYPES: z
    .string()
    .default('image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain')
    .refine(
      (list) => list.split(',').every((t) => KNOWN_ATTACHMENT_TYPES.has(t.trim())),
      `use types the bot can recognise: ${[...KNOWN_ATTACHMENT_TYPES].join(', ')}`,
    )
    .describe('File types customers may send, as recognised from the first bytes (comma-separated).'),
  SMTP_FROM: z
    .string()
    .min(3)
    .optional()
    .describe('Sender of those e-mails, e.g. `Support <support@example.com>`.'),
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
  MATCH_THRESHOLD: envNumber(0, 1)
    .default(0.45)
    .describe(
      'Calibrated score (0–1) the best answer needs; below it the bot asks to rephrase or hands off.',
    ),
  /** Entries closer than this to the best one are offered as "Did you mean …?". */
  MATCH_MARGIN: envNumber(0, 1)
    .default(0.35)
    .describe('Entries closer than this to the best one are offered together as "Did you mean …?".'),
  /** English word vectors: unset for the shipped file, `off`, or the path of another file. */
  WORD_VECTORS: vectorFileSetting().describe(
    'English word vectors (GloVe, shipped): unset for the shipped file, `off`, or the path of another file.',
  ),
  /**
   * English sentence-word vectors that re-order the best candidates by sentence meaning (see
   * src/understanding/distilled-sentence-vectors.ts): unset for the shipped file, `off`, or another file.
   */
  SENTENCE_VECTORS: vectorFileSetting().describe(
    'English sentence meaning from a shipped table: re-orders close calls. Unset for the shipped file, `off`, or another file.',
  ),
  /**
   * German synonyms (OpenThesaurus, shipped as a distilled table; see
   * src/understanding/german-synonyms.ts) for a German word no phrasing uses: unset for the
   * shipped table, `off`, or the path of another table.
   */
  GERMAN_SYNONYMS: z
    .string()
    .refine((v) => v === 'off' || existsSync(v), 'use "off" or the path of an existing synonym table')
    .optional()
    .describe(
      'German synonyms (OpenThesaurus, shipped) for German words no phrasing uses ("Kiste" → "Rechner"). Unset for the shipped table, `off`, or another file.',
    ),
  /**
   * `on` (the default): English close calls are also compared by sentence meaning (Universal
   * Sentence Encoder lite, shipped with its npm package): better answers for paraphrases, about
   * 10 ms more for an English message whose best candidate does not lead clearly, and about 7 ms
   * per English phrasing the first time it is embedded (the shipped knowledge's come with the
   * bot; the rest are kept in DATA_DIR and Redis).
   */
  SENTENCE_ENCODER: z
    .enum(['off', 'on'])
    .default('on')
    .describe(
      '`on` (default): English close calls are also compared with the Universal Sentence Encoder lite (shipped in its npm package); about 10 ms more for such a message. Phrasing vectors are kept in DATA_DIR (and Redis). `off`: the sparse matcher with word vectors alone.',
    ),
};

const redisFragment = {
  REDIS_URL: z
    .string()
    .url()
    .optional()
    .describe(
      'Set: all state in Redis (`redis://host:6379`), so several processes share it. Production Redis needs AOF and `maxmemory-policy noeviction`.',
    ),
  REDIS_PREFIX: z
    .string()
    .default('sb:')
    .describe('Prefix of every Redis key, to share one Redis between bots.'),
};

const slackFragment = {
  SLACK_BOT_TOKEN: z
    .string()
    .optional()
    .describe('Slack bot token (`xoxb-…`). With the signing secret, switches Slack on.'),
  SLACK_SIGNING_SECRET: z.string().optional().describe('Verifies that requests come from Slack.'),
  SLACK_APP_TOKEN: z.string().optional().describe('App-level token (`xapp-…`), Socket Mode only.'),
  SLACK_SOCKET_MODE: envBoolean
    .default(false)
    .describe('`true`: connect out over Socket Mode instead of receiving HTTP at `/slack/events`.'),
  SLACK_API_URL: z
    .string()
    .url()
    .optional()
    .describe('Base URL of the Slack Web API; only for tests against a local stand-in.'),
  /** Comma-separated Slack user ids with admin rights (App Home, /faq). */
  SLACK_ADMIN_USERS: z
    .string()
    .default('')
    .describe('Comma-separated Slack member ids with admin rights (App Home curation, `/faq`).'),
  /** Agent channel per second-level queue: `general=C123,network=C456`; `level3=C789` for third level. */
  SLACK_AGENT_CHANNELS: z
    .string()
    .default('')
    .describe(
      'Agent channel per second-level queue: `general=C123,network=C456`; `level3=C789` for third level.',
    ),
};

const teamsFragment = {
  MICROSOFT_APP_ID: z.string().optional().describe("The Teams bot's app (client) id, a GUID."),
  MICROSOFT_APP_PASSWORD: z.string().optional().describe("The Teams bot's client secret."),
  MICROSOFT_APP_TENANT_ID: z
    .string()
    .optional()
    .describe('The Entra tenant the bot is registered in (single tenant).'),
  TEAMS_ALLOW_UNAUTHENTICATED: envBoolean
    .default(false)
    .describe(
      '`true` only for local tools (Agents Playground, Emulator) without credentials: loopback service URLs only. Ignored with credentials.',
    ),
  /** Teams agent channel per second-level queue, like SLACK_AGENT_CHANNELS, with Teams channel ids. */
  TEAMS_AGENT_CHANNELS: z
    .string()
    .default('')
    .describe(
      'Teams agent channel per second-level queue: `general=19:…@thread.tacv2`; `level3=…` for third level. Needs the app installed in the team.',
    ),
  TEAMS_SERVICE_URL: z
    .string()
    .url()
    .default('https://smba.trafficmanager.net/teams/')
    .describe(
      "Bot Connector URL for posting ticket cards into Teams channels; the service URL of the team's activities takes over once one arrives.",
    ),
};

const webhookFragment = {
  WEBHOOK_URL: z
    .string()
    .optional()
    .describe(
      'Helpdesk endpoint(s) for ticket events, signed per Standard Webhooks; several separated by spaces. Needs WEBHOOK_SECRET.',
    ),
  WEBHOOK_SECRET: z
    .string()
    .optional()
    .describe(
      'Signing secret (`whsec_…`, base64 after the prefix), one for all endpoints or one per endpoint separated by spaces.',
    ),
  WEBHOOK_EVENTS: z
    .string()
    .default('*')
    .describe(
      'Event types per endpoint (`ticket.created,ticket.resolved`; `*` for all), one list per endpoint separated by spaces, or one list for all.',
    ),
  INTEGRATION_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters')
    .optional()
    .describe(
      'Token a helpdesk uses on the ticket API (reply, claim, resolve, record time): scoped to tickets, not the admin token.',
    ),
};

export const ConfigSchema = z.object({
  ...serverFragment,
  ...matcherFragment,
  ...redisFragment,
  ...slackFragment,
  ...teamsFragment,
  ...securityFragment,
  ...webhookFragment,
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
  const webhooks = readWebhookEndpoints(result.data);
  const problems = webhooks.ok ? [] : [...webhooks.problems];
  if (result.data.SMTP_URL && !result.data.SMTP_FROM) {
    problems.push({ source: 'env', field: 'SMTP_FROM', message: 'set the sender too when SMTP_URL is set' });
  }
  if (problems.length > 0) throw new ValidationFailedError('Invalid configuration', problems);
  return result.data;
}
