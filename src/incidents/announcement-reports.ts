import type { AnnouncementKind, AnnouncementLink } from '../core/announcement.ts';
import type { Stores } from '../store/ports.ts';

/** A customer's report as an announcement holds it (their conversation, customer id, time, ticket). */
export interface CustomerReport {
  announcementId: string;
  kind: AnnouncementKind;
  service: string;
  report: AnnouncementLink;
}

const isTheirs = (link: AnnouncementLink, ids: ReadonlySet<string>) =>
  ids.has(link.conversationId) || ids.has(link.customerId);

/** The reports of a customer (any of `ids`: their customer id and conversation ids), for an export. */
export async function reportsOf(
  stores: Pick<Stores, 'announcements'>,
  ids: ReadonlySet<string>,
): Promise<CustomerReport[]> {
  return (await stores.announcements.list()).flatMap((a) =>
    a.links
      .filter((link) => isTheirs(link, ids))
      .map((report) => ({ announcementId: a.id, kind: a.kind, service: a.service, report })),
  );
}

/** A read-modify-write gives up after this many conflicts with other writers. */
const MAX_ATTEMPTS = 12;

/**
 * Removes a customer's reports from every announcement (an erasure): revisioned writes, read
 * again on a conflict. The announcement keeps its count of other reports. Returns how many went.
 */
export async function eraseReports(
  stores: Pick<Stores, 'announcements'>,
  ids: ReadonlySet<string>,
): Promise<number> {
  let erased = 0;
  for (const listed of await stores.announcements.list()) {
    if (!listed.links.some((link) => isTheirs(link, ids))) continue;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const announcement = await stores.announcements.get(listed.id);
      if (!announcement) break;
      const kept = announcement.links.filter((link) => !isTheirs(link, ids));
      const gone = announcement.links.length - kept.length;
      announcement.links = kept;
      if (gone === 0 || (await stores.announcements.put(announcement)) === 'written') {
        erased += gone;
        break;
      }
    }
  }
  return erased;
}
