import type { Redis } from 'ioredis';
import {
  ERASED,
  type ErasedRecords,
  type ErasureRequest,
  laneBelongsTo,
  type PersonalDataStore,
} from '../personal-data-port.ts';
import type { ConversationStore } from '../ports.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Rewrites one capped list of JSON records, newest first, in place. Mode `erase` drops the records
 * of the conversations in ARGV[3..]; `expire` drops records from before the cutoff; `strip` keeps
 * older feedback without its texts and conversation. Kept records stay byte for byte as written.
 * KEYS: the list. ARGV: mode, cutoff, conversation ids... Returns how many records changed.
 */
const rewriteList = new LuaScript(
  `local mode, cutoff = ARGV[1], tonumber(ARGV[2])
   local ids = {}
   for i = 3, #ARGV do ids[ARGV[i]] = true end
   local kept, changed = {}, 0
   for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
     local item = cjson.decode(raw)
     local older = (tonumber(item.at) or 0) < cutoff
     if mode == 'erase' and ids[item.conversationId] then
       changed = changed + 1
     elseif mode == 'expire' and older then
       changed = changed + 1
     elseif mode == 'strip' and older and (item.conversationId ~= '${ERASED}' or item.reason ~= nil or item.question ~= nil) then
       item.reason = nil
       item.question = nil
       item.conversationId = '${ERASED}'
       table.insert(kept, cjson.encode(item))
       changed = changed + 1
     else
       table.insert(kept, raw)
     end
   end
   if changed > 0 then
     redis.call('DEL', KEYS[1])
     for i = 1, #kept, 1000 do redis.call('RPUSH', KEYS[1], unpack(kept, i, math.min(i + 999, #kept))) end
   end
   return changed`,
  1,
);

/**
 * Drops every waiting item of the given outbox lanes. KEYS: ready, ids, attempts, handed.
 * ARGV: lane prefix, lanes... Returns how many items went.
 */
const dropLanes = new LuaScript(
  `local dropped = 0
   for i = 2, #ARGV do
     local list = ARGV[1] .. ARGV[i]
     for _, raw in ipairs(redis.call('LRANGE', list, 0, -1)) do
       local id = cjson.decode(raw).id
       redis.call('SREM', KEYS[2], id)
       redis.call('HDEL', KEYS[3], id)
       redis.call('HDEL', KEYS[4], id)
       dropped = dropped + 1
     end
     redis.call('DEL', list)
     redis.call('ZREM', KEYS[1], ARGV[i])
   end
   return dropped`,
  4,
);

/** Glob characters of SCAN MATCH, escaped so an id matches only itself. */
const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** The PersonalDataStore on Redis (see redis-keys.ts for what lives where). */
export class RedisPersonalData implements PersonalDataStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly conversations: ConversationStore,
  ) {}

  async erase(request: ErasureRequest): Promise<ErasedRecords> {
    const ids = [...request.conversationIds];
    let conversations = 0;
    let webConversations = 0;
    let rememberedAnswers = 0;
    for (const id of ids) {
      conversations += await this.redis.exists(this.keys.conversation(id));
      await this.conversations.delete(id);
      const web = [this.keys.webAccess(id), this.keys.webEvents(id), this.keys.webSeq(id)];
      if ((await this.redis.del(...web)) > 0) webConversations++;
      rememberedAnswers += await this.deleteMatching(this.keys.response(`turn:${escapeGlob(id)}:*`));
      await this.deleteMatching(this.keys.dedupe(`turn:${escapeGlob(id)}:*`));
    }
    return {
      conversations,
      feedback: await this.rewrite(this.keys.feedback(), 'erase', 0, ids),
      unansweredQuestions: await this.dropUnanswered((q) => ids.includes(q.conversationId)),
      loggedQuestions: await this.rewrite(this.keys.questions(), 'erase', 0, ids),
      questionOutcomes: await this.rewrite(this.keys.outcomes(), 'erase', 0, ids),
      webConversations,
      rememberedAnswers,
      outboxItems: await this.dropOutboxLanes([...ids, ...request.ticketIds]),
    };
  }

  async expire(cutoff: number): Promise<ErasedRecords> {
    return {
      conversations: 0,
      feedback: await this.rewrite(this.keys.feedback(), 'strip', cutoff, []),
      unansweredQuestions: await this.dropUnanswered((q) => q.at < cutoff),
      loggedQuestions: await this.rewrite(this.keys.questions(), 'expire', cutoff, []),
      questionOutcomes: await this.rewrite(this.keys.outcomes(), 'expire', cutoff, []),
      webConversations: 0,
      rememberedAnswers: 0,
      outboxItems: 0,
    };
  }

  private async rewrite(key: string, mode: string, cutoff: number, ids: string[]): Promise<number> {
    return Number(await rewriteList.run(this.redis, [key], [mode, cutoff, ...ids]));
  }

  private async dropUnanswered(
    drop: (q: { conversationId: string; at: number }) => boolean,
  ): Promise<number> {
    const all = await this.redis.hgetall(this.keys.unansweredData());
    const gone = Object.entries(all)
      .filter(([, json]) => drop(JSON.parse(json) as { conversationId: string; at: number }))
      .map(([id]) => id);
    if (gone.length === 0) return 0;
    await this.redis
      .multi()
      .hdel(this.keys.unansweredData(), ...gone)
      .hdel(this.keys.unansweredStatus(), ...gone)
      .zrem(this.keys.unansweredOrder(), ...gone)
      .exec();
    return gone.length;
  }

  private async dropOutboxLanes(ids: string[]): Promise<number> {
    const lanes = (await this.redis.zrange(this.keys.outboxReady(), '0', '-1')).filter((lane) =>
      laneBelongsTo(lane, ids),
    );
    if (lanes.length === 0) return 0;
    const keys = [
      this.keys.outboxReady(),
      this.keys.outboxIds(),
      this.keys.outboxAttempts(),
      this.keys.outboxHanded(),
    ];
    return Number(await dropLanes.run(this.redis, keys, [this.keys.outboxLanePrefix(), ...lanes]));
  }

  private async deleteMatching(pattern: string): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) deleted += await this.redis.del(...found);
    } while (cursor !== '0');
    return deleted;
  }
}
