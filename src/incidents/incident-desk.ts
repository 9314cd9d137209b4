import { randomBytes } from 'node:crypto';
import {
  type ActiveAnnouncements,
  type Announcement,
  type AnnouncementKind,
  type AnnouncementLink,
  isActive,
  type LocalizedText,
} from '../core/announcement.ts';
import { announcementWording } from '../core/announcement-messages.ts';
import type { Clock } from '../core/clock.ts';
import { ConversationLocks } from '../core/conversation-locks.ts';
import { customerLanguage } from '../core/customer-language.ts';
import type { ReplySink } from '../core/delivery.ts';
import { StoreError } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { Stores } from '../core/ports.ts';
import type { ServiceCatalogue } from '../handoff/service-catalogue.ts';

export interface DeclareAnnouncement {
  kind: AnnouncementKind;
  service: string;
  /** Default: now. */
  startsAt?: number | undefined;
  endsAt?: number | undefined;
  status: LocalizedText;
}

export interface UpdateAnnouncement {
  text: LocalizedText;
  /** A new expected end. */
  endsAt?: number | undefined;
}

/** An admin's change that could not be made, with what to tell them (the API's 4xx). */
export type DeskOutcome =
  | { ok: true; announcement: Announcement }
  | { ok: false; status: 400 | 404 | 409; code: string; message: string };

/** A read-modify-write gives up after this many conflicts in a row (someone keeps writing). */
const MAX_ATTEMPTS = 12;
/** Up to this long (random) before reading again after a conflict with another process. */
const MAX_BACKOFF_MS = 25;
/** How long the list of announcements is reused for telling customers (see recentList). */
const LIST_CACHE_MS = 2_000;

export interface IncidentDeskDeps {
  stores: Pick<Stores, 'announcements' | 'conversations'>;
  services: ServiceCatalogue;
  /** Where the end is told to linked customers: the outbox (exactly once per customer and end). */
  delivery: ReplySink;
  clock: Clock;
  /** The support calendar's zone, in which customers are told end times. */
  timeZone: string;
  log?: Logger | undefined;
}

/**
 * Maintenance windows and incidents: admins declare, update and end them (console, admin API,
 * command line); the engine asks which are active for a customer's message and links reports to
 * them. Every change is a revisioned write, read again on a conflict, so two processes (or an
 * admin and a customer's report) never undo each other.
 */
export class IncidentDesk implements ActiveAnnouncements {
  readonly timeZone: string;
  private readonly log: Logger;
  private listed: { at: number; list: Promise<Announcement[]> } | undefined;
  /** One change at a time per announcement in this process: reports come in floods during an outage. */
  private readonly locks = new ConversationLocks();

  constructor(private readonly deps: IncidentDeskDeps) {
    this.timeZone = deps.timeZone;
    this.log = deps.log ?? silentLogger;
  }

  list(): Promise<Announcement[]> {
    return this.deps.stores.announcements.list();
  }

  get(id: string): Promise<Announcement | undefined> {
    return this.deps.stores.announcements.get(id);
  }

  services(): { id: string; name: { de: string; en: string } }[] {
    return this.deps.services.list();
  }

  serviceName(service: string, language: Language): string {
    return this.deps.services.name(service, language);
  }

