/**
 * Words of printable ASCII and German letters, single spaces between them: what most messages
 * are, and text that NFKC, the control-character and the space rules below leave as it is.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ALREADY_CLEAN = /^[!-~äöüßÄÖÜ]+(?: [!-~äöüßÄÖÜ]+)*$/;

/** Text as a customer wrote it, made safe for a ticket: no control characters, tidy spaces. */
export function cleanText(text: string): string {
  if (ALREADY_CLEAN.test(text)) return text;
  return (
    text
      .normalize('NFKC')
      // Control and format characters (zero-width, bidi overrides) would garble agents' views and
      // logs; the Hangul fillers and the blank braille cell are letters that show nothing.
      .replace(/[\p{Cc}\p{Cf}\u115F\u1160\u2800\u3164\uFFA0]/gu, ' ')
      // Half a surrogate pair is no character: stored, it would not survive UTF-8 (Redis, files).
      .replace(LONE_SURROGATE, '\uFFFD')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
