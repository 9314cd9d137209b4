import type { AnnouncementKind, AnnouncementLink } from '../core/announcement.ts';
import type { Stores } from '../core/ports.ts';

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

/**
 * Removes a customer's reports from every announcement (an erasure). The announcement keeps its
 * count of other reports. Returns how many went.
 */
export async function eraseReports(
  stores: Pick<Stores, 'announcements'>,
  ids: ReadonlySet<string>,
): Promise<number> {
  let erased = 0;
  for (const listed of await stores.announcements.list()) {
    const theirs = listed.links.filter((link) => isTheirs(link, ids)).map((link) => link.conversationId);
    if (theirs.length > 0) erased += await stores.announcements.removeLinks(listed.id, theirs);
  }
  return erased;
}
