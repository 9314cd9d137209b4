import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Conversation } from '../../core/conversation.ts';
import type { ConversationStore } from '../ports.ts';
import { RECORD_VERSION, readConversation } from '../record-schemas.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/** What this process wrote last for one conversation: the record's head and the data's JSON. */
interface CachedWrite {
  /** `{"v":1,"exp":<exp>,"rev":"<rev>",`: unique to that write, so Redis can confirm it is still there. */
  head: string;
  exp: number;
  data: string;
}

/**
 * The stored record, unless it still starts with the head this process wrote last (1 then: the
 * process's own copy is current). The head holds a revision unique to each write, so any other
 * writer, another process or an older version, makes the heads differ.
 * KEYS: conversation key. ARGV: expected head.
 */
const readIfChanged = new LuaScript(
  `if redis.call('GETRANGE', KEYS[1], 0, string.len(ARGV[1]) - 1) == ARGV[1] then return 1 end
   return redis.call('GET', KEYS[1])`,
  1,
);

/** Default size of the copies kept, in characters of JSON (about 3,000 conversations of 5,000 characters). */
export const DEFAULT_CONVERSATION_CACHE_CHARS = 16_000_000;

export interface RedisConversationOptions {
  clock: { now(): number };
  ttlMs: number;
  warn: (message: string) => void;
  /** Characters of conversation JSON kept in memory; 0 turns the copies off. */
  cacheChars?: number | undefined;
}

/**
 * Conversations in Redis, one JSON record per conversation. Records read from Redis are validated
 * (another process or an older version may have written them). A turn reads the conversation it
 * saved itself on the turn before in the usual case, so the process keeps the JSON it wrote last
 * (up to `cacheChars`, least recently used out first) and asks Redis only whether that write is
 * still the current one: Redis answers with a number instead of the record, and the turn skips
 * parsing and validating it again. Anything else (a write by another process, a restart, an
 * expired or deleted key) gets the record, read and validated as before.
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
    const key = this.keys.conversation(id);
    const mine = this.written.get(id);
    const answer = mine ? await readIfChanged.run(this.redis, [key], [mine.head]) : await this.redis.get(key);
    if (answer === 1 && mine) {
      if (mine.exp <= this.options.clock.now()) return undefined;
      this.touch(id, mine);
      return JSON.parse(mine.data) as Conversation;
    }
    if (mine && this.written.get(id) === mine) this.forget(id);
    if (typeof answer !== 'string') return undefined;
    const result = readConversation(answer);
    if (!result.ok) {
      this.options.warn(`conversation ${id} is unreadable and starts afresh: ${result.problem}`);
      return undefined;
    }
    if (result.exp !== undefined && result.exp <= this.options.clock.now()) return undefined;
    return result.value;
  }

  async put(conversation: Conversation): Promise<void> {
    const { id } = conversation;
    const exp = this.options.clock.now() + this.options.ttlMs;
    const head = `{"v":${RECORD_VERSION},"exp":${exp},"rev":"${this.revisionTag}.${(++this.revision).toString(36)}",`;
    const data = JSON.stringify(conversation);
    // Forgotten first: should the write fail half way, the next read fetches the record.
    this.forget(id);
    await this.redis.set(this.keys.conversation(id), `${head}"data":${data}}`, 'PX', this.options.ttlMs);
    if (this.cacheChars > 0) this.remember(id, { head, exp, data });
  }

  async delete(id: string): Promise<void> {
    this.forget(id);
    await this.redis.del(this.keys.conversation(id));
  }

  private remember(id: string, write: CachedWrite): void {
    this.forget(id);
    this.written.set(id, write);
    this.cachedChars += write.data.length;
    // Map order is insertion order: the first entries are the least recently used.
    for (const [oldId, old] of this.written) {
      if (this.cachedChars <= this.cacheChars) break;
      this.written.delete(oldId);
      this.cachedChars -= old.data.length;
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
    this.cachedChars -= old.data.length;
  }
}
