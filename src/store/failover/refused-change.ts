import type { Conversation } from '../../core/conversation.ts';
import { transition } from '../../core/owner-transition.ts';
import type { Ticket } from '../../core/ticket.ts';
import type { RedisConversationStore } from '../redis/redis-conversations.ts';

/** Reads and writes before giving up when the stored conversation keeps changing meanwhile. */
const MERGE_ATTEMPTS = 5;

type Line = Conversation['transcript'][number];

/** What a refused change brought into the stored conversation. */
export interface MergedChange {
  lines: number;
  /** The refused turn's ticket, which the conversation now waits for (it would be cut off otherwise). */
  ticket?: string | undefined;
  /** The refused turn's intake, which the customer was last asked about. */
  intake?: boolean | undefined;
}

/**
 * A spooled conversation change that Redis refused on replay (another process took a turn while
 * Redis was away; its change stands). Added to the stored conversation:
 * - the refused change's lines that it lacks, in time order. A customer's line is matched by its
 *   turn (a turn run in both processes is kept once), other lines by time, speaker and text;
 * - the ticket the refused turn opened, while it is open and the conversation waits for no ticket
 *   of its own: otherwise the agent who takes it would answer a customer whose messages go to the
 *   bot;
 * - the intake the refused turn started, when its question is the last thing the customer saw
 *   and the stored conversation is with the bot.
 * The owner changes through the state machine only. Read again on a conflict.
 */
export async function mergeRefusedChange(
  conversations: RedisConversationStore,
  getTicket: (id: string) => Promise<Ticket | undefined>,
  spooled: Conversation,
): Promise<MergedChange> {
  const ticket = spooled.ticketId ? await getTicket(spooled.ticketId) : undefined;
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const stored = await conversations.get(spooled.id);
    if (!stored) return { lines: 0 };
    const have = new Set(stored.transcript.map(lineKey));
    const missing = spooled.transcript.filter((line) => !have.has(lineKey(line)));
    let merged: Conversation = {
      ...stored,
      transcript: [...stored.transcript, ...missing].sort((a, b) => a.at - b.at),
    };
    const result: MergedChange = { lines: missing.length };
    if (ticket && waitsFor(spooled, ticket) && stored.ticketId !== ticket.id) {
      const next = transition(merged, {
        type: 'ticket-recovered',
        ticketId: ticket.id,
        taken: ticket.status === 'claimed',
      });
      if (next !== merged) result.ticket = ticket.id;
      merged = next;
    } else if (
      spooled.owner === 'intake' &&
      spooled.intake &&
      lastBotLineAt(spooled) > lastBotLineAt(stored)
    ) {
      const next = transition(merged, { type: 'intake-started', intake: spooled.intake });
      if (next !== merged) result.intake = true;
      merged = next;
    }
    if (!result.lines && !result.ticket && !result.intake) return result;
    if ((await conversations.put(merged)) === 'written') return result;
  }
  return { lines: 0 };
}

/** The log line for a refused change: what stands, and what of the change was carried over. */
export function describeRefusedChange(conversationId: string, merged: MergedChange): string {
  const carried = [
    merged.ticket ? `; it now waits for ticket ${merged.ticket}, opened in the spooled change` : '',
    merged.intake ? '; the intake the spooled change started goes on' : '',
  ].join('');
  return `conversation ${conversationId} changed elsewhere while Redis was away; its stored state stands, ${merged.lines} line(s) of the spooled change were added to it${carried}`;
}

function lineKey(line: Line): string {
  return line.turn ? `turn|${line.turn}|${line.from}` : `${line.at}|${line.from}|${line.text}`;
}

/** The refused change waited for this ticket, and the ticket is still open. */
function waitsFor(spooled: Conversation, ticket: Ticket): boolean {
  return (
    (spooled.owner === 'queued' || spooled.owner === 'agent') &&
    (ticket.status === 'queued' || ticket.status === 'claimed')
  );
}

function lastBotLineAt(conversation: Conversation): number {
  let at = 0;
  for (const line of conversation.transcript) if (line.from === 'bot' && line.at > at) at = line.at;
  return at;
}
