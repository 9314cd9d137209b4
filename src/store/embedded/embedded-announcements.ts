import type { Announcement, AnnouncementLink } from '../../core/announcement.ts';
import type { AnnouncementStore } from '../../core/ports.ts';
import { compareAnnouncements } from '../announcement-listing.ts';
import type { Mutation } from './mutation.ts';

/**
 * Maintenance windows and incidents of the embedded store, kept as JSON text (each read is a
 * fresh copy), and their customers' reports apart, one journal line each. Revisions are unique
 * per write: the opening's tag and a count.
 */
export function embeddedAnnouncements(
  announcements: ReadonlyMap<string, string>,
  links: ReadonlyMap<string, ReadonlyMap<string, string>>,
  commit: (m: Mutation) => void,
  revisionTag: string,
): AnnouncementStore {
  let revisions = 0;
  const read = (json: string, withLinks: boolean): Announcement => {
    const announcement = JSON.parse(json) as Announcement;
    const kept = withLinks ? links.get(announcement.id) : undefined;
    announcement.links = kept ? [...kept.values()].map((link) => JSON.parse(link) as AnnouncementLink) : [];
    return announcement;
  };
  return {
    async get(id, options) {
      const json = announcements.get(id);
      return json === undefined ? undefined : read(json, options?.links !== false);
    },
    async put(announcement) {
      const stored = announcements.get(announcement.id);
      const current = stored === undefined ? undefined : (JSON.parse(stored) as Announcement).revision;
      if (current !== announcement.revision) return 'conflict';
      const revision = `${revisionTag}.a${(++revisions).toString(36)}`;
      commit({ t: 'announcement.put', json: JSON.stringify({ ...announcement, links: [], revision }) });
      announcement.revision = revision;
      return 'written';
    },
    async list(options) {
      return [...announcements.values()]
        .map((json) => read(json, options?.links !== false))
        .sort(compareAnnouncements);
    },
    async addLink(id, link) {
      if (links.get(id)?.has(link.conversationId)) return 'present';
      commit({ t: 'announcement.link', id, json: JSON.stringify(link) });
      return 'added';
    },
    async setLinkTicket(id, conversationId, ticketId) {
      const json = links.get(id)?.get(conversationId);
      if (json === undefined) return;
      commit({ t: 'announcement.link', id, json: JSON.stringify({ ...JSON.parse(json), ticketId }) });
    },
    async removeLinks(id, conversationIds) {
      const kept = links.get(id);
      const gone = conversationIds.filter((c) => kept?.has(c));
      if (gone.length > 0) commit({ t: 'announcement.unlink', id, conversationIds: gone });
      return gone.length;
    },
  };
}
