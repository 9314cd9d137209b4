import pino from 'pino';
import type { LogFields, Logger, LogLevel } from '../core/logger.ts';
import { redact, redactText } from './redact.ts';

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

/**
 * JSON-lines logger on pino, with redaction of secrets and personal data. pino's own `redact`
 * only masks known key paths; e-mail addresses and phone numbers hide in free text (a customer's
 * message, an error from an API), so every entry also goes through `redact` (src/ops/redact.ts).
 */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? Date.now;
  const personalData = !(options.keepPersonalData && options.level === 'debug');
  // Synchronous, so the last lines before an exit or a crash are not lost.
  const destination = options.write ? { write: options.write } : pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level: options.level,
      base: undefined,
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings, { personalData }) as LogFields,
        log: (entry) => redact(entry, { personalData }) as LogFields,
      },
    },
    destination,
  );
  return wrap(root, options.level, personalData);
}

/**
 * Our port takes (message, fields); pino takes (fields, message). A level that is off costs
 * nothing: Bolt and the Web API client log every request at debug, and redacting those texts only
 * to drop them took 4 % of a busy process's CPU.
 */
function wrap(target: pino.Logger, level: LogLevel, personalData: boolean): Logger {
  const at =
    (name: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (target.isLevelEnabled(name)) target[name](fields ?? {}, redactText(message, { personalData }));
    };
  return {
    level,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(target.child(fields), level, personalData),
  };
}
