/** ASCII punctuation that starts or ends Markdown syntax (CommonMark lets any of it be escaped). */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()<>#!~|]/g;

/**
 * Someone's text placed inside a reply that channels render as Markdown (the proposed summary, a
 * corrected value): backslash-escaped, so `[Bank](https://…)`, `` `code` `` or `**` typed by a
 * customer shows as typed and never becomes a link, code or emphasis in Slack, Teams or the web.
 */
export function markdownLiteral(text: string): string {
  return text.replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}
