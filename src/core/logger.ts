/** Structured fields of one log line; values must be JSON-serialisable. */
export type LogFields = Record<string, unknown>;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The one logging port of the bot; src/ops/logger.ts provides the real one (pino). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every entry (component, conversation, ...). */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

const ignore = () => {};

/** Discards everything: the default when no logger is given. */
export const silentLogger: Logger = {
  level: 'silent',
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};

/** Stable code of any thrown value, for logs. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') return String(code);
  }
  return 'internal_error';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
