import type { Conversation, TranscriptLine } from '../core/conversation.ts';
import { jsonCopy } from './embedded/json-copy.ts';

/**
 * Transcript lines as the stores keep them: a line never changes once written, so a store keeps
 * each one frozen and shares it between its own copy and every conversation it hands out. A
 * turn then copies the conversation's few fields and one array of references instead of the
 * whole transcript (up to 200 lines), and a line changed by mistake throws instead of silently
 * changing the stored one.
 */
export type StoredLines = readonly TranscriptLine[];

/** The transcript with every line frozen: lines a store handed out stay as they are, new ones are copied once. */
export function freezeLines(transcript: readonly TranscriptLine[]): StoredLines {
  const out = new Array<TranscriptLine>(transcript.length);
  for (let i = 0; i < transcript.length; i++) {
    const line = transcript[i] as TranscriptLine;
    out[i] = Object.isFrozen(line) ? line : Object.freeze(jsonCopy(line));
  }
  return out;
}

/** The conversation without its transcript, and its transcript, for stores that keep them apart. */
export function splitTranscript(conversation: Conversation): {
  rest: Omit<Conversation, 'transcript'>;
  lines: StoredLines;
} {
  const { transcript, ...rest } = conversation;
  return { rest, lines: freezeLines(transcript) };
}

/** A conversation to hand out: its own fields (already a copy) and a fresh array of the shared lines. */
export function withLines(rest: Omit<Conversation, 'transcript'>, lines: StoredLines): Conversation {
  return { ...rest, transcript: lines.slice() };
}

/**
 * How `next` follows from `stored` when lines were only dropped from the front and added at the
 * end (how a transcript grows, see the engine's cap): the number dropped and the lines added.
 * Lines are compared by identity, which holds because stores hand out their own frozen lines.
 * Undefined when `next` is anything else (then the whole transcript is written again).
 */
export function appendedLines(
  stored: StoredLines,
  next: StoredLines,
): { dropped: number; added: StoredLines } | undefined {
  if (next.length === 0) return stored.length === 0 ? { dropped: 0, added: [] } : undefined;
  const dropped = stored.length === 0 ? 0 : stored.indexOf(next[0] as TranscriptLine);
  // No line kept: all of the stored ones go, all of these come.
  if (dropped < 0) return { dropped: stored.length, added: next };
  const kept = stored.length - dropped;
  if (kept > next.length) return undefined;
  for (let i = 1; i < kept; i++) if (next[i] !== stored[dropped + i]) return undefined;
  return { dropped, added: next.slice(kept) };
}

/** Rough size of lines in characters, for caches that bound their memory. */
export function linesChars(lines: StoredLines): number {
  let chars = 0;
  for (const line of lines) chars += line.text.length + 48;
  return chars;
}