  async declare(input: DeclareAnnouncement, by: string): Promise<DeskOutcome> {
    const now = this.deps.clock.now();
    const startsAt = input.startsAt ?? now;
    const problem = this.checkTimes(input.kind, input.service, startsAt, input.endsAt);
    if (problem) return problem;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const announcement: Announcement = {
        id: `${input.kind === 'incident' ? 'INC' : 'MNT'}-${randomBytes(3).toString('hex').toUpperCase()}`,
        kind: input.kind,
        service: input.service,
        startsAt,
        ...(input.endsAt === undefined ? {} : { endsAt: input.endsAt }),
        status: input.status,
        updates: [],
        links: [],
        createdAt: now,
        createdBy: by,
      };
      // A conflict here is an id drawn twice: draw again.
      if ((await this.deps.stores.announcements.put(announcement)) === 'written') {
        this.listed = undefined;
        return { ok: true, announcement };
      }
    }
    throw new StoreError('announcement_id_taken', 'No free announcement id was found.');
  }

  async update(id: string, input: UpdateAnnouncement, by: string): Promise<DeskOutcome> {
    return this.change(id, (announcement) => {
      if (announcement.endedAt !== undefined) return ended(announcement);
      if (input.endsAt !== undefined) {
        const problem = this.checkTimes(
          announcement.kind,
          announcement.service,
          announcement.startsAt,
          input.endsAt,
        );
        if (problem) return problem;
        announcement.endsAt = input.endsAt;
      }
      announcement.updates.push({
        at: this.deps.clock.now(),
        by,
        text: input.text,
        ...(input.endsAt === undefined ? {} : { endsAt: input.endsAt }),
      });
      return undefined;
    });
  }

  /**
   * Ends the announcement and tells everyone linked, in their language, on their channel. Ending
   * it again tells nobody twice: the notices have fixed outbox ids, so a repeat (another process,
   * a retry after a crash between the write and the notices) only adds what is missing.
   */
  async end(id: string, by: string, endText?: LocalizedText, at?: number): Promise<DeskOutcome> {
    const outcome = await this.change(id, (announcement) => {
      if (announcement.endedAt !== undefined) return undefined;
      announcement.endedAt = at ?? this.deps.clock.now();
      if (endText) announcement.endText = endText;
      announcement.updates.push({ at: announcement.endedAt, by, text: endText ?? announcement.status });
      return undefined;
    });
    if (outcome.ok) await this.tellEnd(outcome.announcement);
    return outcome;
  }

  /**
   * Ends the maintenance windows whose end has come, as of their end, so their linked customers
   * hear it is over without an admin. Every process may run it: the end is written once, and its
   * notices have fixed keys. Returns how many it ended.
   */
  async endDue(now: number): Promise<number> {
    const due = (await this.deps.stores.announcements.list({ links: false })).filter(
      (a) => a.kind === 'maintenance' && a.endedAt === undefined && a.endsAt !== undefined && a.endsAt <= now,
    );
    for (const announcement of due)
      await this.end(announcement.id, 'schedule', undefined, announcement.endsAt);
    return due.length;
  }

  async matching(text: string, now: number): Promise<Announcement[]> {
    const services = this.deps.services.servicesIn(text);
    if (services.length === 0) return [];
    const all = await this.recentList();
    return all.filter((a) => services.includes(a.service) && isActive(a, now));
  }

  /**
   * The list as read at most LIST_CACHE_MS ago: during an outage many customers write about one
   * service at once, and each would read every announcement ever made. Changes made through this
   * desk show at once; another process's within that time.
   */
  private async recentList(): Promise<Announcement[]> {
    const now = Date.now();
    if (!this.listed || now - this.listed.at > LIST_CACHE_MS) {
      this.listed = { at: now, list: this.deps.stores.announcements.list({ links: false }) };
      // A failed read is not kept: the next message reads again.
      this.listed.list.catch(() => {
        this.listed = undefined;
      });
    }
    return this.listed.list;
  }

  /** Without its reports: a customer's turn needs the announcement, not the thousands who reported it. */
  async active(id: string, now: number): Promise<Announcement | undefined> {
    const announcement = await this.deps.stores.announcements.get(id, { links: false });
    return announcement && isActive(announcement, now) ? announcement : undefined;
  }

  /**
   * Records a customer's report: one small write, however many came before. An announcement
   * ended between the check and the write may have told its end without this customer, so then
   * they are told here (the notice's outbox id makes a second one nothing).
   */
  async link(id: string, link: AnnouncementLink): Promise<boolean> {
    const { announcements } = this.deps.stores;
    try {
      const announcement = await announcements.get(id, { links: false });
      if (!announcement || !isActive(announcement, link.at)) return false;
      if ((await announcements.addLink(id, link)) === 'added') {
        const after = await announcements.get(id, { links: false });
        if (after?.endedAt !== undefined) await this.tellEndTo(after, link);
      }
      return true;
    } catch (error) {
      // Not recorded (the shared store is away, or too busy): the customer is served the usual
      // way instead, which beats an apology.
      this.log.warn('report not linked to an announcement', {
        announcementId: id,
        conversationId: link.conversationId,
        error: errorMessage(error),
      });
      return false;
    }
  }

  /** Notes the ticket a linked customer insisted on (the ticket names the announcement too). */
  async attachTicket(id: string, conversationId: string, ticketId: string): Promise<void> {
    await this.deps.stores.announcements.setLinkTicket(id, conversationId, ticketId);
  }

  private async tellEnd(announcement: Announcement): Promise<void> {
    for (const link of announcement.links) await this.tellEndTo(announcement, link);
  }

  private async tellEndTo(announcement: Announcement, link: AnnouncementLink): Promise<void> {
    const conversation = await this.deps.stores.conversations.get(link.conversationId);
    // Where and in what language they wrote last; the link's own when the conversation is gone.
    const ref = conversation?.ref ?? link.ref;
    const language = conversation ? customerLanguage(conversation) : link.language;
    const text = announcementWording(language).ended(
      announcement,
      this.serviceName(announcement.service, language),
    );
    try {
      await this.deps.delivery.deliver(
        ref,
        [{ type: 'notice', text, actions: [], language }],
        `announcement-ended:${announcement.id}:${link.conversationId}`,
      );
    } catch (error) {
      // Stored in the outbox before a failed first try; the outbox retries. Others still go.
      this.log.warn('end of an announcement not told at once', {
        announcementId: announcement.id,
        conversationId: link.conversationId,
        error: errorMessage(error),
      });
    }
  }

  private checkTimes(
    kind: AnnouncementKind,
    service: string,
    startsAt: number,
    endsAt: number | undefined,
  ): DeskOutcome | undefined {
    if (!this.deps.services.has(service)) {
      const known = this.deps.services.ids();
      return {
        ok: false,
        status: 400,
        code: 'unknown_service',
        message: `no service "${service}" in the customers config${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`,
      };
    }
    if (kind === 'maintenance' && endsAt === undefined) {
      return { ok: false, status: 400, code: 'end_required', message: 'a maintenance window needs an end' };
    }
    if (endsAt !== undefined && endsAt <= startsAt) {
      return { ok: false, status: 400, code: 'end_before_start', message: 'the end must be after the start' };
    }
    return undefined;
  }

  /** Read, change, write over the revision read; again on a conflict. */
  private change(
    id: string,
    apply: (announcement: Announcement) => DeskOutcome | undefined,
  ): Promise<DeskOutcome> {
    return this.locks.run(`announcement:${id}`, () => this.changeOnce(id, apply));
  }

  private async changeOnce(
    id: string,
    apply: (announcement: Announcement) => DeskOutcome | undefined,
  ): Promise<DeskOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // Another process wrote meanwhile: wait a moment, so the two do not collide again at once.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_BACKOFF_MS));
      const announcement = await this.deps.stores.announcements.get(id);
      if (!announcement) {
        return { ok: false, status: 404, code: 'unknown_announcement', message: `no announcement "${id}"` };
      }
      const refused = apply(announcement);
      if (refused) return refused;
      if ((await this.deps.stores.announcements.put(announcement)) === 'written') {
        this.listed = undefined;
        return { ok: true, announcement };
      }
    }
    throw new StoreError('announcement_conflict', `Announcement ${id} kept changing; try again.`);
  }
}

function ended(announcement: Announcement): DeskOutcome {
  return {
    ok: false,
    status: 409,
    code: 'announcement_over',
    message: `announcement "${announcement.id}" is over`,
  };
}
