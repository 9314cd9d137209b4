import type { Language } from './language.ts';
import type { ConversationRef } from './turn.ts';

/**
 * Announcements: a planned maintenance window or an incident (an outage) of one service. While
 * one is active, customers asking about its service are told at once, and their reports are
 * linked to it instead of becoming a ticket each; when it ends, everyone linked is told.
 */
export const ANNOUNCEMENT_KINDS = ['maintenance', 'incident'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

export interface LocalizedText {
  de: string;
  en: string;
}

/** A later word on the announcement ("the cause is found, back by 14:00"). */
export interface AnnouncementUpdate {
  at: number;
  by: string;
  text: LocalizedText;
  /** The expected end as of this update, when it moved it. */
  endsAt?: number | undefined;
}

/** A customer's report counted against the announcement (instead of a ticket of its own). */
export interface AnnouncementLink {
  conversationId: string;
  customerId: string;
  /** Where the end is told: the conversation's address when they reported. */
  ref: ConversationRef;
  language: Language;
  at: number;
  /** The ticket opened anyway, when the customer insisted. */
  ticketId?: string | undefined;
}

export interface Announcement {
  id: string;
  kind: AnnouncementKind;
  /** A service of config/customers.yaml's `services`. */
  service: string;
  startsAt: number;
  /** The (expected) end; an incident may leave it open. A maintenance window always has one. */
  endsAt?: number | undefined;
  /** What customers are told, in both languages. */
  status: LocalizedText;
  /** Oldest first. */
  updates: AnnouncementUpdate[];
  /** When an admin ended it (resolved); set once. */
  endedAt?: number | undefined;
  /** What customers are told at the end, if not the default. */
  endText?: LocalizedText | undefined;
  links: AnnouncementLink[];
  createdAt: number;
  createdBy: string;
  /**
   * The store's mark of the version this copy was read at; a write goes through only while the
   * stored announcement is still at it (absent: new).
   */
  revision?: string | undefined;
}

/** Announced and not over: started, not ended, and (maintenance) not past its end. */
export function isActive(announcement: Announcement, now: number): boolean {
  if (announcement.endedAt !== undefined || announcement.startsAt > now) return false;
  // An incident lasts until it is ended; its end is only what is expected.
  if (announcement.kind === 'incident') return true;
  return announcement.endsAt === undefined || announcement.endsAt > now;
}

/** The latest status text: the last update's, or the declared one. */
export function currentStatus(announcement: Announcement, language: Language): string {
  const last = announcement.updates.at(-1);
  return (last?.text ?? announcement.status)[language];
}

/** The latest expected end. */
export function expectedEnd(announcement: Announcement): number | undefined {
  return announcement.endsAt;
}

/**
 * Injected into the engine: the active announcements a customer's message is about, and where
 * their report is recorded. Implemented by src/incidents/incident-desk.ts.
 */
export interface ActiveAnnouncements {
  /** Active announcements of the services the text names, most recently started first. */
  matching(text: string, now: number): Promise<Announcement[]>;
  /** One announcement, when it is still active. */
  active(id: string, now: number): Promise<Announcement | undefined>;
  /** Records the report; false when the announcement is no longer active. Once per conversation. */
  link(id: string, link: AnnouncementLink): Promise<boolean>;
  /** The service's name for customers. */
  serviceName(service: string, language: Language): string;
  /** The time zone end times are told in. */
  readonly timeZone: string;
}
