import type { Conversation } from './conversation.ts';
import { appliedIn } from './conversation-record.ts';
import type { Language } from './language.ts';
import { messagesFor } from './messages.ts';
import type { ResponseStore, Stores } from './ports.ts';
import type { Reply } from './reply.ts';
import type { Turn } from './turn.ts';

/** How long a replayed turn waits for the first attempt's answer (it may run in another process). */
const REPLAY_WAIT_MS = 5_000;

/**
 * The answer a replayable turn got the first time. The first attempt may still be running in
 * another process (it holds the turn id, not this process's lock), so its answer is awaited
 * for a while; undefined when it left none in that time (it died before answering).
 */
export async function rememberedReplies(
  responses: ResponseStore,
  turnId: string,
  waitMs: number,
): Promise<Reply[] | undefined> {
  const until = Date.now() + waitMs;
  for (;;) {
    const remembered = await responses.get(`turn:${turnId}`);
    if (Array.isArray(remembered)) return remembered as Reply[];
    if (Date.now() >= until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * What the bot said to a turn, as the conversation kept it: for a repeat whose first attempt
 * was applied but died before keeping its answer. Plain notices (the buttons are not kept), so
 * the customer still sees the answer instead of nothing.
 */
export function repliesInTranscript(conversation: Conversation | undefined, turnId: string): Reply[] {
  const lines = conversation?.transcript ?? [];
  const at = lines.findIndex((line) => line.turn === turnId);
  if (at < 0 || !conversation) return [];
  const replies: Reply[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.from !== 'bot') break;
    replies.push({ type: 'notice', text: line.text, actions: [], language: conversation.language });
  }
  return replies;
}

/**
 * A replayable turn seen before (a retry with the same key): the first attempt's answer, or,
 * when it left none, the conversation to run the turn on, unless it got as far as applying it
 * (then the answer as the conversation kept it). A resumed turn's first run is over (it failed
 * or its process died): its answer is not waited for.
 */
export async function answerToRepeat(
  stores: Pick<Stores, 'responses' | 'conversations'>,
  turn: Turn,
): Promise<{ replies: Reply[] } | { runOn: Conversation | undefined }> {
  const waitMs = turn.resumed ? 0 : REPLAY_WAIT_MS;
  const remembered = await rememberedReplies(stores.responses, turn.id, waitMs);
  if (remembered) return { replies: remembered };
  const current = await stores.conversations.get(turn.conversation.conversationId);
  return appliedIn(current, turn.id)
    ? { replies: repliesInTranscript(current, turn.id) }
    : { runOn: current };
}

/**
 * The answer of a turn the stored conversation shows applied, after a write of it came back as a
 * conflict: the replies that write carried when the conversation holds exactly them (the write
 * landed and only its answer was lost, as when Redis restarts mid-reply and the client sends it
 * again), else those another attempt remembered, else the answer as the conversation kept it.
 * Never nothing for a turn that was answered: before, the first case left the customer without an
 * answer (found by the load test's Redis restart).
 */
export async function answerOfApplied(
  stores: Pick<Stores, 'responses'>,
  turn: Turn,
  current: Conversation | undefined,
  written: readonly Reply[] | undefined,
  ttlMs: number,
): Promise<Reply[]> {
  const kept = repliesInTranscript(current, turn.id);
  if (written && written.length === kept.length && written.every((r, i) => r.text === kept[i]?.text)) {
    if (turn.replay) await stores.responses.put(`turn:${turn.id}`, written, ttlMs);
    return [...written];
  }
  return (await rememberedReplies(stores.responses, turn.id, 0)) ?? kept;
}

/** The apology of a failed turn, with a way to a person. */
export function apology(language: Language): Reply {
  const say = messagesFor(language);
  return {
    type: 'notice',
    text: say.apology,
    actions: [{ type: 'talk-to-person', label: say.talkToPerson }],
    language,
  };
}
