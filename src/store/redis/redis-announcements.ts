import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Announcement, AnnouncementLink } from '../../core/announcement.ts';
import type { AnnouncementStore } from '../../core/ports.ts';
import { compareAnnouncements } from '../announcement-listing.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Writes an announcement only over the revision it was read at ('' : only when none is stored).
 * Reports the stored one still carries (written before they were kept apart) move to its reports
 * hash first. KEYS: the announcements hash, its reports hash. ARGV: id, revision read, JSON
 * (carrying its new revision, without reports).
 */
const putIfUnchanged = new LuaScript(
  `local old = redis.call('HGET', KEYS[1], ARGV[1])
   if old then
     local stored = cjson.decode(old)
     if stored.revision ~= ARGV[2] then return 0 end
     if type(stored.links) == 'table' then
       for _, link in ipairs(stored.links) do
         redis.call('HSETNX', KEYS[2], link.conversationId, cjson.encode(link))
       end
     end
   elseif ARGV[2] ~= '' then return 0 end
   redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
   return 1`,
  2,
);

/** Notes a ticket on a report, if the report is there. KEYS: reports hash. ARGV: conversation id, ticket id. */
const setTicket = new LuaScript(
  `local json = redis.call('HGET', KEYS[1], ARGV[1])
   if not json then return 0 end
   local link = cjson.decode(json)
   link.ticketId = ARGV[2]
   redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(link))
   return 1`,
  1,
);

/** A conflict-free read-modify-write gives up after this many tries (see moveOldLinks). */
const MAX_ATTEMPTS = 12;

/**
 * Maintenance windows and incidents in one hash (few, and people change them); each one's
 * customers' reports in a hash of their own (thousands in an outage, one HSETNX each).
 */
export class RedisAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(id: string, options?: { links?: boolean | undefined }): Promise<Announcement | undefined> {
    if (options?.links === false) {
      const json = await this.redis.hget(this.keys.announcements(), id);
      return json === null ? undefined : withLinks(JSON.parse(json) as Announcement, {});
    }
    const [json, links] = await Promise.all([
      this.redis.hget(this.keys.announcements(), id),
      this.redis.hgetall(this.keys.announcementLinks(id)),
    ]);
    return json === null ? undefined : withLinks(JSON.parse(json) as Announcement, links);
  }

  async put(announcement: Announcement): Promise<'written' | 'conflict'> {
    const revision = randomUUID();
    const written = await putIfUnchanged.run(
      this.redis,
      [this.keys.announcements(), this.keys.announcementLinks(announcement.id)],
      [
        announcement.id,
        announcement.revision ?? '',
        JSON.stringify({ ...announcement, links: [], revision }),
      ],
    );
    if (written !== 1) return 'conflict';
    announcement.revision = revision;
    return 'written';
  }

  async list(options?: { links?: boolean | undefined }): Promise<Announcement[]> {
    const all = (await this.redis.hvals(this.keys.announcements())).map(
      (json) => JSON.parse(json) as Announcement,
    );
    const links =
      options?.links === false
        ? all.map(() => ({}))
        : await Promise.all(all.map((a) => this.redis.hgetall(this.keys.announcementLinks(a.id))));
    return all.map((a, i) => withLinks(a, links[i] ?? {})).sort(compareAnnouncements);
  }

  async addLink(id: string, link: AnnouncementLink): Promise<'added' | 'present'> {
    const added = await this.redis.hsetnx(
      this.keys.announcementLinks(id),
      link.conversationId,
      JSON.stringify(link),
    );
    return added === 1 ? 'added' : 'present';
  }

  async setLinkTicket(id: string, conversationId: string, ticketId: string): Promise<void> {
    await this.moveOldLinks(id);
    await setTicket.run(this.redis, [this.keys.announcementLinks(id)], [conversationId, ticketId]);
  }

  async removeLinks(id: string, conversationIds: readonly string[]): Promise<number> {
    if (conversationIds.length === 0) return 0;
    await this.moveOldLinks(id);
    return this.redis.hdel(this.keys.announcementLinks(id), ...conversationIds);
  }

  /** Reports an announcement still carries from before they were kept apart go to their hash. */
  private async moveOldLinks(id: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.keys.announcements(), id);
      if (json === null) return;
      const stored = JSON.parse(json) as Announcement;
      if (!stored.links || stored.links.length === 0) return;
      if ((await this.put(stored)) === 'written') return;
    }
  }
}

/** The announcement with its reports: those of its hash, and any it still carries itself. */
function withLinks(announcement: Announcement, kept: Record<string, string>): Announcement {
  const links = new Map<string, AnnouncementLink>();
  for (const link of announcement.links ?? []) links.set(link.conversationId, link);
  for (const [conversationId, json] of Object.entries(kept)) links.set(conversationId, JSON.parse(json));
  // A hash keeps no order: reports are listed as they came, as the embedded store lists them.
  announcement.links = [...links.values()].sort((a, b) => a.at - b.at);
  return announcement;
}
