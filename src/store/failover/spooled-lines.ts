import type { Conversation } from '../../core/conversation.ts';
import type { RedisConversationStore } from '../redis/redis-conversations.ts';

/** Reads and writes before giving up when the stored conversation keeps changing meanwhile. */
const MERGE_ATTEMPTS = 5;

/**
 * A spooled conversation change that Redis refused on replay (another process took a turn while
 * Redis was away; its change stands): the lines of the refused change that the stored
 * conversation lacks are added to it in time order, read again on a conflict. A customer's line
 * is matched by its turn (a turn run in both processes is kept once), other lines by time,
 * speaker and text. Returns how many were added.
 */
export async function addSpooledLines(
  conversations: RedisConversationStore,
  spooled: Conversation,
): Promise<number> {
  const key = (line: Conversation['transcript'][number]) =>
    line.turn ? `turn|${line.turn}|${line.from}` : `${line.at}|${line.from}|${line.text}`;
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const stored = await conversations.get(spooled.id);
    if (!stored) return 0;
    const have = new Set(stored.transcript.map(key));
    const missing = spooled.transcript.filter((line) => !have.has(key(line)));
    if (missing.length === 0) return 0;
    stored.transcript = [...stored.transcript, ...missing].sort((a, b) => a.at - b.at);
    if ((await conversations.put(stored)) === 'written') return missing.length;
  }
  return 0;
}
