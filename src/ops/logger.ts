import { redact } from './redact.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type EntryLevel = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every entry (component, conversation, ...). */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; stderr by default, so stdout stays free for CLI output. */
  write?: ((line: string) => void) | undefined;
  /** Clock for the `time` field (tests pin it). */
  now?: (() => number) | undefined;
  /**
   * Keep e-mail addresses and phone numbers in free text. Off by default: only at debug level
   * may a developer want them, and then only on their own machine.
   */
  keepPersonalData?: boolean | undefined;
}

/** JSON-lines logger with redaction of secrets and personal data. */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const personalData = !(options.keepPersonalData && options.level === 'debug');
  const min = RANK[options.level];

  const build = (bound: LogFields): Logger => {
    const emit = (level: EntryLevel, msg: string, fields?: LogFields) => {
      if (RANK[level] < min) return;
      const entry = redact({ ...bound, ...fields }, { personalData }) as LogFields;
      const line = {
        time: new Date(now()).toISOString(),
        level,
        msg: redact(msg, { personalData }),
        ...entry,
      };
      let text: string;
      try {
        text = JSON.stringify(line);
      } catch (error) {
        // BigInt or exotic values: log what we can rather than lose the entry.
        text = JSON.stringify({ time: line.time, level, msg: line.msg, logError: String(error) });
      }
      write(`${text}\n`);
    };
    return {
      level: options.level,
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => build({ ...bound, ...fields }),
    };
  };
  return build({});
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => {} });
