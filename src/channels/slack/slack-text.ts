/**
 * Text for Slack's mrkdwn. Anything a customer (or agent) typed is escaped before it is shown:
 * `<!channel>`, `<@U123>` and `<https://x|y>` are only markup when `<` reaches Slack unescaped,
 * so escaping &, < and > is what keeps a customer from pinging a channel or faking a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to Slack's field limits (counted in characters), marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Customer or agent text, escaped and shown as a quote. */
export function quoteUserText(text: string, max = 2_800): string {
  return truncate(escapeMrkdwn(text), max)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

const BOLD = '\u0001';

/**
 * Converts the Markdown of FAQ answers to Slack mrkdwn: **bold**, *italic*, [links](https://…),
 * headings, bullet lists. Code spans and blocks keep their backticks (Slack renders them the
 * same). Everything is escaped, code included, so no text can carry Slack markup of its own.
 */
export function markdownToMrkdwn(markdown: string): string {
  const code: string[] = [];
  const keep = (slackText: string): string => {
    code.push(slackText);
    return `\u0002${code.length - 1}\u0002`;
  };
  // Backslash escapes (someone's text quoted in a reply, see markdownLiteral) stand for the bare
  // character; then code, whose content must not be touched by the inline rules below. Both are
  // escaped for Slack too: `<!channel>` inside backticks would still ping the channel.
  const protectedText = markdown
    .replace(/\\([!-/:-@[-`{-~])/g, (_m, char: string) => keep(escapeMrkdwn(char)))
    .replace(/```[\s\S]*?```|`[^`\n]+`/g, (match) => keep(escapeMrkdwn(match)));
  const lines = escapeMrkdwn(protectedText)
    .split('\n')
    .map((line) => {
      const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (heading) return `${BOLD}${heading[1]}${BOLD}`;
      return line.replace(/^(\s*)[-*+]\s+/, '$1• ');
    });
  const inline = lines
    .join('\n')
    .replace(
      /\*\*(.+?)\*\*|__(.+?)__/g,
      (_m, a: string | undefined, b: string | undefined) => `${BOLD}${a ?? b}${BOLD}`,
    )
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1_$2_')
    .replace(
      /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g,
      (_m, label: string, url: string) => `<${url}|${label.replace(/\|/g, '¦')}>`,
    )
    .replace(new RegExp(BOLD, 'g'), '*');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0002 marks protected code spans.
  return inline.replace(/\u0002(\d+)\u0002/g, (_m, index: string) => code[Number(index)] ?? '');
}
