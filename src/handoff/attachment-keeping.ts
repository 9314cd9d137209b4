import { type Attachment, MAX_PENDING_ATTACHMENTS } from '../core/attachment.ts';
import { messagesFor } from '../core/messages.ts';
import type { Reply } from '../core/reply.ts';
import type { TurnContext } from '../core/turn-context.ts';
import type { Handoff } from './handoff.ts';

/** Adds files to a list, each id once, newest last, at most `max`. */
export function withAttachments(
  kept: readonly Attachment[] | undefined,
  added: readonly Attachment[],
  max = Number.POSITIVE_INFINITY,
): Attachment[] {
  const ids = new Set((kept ?? []).map((a) => a.id));
  return [...(kept ?? []), ...added.filter((a) => !ids.has(a.id))].slice(-max);
}

/**
 * The files of a turn go with the customer's ticket: onto the open ticket the conversation waits
 * for (an `attachment-added` event, once per turn), or, before a ticket exists (while the bot
 * answers or the intake runs), onto the conversation, whose next ticket takes them over. The
 * customer is told where they went.
 */
export async function keepAttachments(context: TurnContext, handoff: Handoff): Promise<Reply | undefined> {
  const files = context.turn.attachments ?? [];
  if (files.length === 0) return undefined;
  const { conversation, language } = context;
  const names = files.map((f) => `„${f.name}“`).join(', ');
  const say = messagesFor(language);
  const waiting = conversation.owner === 'queued' || conversation.owner === 'agent';
  if (waiting && conversation.ticketId) {
    const ticket = await handoff.record(
      conversation.ticketId,
      {
        type: 'attachment-added',
        by: conversation.customer.name ?? conversation.customer.id,
        text: files.map((f) => f.name).join(', '),
        turnId: context.turn.id,
      },
      (t) => ({ ...t, attachments: withAttachments(t.attachments, files) }),
    );
    if (ticket) return { type: 'notice', text: say.attachmentsKept(names, ticket.id), actions: [], language };
  }
  conversation.attachments = withAttachments(conversation.attachments, files, MAX_PENDING_ATTACHMENTS);
  return { type: 'notice', text: say.attachmentsKept(names), actions: [], language };
}
