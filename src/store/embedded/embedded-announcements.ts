import type { Announcement } from '../../core/announcement.ts';
import { compareAnnouncements } from '../announcement-listing.ts';
import type { AnnouncementStore } from '../ports.ts';
import type { Mutation } from './mutation.ts';

/**
 * Maintenance windows and incidents of the embedded store, kept as JSON text (each read is a
 * fresh copy). Revisions are unique per write: the opening's tag and a count.
 */
export function embeddedAnnouncements(
  announcements: ReadonlyMap<string, string>,
  commit: (m: Mutation) => void,
  revisionTag: string,
): AnnouncementStore {
  let revisions = 0;
  return {
    async get(id) {
      const json = announcements.get(id);
      return json === undefined ? undefined : (JSON.parse(json) as Announcement);
    },
    async put(announcement) {
      const stored = announcements.get(announcement.id);
      const current = stored === undefined ? undefined : (JSON.parse(stored) as Announcement).revision;
      if (current !== announcement.revision) return 'conflict';
      const revision = `${revisionTag}.a${(++revisions).toString(36)}`;
      commit({ t: 'announcement.put', json: JSON.stringify({ ...announcement, revision }) });
      announcement.revision = revision;
      return 'written';
    },
    async list() {
      return [...announcements.values()]
        .map((json) => JSON.parse(json) as Announcement)
        .sort(compareAnnouncements);
    },
  };
}
