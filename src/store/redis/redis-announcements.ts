import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Announcement } from '../../core/announcement.ts';
import { compareAnnouncements } from '../announcement-listing.ts';
import type { AnnouncementStore } from '../ports.ts';
import { LuaScript } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';

/**
 * Writes an announcement only over the revision it was read at ('' : only when none is stored).
 * KEYS: the announcements hash. ARGV: id, revision read, JSON (carrying its new revision).
 */
const putIfUnchanged = new LuaScript(
  `local old = redis.call('HGET', KEYS[1], ARGV[1])
   if old then
     if cjson.decode(old).revision ~= ARGV[2] then return 0 end
   elseif ARGV[2] ~= '' then return 0 end
   redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
   return 1`,
  1,
);

/** Maintenance windows and incidents in one hash (few, and people change them). */
export class RedisAnnouncementStore implements AnnouncementStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(id: string): Promise<Announcement | undefined> {
    const json = await this.redis.hget(this.keys.announcements(), id);
    return json === null ? undefined : (JSON.parse(json) as Announcement);
  }

  async put(announcement: Announcement): Promise<'written' | 'conflict'> {
    const revision = randomUUID();
    const written = await putIfUnchanged.run(
      this.redis,
      [this.keys.announcements()],
      [announcement.id, announcement.revision ?? '', JSON.stringify({ ...announcement, revision })],
    );
    if (written !== 1) return 'conflict';
    announcement.revision = revision;
    return 'written';
  }

  async list(): Promise<Announcement[]> {
    const all = await this.redis.hvals(this.keys.announcements());
    return all.map((json) => JSON.parse(json) as Announcement).sort(compareAnnouncements);
  }
}
