import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Conversation } from '../../core/conversation.ts';
import { type ConversationStore, type ConversationWrite, LEGACY_REVISION } from '../../core/ports.ts';
import { RECORD_VERSION, readConversation } from '../record-schemas.ts';
import {
  appendedLines,
  linesChars,
  type StoredLines,
  splitTranscript,
  withLines,
} from '../transcript-lines.ts';
import { luaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/** What this process wrote (or read) last for one conversation, while Redis still holds exactly that. */
interface CachedWrite {
  /** `{"v":1,"exp":<exp>,"rev":"<rev>","lines":1,`: unique to that write, so Redis can confirm it is still there. */
  head: string;
  rev: string;
  exp: number;
  /** JSON of the conversation without its lines (`transcript` empty). */
  data: string;
  /** The lines as the Redis list holds them. */
  lines: StoredLines;
  chars: number;
}

/**
 * 1 when the record still starts with the head this process wrote last (its own copy is
 * current), else the record and the lines of its transcript list.
 * KEYS: record, lines. ARGV: expected head ('' for none).
 */
const readIfChanged = luaScript('read-if-changed', 2);

/**
 * Writes the record and appends the new lines, only if the record is still the one this process
 * knows (its head); 0 otherwise, and nothing is written.
 * KEYS: record, lines. ARGV: expected head, record, ttl ms, lines dropped at the front, new lines...
 */
const appendWrite = luaScript('append-write', 2);

/**
 * Writes the record and the whole transcript if the stored record is at the expected revision
 * ('' for none stored; 'legacy' for a record of a version that wrote no revision); 0 otherwise,
 * and nothing is written. KEYS: record, lines. ARGV: expected revision, record, ttl ms, lines...
 */
const fullWrite = luaScript('full-write', 2, { LEGACY_REVISION });

/** Default size of the copies kept, in characters (about 3,000 conversations of 5,000 characters). */
export const DEFAULT_CONVERSATION_CACHE_CHARS = 16_000_000;

export interface RedisConversationOptions {
  clock: { now(): number };
  ttlMs: number;
  warn: (message: string) => void;
  /** Characters of conversations kept in memory; 0 turns the copies off. */
  cacheChars?: number | undefined;
}

/**
 * Conversations in Redis: a JSON record per conversation and its transcript as a list beside it
 * (same hash tag), so a turn appends its two or three lines instead of writing the whole
 * transcript again. The record marks this with `"lines":1` and keeps `"transcript":[]`, which an
 * older version reads as a conversation without history rather than an unreadable one; a record
 * without the mark (an older writer) has its transcript inline and is read that way.
 *
 * Records read from Redis are validated (another process or an older version may have written
 * them). A turn reads the conversation it saved itself on the turn before in the usual case, so
 * the process keeps what it wrote last (up to `cacheChars`, least recently used out first) and
 * asks Redis only whether that write is still the current one: Redis answers with a number
 * instead of the record. Anything else (a write by another process, a restart, an expired or
 * deleted key) gets the record and its lines, read and validated.
 */
export class RedisConversationStore implements ConversationStore {
  private readonly written = new Map<string, CachedWrite>();
  private cachedChars = 0;
  private readonly cacheChars: number;
  /** Revisions: random per store, counted up per write, so two writers never share one. */
  private readonly revisionTag = randomBytes(6).toString('base64url');
  private revision = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisConversationOptions,
  ) {
    this.cacheChars = options.cacheChars ?? DEFAULT_CONVERSATION_CACHE_CHARS;
  }

  async get(id: string): Promise<Conversation | undefined> {
    const mine = this.written.get(id);
    const answer = await readIfChanged.run(this.redis, this.keysOf(id), [mine?.head ?? '']);
    if (answer === 1 && mine) {
      if (mine.exp <= this.options.clock.now()) return undefined;
      this.touch(id, mine);
      return { ...withLines(JSON.parse(mine.data), mine.lines), revision: mine.rev };
    }
    if (mine && this.written.get(id) === mine) this.forget(id);
    if (!Array.isArray(answer)) return undefined;
    const [record, lines] = answer as [string, string[]];
    const result = readConversation(record, lines);
    if (!result.ok) {
      this.options.warn(`conversation ${id} is unreadable and starts afresh: ${result.problem}`);
      return undefined;
    }
    if (result.exp !== undefined && result.exp <= this.options.clock.now()) return undefined;
    // A record of this layout, read whole: kept like an own write, so the next turn appends.
    if (result.exp !== undefined && result.rev !== undefined && result.linesApart) {
      const head = recordHead(result.exp, result.rev);
      if (record.startsWith(head)) {
        const { rest, lines: stored } = splitTranscript(result.value);
        this.remember(id, { head, rev: result.rev, exp: result.exp, data: recordData(rest), lines: stored });
        return { ...withLines(rest, stored), revision: result.rev };
      }
    }
    return { ...result.value, revision: result.rev ?? LEGACY_REVISION };
  }

  async put(conversation: Conversation): Promise<ConversationWrite> {
    return this.putAt(conversation, this.newRevision());
  }

  /** A revision no other write has: a random part per store, counted up per write. */
  newRevision(): string {
    return `${this.revisionTag}.${(++this.revision).toString(36)}`;
  }

  /**
   * `put` with the new revision chosen by the caller: the local spool gives its writes their
   * revisions while Redis is away, and writes them with those when it is back, so the writes
   * queued after the first still find the revision they were made on.
   */
  async putAt(conversation: Conversation, rev: string): Promise<ConversationWrite> {
    const { id } = conversation;
    const exp = this.options.clock.now() + this.options.ttlMs;
    const head = recordHead(exp, rev);
    const { rest, lines } = splitTranscript(conversation);
    const data = recordData(rest);
    const record = `${head}"data":${data}}`;
    const ttl = this.options.ttlMs;
    const mine = this.written.get(id);
    // Appending needs the stored transcript to be the one this process wrote, at the revision read.
    const change = mine && mine.rev === conversation.revision ? appendedLines(mine.lines, lines) : undefined;
    // Forgotten first: should the write fail half way, the next read fetches the record.
    this.forget(id);
    let written = false;
    if (mine && change) {
      const args = [
        mine.head,
        record,
        ttl,
        change.dropped,
        ...change.added.map((line) => JSON.stringify(line)),
      ];
      written = (await appendWrite.run(this.redis, this.keysOf(id), args)) === 1;
    }
    if (!written) {
      const expected = conversation.revision ?? '';
      const args = [expected, record, ttl, ...lines.map((line) => JSON.stringify(line))];
      if ((await fullWrite.run(this.redis, this.keysOf(id), args)) !== 1) return 'conflict';
    }
    this.remember(id, { head, rev, exp, data, lines });
    conversation.revision = rev;
    return 'written';
  }

  async delete(id: string): Promise<void> {
    this.forget(id);
    await this.redis.del(...this.keysOf(id));
  }

  private keysOf(id: string): [string, string] {
    return [this.keys.conversation(id), this.keys.conversationLines(id)];
  }

  private remember(id: string, write: Omit<CachedWrite, 'chars'>): void {
    if (this.cacheChars <= 0) return;
    this.forget(id);
    const chars = write.data.length + linesChars(write.lines);
    this.written.set(id, { ...write, chars });
    this.cachedChars += chars;
    // Map order is insertion order: the first entries are the least recently used.
    for (const [oldId, old] of this.written) {
      if (this.cachedChars <= this.cacheChars) break;
      this.written.delete(oldId);
      this.cachedChars -= old.chars;
    }
  }

  /** Moves a conversation to the most recently used end. */
  private touch(id: string, write: CachedWrite): void {
    this.written.delete(id);
    this.written.set(id, write);
  }

  private forget(id: string): void {
    const old = this.written.get(id);
    if (!old) return;
    this.written.delete(id);
    this.cachedChars -= old.chars;
  }
}

function recordHead(exp: number, rev: string): string {
  return `{"v":${RECORD_VERSION},"exp":${exp},"rev":"${rev}","lines":1,`;
}

/** The record's data: the conversation with an empty transcript (its lines are in the list). */
function recordData(rest: Omit<Conversation, 'transcript'>): string {
  // The revision lives in the head; the data keeps none, so it cannot go stale there.
  const { revision: _inHead, ...fields } = rest;
  return JSON.stringify({ ...fields, transcript: [] });
}
