import type { Reply } from './reply.ts';

/** Configuration, files and arguments: a person must change something. */
const ConfigCodes = {
  ValidationFailed: 'validation_failed',
  InvalidArgument: 'invalid_argument',
  InvalidAppId: 'invalid_app_id',
  MissingAppId: 'missing_app_id',
  InvalidAppPackage: 'invalid_app_package',
  SlackSigningSecretMissing: 'slack_signing_secret_missing',
  SlackAppTokenMissing: 'slack_app_token_missing',
  CsvUnterminatedQuote: 'csv_unterminated_quote',
  MissingConfiguration: 'missing_configuration',
  DamagedFile: 'damaged_file',
} as const;

/** Stores: the data could not be read or written as asked. */
const StoreCodes = {
  StoreClosed: 'store_closed',
  StoreUnavailable: 'store_unavailable',
  StoreDamaged: 'store_damaged',
  SpoolUnavailable: 'spool_unavailable',
  DataDirLocked: 'data_dir_locked',
  DataNotFound: 'data_not_found',
  TicketExists: 'ticket_exists',
  TicketIdChanged: 'ticket_id_changed',
  TicketUpdateConflict: 'ticket_update_conflict',
  ConversationConflict: 'conversation_conflict',
  SlaEscalationConflict: 'sla_escalation_conflict',
  AnnouncementIdTaken: 'announcement_id_taken',
  AnnouncementConflict: 'announcement_conflict',
} as const;

/** Delivery: a platform did not take a message (retried unless undeliverable). */
const DeliveryCodes = {
  Undeliverable: 'undeliverable',
  Deferred: 'deferred',
  NoChannel: 'no_channel',
  WrongChannel: 'wrong_channel',
  TeamsDeliveryFailed: 'teams_delivery_failed',
  SlackUnavailable: 'slack_unavailable',
  SlackNoDmChannel: 'slack_no_dm_channel',
  WebhookFailed: 'webhook_failed',
} as const;

/** The running bot: servers, commands, broken promises between its own parts. */
const RuntimeCodes = {
  ServerNotStarted: 'server_not_started',
  ListenFailed: 'listen_failed',
  InvalidRoute: 'invalid_route',
  UserCommandFailed: 'user_command_failed',
  CustomerRequestFailed: 'customer_request_failed',
  BotNotRunning: 'bot_not_running',
  Internal: 'internal_error',
} as const;

type CodeOf<T> = T[keyof T];
type ConfigCode = CodeOf<typeof ConfigCodes>;
type StoreCode = CodeOf<typeof StoreCodes>;
type DeliveryCode = CodeOf<typeof DeliveryCodes>;
type RuntimeCode = CodeOf<typeof RuntimeCodes>;

/**
 * Every code the bot's errors carry, by family (as Bolt's `ErrorCode`): logs, the per-turn error
 * boundary and the commands match on these, never on message text.
 */
export const ErrorCode = { ...ConfigCodes, ...StoreCodes, ...DeliveryCodes, ...RuntimeCodes } as const;
export type ErrorCode = CodeOf<typeof ErrorCode>;

/** An error with a stable code, for logs and for the per-turn error boundary. */
export class SupportBotError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SupportBotError';
    this.code = code;
  }
}

/** Configuration, a file or an argument is wrong: a person must change it. */
export class ConfigError extends SupportBotError {
  constructor(code: ConfigCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ConfigError';
  }
}

/** A store could not read or write as asked. */
export class StoreError extends SupportBotError {
  constructor(code: StoreCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

/** A platform did not take a message; the outbox retries unless it is undeliverable. */
export class DeliveryError extends SupportBotError {
  constructor(code: DeliveryCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DeliveryError';
  }
}

/** The running bot: its server, a command, or a promise between its own parts broken. */
export class RuntimeError extends SupportBotError {
  constructor(code: RuntimeCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'RuntimeError';
  }
}

/** One problem found while validating a file or the environment. */
export interface ValidationProblem {
  /** File path (or `env`) the problem is in. */
  source: string;
  /** Field path inside it, e.g. `questions[2]` or `PORT`. */
  field: string;
  message: string;
}

/** Thrown at start-up when config or knowledge is broken; lists every problem at once. */
export class ValidationFailedError extends ConfigError {
  readonly problems: ValidationProblem[];
  constructor(what: string, problems: ValidationProblem[]) {
    const lines = problems.map((p) => `  ${p.source}: ${p.field}: ${p.message}`);
    super('validation_failed', `${what}: ${problems.length} problem(s)\n${lines.join('\n')}`);
    this.name = 'ValidationFailedError';
    this.problems = problems;
  }
}

/**
 * Someone else wrote the conversation while this turn or action worked on it (another process,
 * an agent). Raised where a conversation write returns `conflict`; the engine re-runs the turn on
 * the fresh state.
 */
export class ConversationConflictError extends StoreError {
  /**
   * The bot's replies the refused write carried (a turn's answers): when the conversation turns
   * out to hold them after all, the write did land and only its answer was lost (a store that
   * sent it again, as a Redis client does after a reconnect, found the revision moved by the
   * write itself).
   */
  readonly replies: readonly Reply[] | undefined;

  constructor(conversationId: string, replies?: readonly Reply[]) {
    super('conversation_conflict', `conversation ${conversationId} was changed meanwhile`);
    this.name = 'ConversationConflictError';
    this.replies = replies;
  }
}
