import type { Announcement } from '../core/announcement.ts';

/** Latest start first; ties by id, so every store lists alike. */
export function compareAnnouncements(a: Announcement, b: Announcement): number {
  return b.startsAt - a.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
