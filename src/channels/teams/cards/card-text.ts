import { type TextBlock, textBlock } from './adaptive-card.ts';

/** Teams caps a message at about 28 KB; one card's text stays well below. */
const MAX_TEXT = 12_000;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Adaptive Card TextBlocks know a subset of Markdown: **bold**, _italic_, lists and
 * [links](https://…). Headings become bold lines, code spans lose their backticks (shown
 * literally otherwise), `{{` is broken up because Teams would read it as a date/time function.
 */
function toCardMarkdown(markdown: string): string {
  return (
    markdown
      .split('\n')
      .map((line) => {
        const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
        if (heading) return `**${heading[1]}**`;
        return line.replace(/^(\s*)[*+]\s+/, '$1- ');
      })
      .join('\n')
      // Cards know _italic_ but not *italic*.
      .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1_$2_')
      .replace(/```[^\n]*\n?([\s\S]*?)```/g, '$1')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/\{\{/g, '{\u200b{')
      // Backslash escapes (someone's text quoted in a reply) are shown as the bare character.
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
  );
}

/**
 * Markdown as TextBlocks, one per paragraph: a blank line inside one TextBlock is rendered
 * inconsistently across Teams clients, separate blocks are not.
 */
export function markdownBlocks(markdown: string): TextBlock[] {
  return toCardMarkdown(truncate(markdown.replace(/\r\n?/g, '\n'), MAX_TEXT))
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph, index) => textBlock(paragraph, index === 0 ? {} : { spacing: 'medium' }));
}

/** Text someone typed (a customer's answer, an agent's message): kept as written, made safe for a card. */
export function plainBlock(text: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock {
  return textBlock(toCardMarkdown(truncate(text, MAX_TEXT)), style);
}
