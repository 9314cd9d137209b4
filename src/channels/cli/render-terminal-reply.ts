import type { Action } from '../../core/action.ts';
import type { Reply } from '../../core/reply.ts';

/** Markdown to plain terminal text: emphasis markers and link syntax go, the words stay. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/__([^_\n]+)__/g, '$1')
    .replace(/(^|[^*\w])\*(\S(?:[^*\n]*\S)?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, '$1 <$2>')
    .replace(/^\s*[-*+]\s+/gm, '  • ');
}

/**
 * Renders replies for a terminal and numbers every action across them, so the customer types
 * `2` to pick the second button. Returns the text and the actions in number order.
 */
export function renderTerminalReplies(
  replies: Reply[],
  labels: { you?: string; agent?: string } = {},
): { text: string; actions: Action[] } {
  const lines: string[] = [];
  const actions: Action[] = [];
  for (const reply of replies) {
    switch (reply.type) {
      case 'answer':
        lines.push(`== ${reply.title} ==`, plainText(reply.text));
        break;
      case 'ticket':
        lines.push(
          plainText(reply.text),
          `  Ticket ${reply.ticket.id} · ${reply.ticket.queue} · ${reply.ticket.priority} · #${reply.position} · ~${reply.expectedWaitMinutes} min`,
        );
        break;
      case 'relay':
        lines.push(`[${reply.from || labels.agent || 'Agent'}] ${plainText(reply.text)}`);
        break;
      case 'ask':
        if (reply.error) lines.push(`! ${reply.error}`);
        lines.push(plainText(reply.text));
        break;
      default:
        lines.push(plainText(reply.text));
    }
    for (const action of reply.actions) {
      actions.push(action);
      lines.push(`  [${actions.length}] ${action.label}`);
    }
    lines.push('');
  }
  return { text: lines.join('\n'), actions };
}
