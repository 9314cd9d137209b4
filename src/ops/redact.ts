/**
 * Redaction for log entries: secrets by key name always, personal data (e-mail addresses,
 * phone numbers) in free text unless the caller keeps it on purpose (local debugging).
 */

const SECRET_KEY = /(token|password|passwd|secret|authorization|cookie|api[-_]?key|signature|credential)/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International or national numbers with at least 7 digits, allowing spaces, dashes, slashes, parentheses.
const PHONE = /(?<![\w.])(?:\+|00)?\d(?:[\s/().-]*\d){6,}(?![\w.])/g;
// Dates and times look like digit runs too; they are not personal data.
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$|^\d{1,2}\.\d{1,2}\.\d{2,4}$|^\d{1,2}:\d{2}/;
const OWN_ID_KEY = /^(?:requestId|turnId|conversationId|ticketId|eventId|traceId)$/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]+/g;

export const REDACTED = '[redacted]';

export interface RedactOptions {
  /** Mask e-mail addresses and phone numbers in strings. */
  personalData: boolean;
}

/** Masks secrets and (optionally) personal data in one string. */
export function redactText(text: string, options: RedactOptions): string {
  let out = text.replace(BEARER, `$1 ${REDACTED}`).replace(SLACK_TOKEN, REDACTED);
  if (options.personalData) {
    // UUIDs (request ids, conversation ids) are set aside first: their digit runs are no phone.
    const uuids: string[] = [];
    out = out
      .replace(UUID, (match) => {
        uuids.push(match);
        return `\u0000${uuids.length - 1}\u0000`;
      })
      .replace(EMAIL, '[email]')
      .replace(PHONE, (match) => (DATE_LIKE.test(match) ? match : '[phone]'))
      // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0000 marks a set-aside UUID.
      .replace(/\u0000(\d+)\u0000/g, (_m, index: string) => uuids[Number(index)] ?? '');
  }
  return out;
}

/** Returns a redacted deep copy of a log value; cycles and depth are bounded. */
export function redact(
  value: unknown,
  options: RedactOptions,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactText(value, options);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message, options),
      ...(code !== undefined ? { code } : {}),
      ...(value.stack ? { stack: redactText(value.stack, options) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, options, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key) && v !== undefined && v !== null) out[key] = REDACTED;
    // Ids the bot makes itself are matched against other logs as they are: no personal data in them.
    else if (OWN_ID_KEY.test(key) && typeof v === 'string') out[key] = redactText(v, { personalData: false });
    else out[key] = redact(v, options, depth + 1, seen);
  }
  return out;
}
