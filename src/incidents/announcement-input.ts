import { z } from 'zod';
import { ANNOUNCEMENT_KINDS, type Announcement, isActive } from '../core/announcement.ts';

/** What the admin API takes and gives for maintenance windows and incidents (also the CLI's). */
const text = z.string().trim().min(1, 'say something').max(1000);
const bothLanguages = z.object({ de: text, en: text }).strict();
/** An instant with its offset or Z ("2026-12-07T14:00:00+01:00"), as epoch ms. */
const instant = z.iso
  .datetime({ offset: true, message: 'use an ISO date and time with offset, e.g. 2026-12-07T14:00:00+01:00' })
  .transform((value) => Date.parse(value));

export const DeclareBodySchema = z
  .object({
    kind: z.enum(ANNOUNCEMENT_KINDS),
    service: z.string().trim().min(1).max(60),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    status: bothLanguages,
  })
  .strict();

export const UpdateBodySchema = z.object({ text: bothLanguages, endsAt: instant.optional() }).strict();

export const EndBodySchema = z.object({ text: bothLanguages.optional() }).strict();

/** An announcement as the console and the command line show it. */
export function announcementView(announcement: Announcement, now: number) {
  const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());
  return {
    id: announcement.id,
    kind: announcement.kind,
    service: announcement.service,
    active: isActive(announcement, now),
    startsAt: iso(announcement.startsAt),
    endsAt: iso(announcement.endsAt),
    endedAt: iso(announcement.endedAt),
    status: announcement.status,
    updates: announcement.updates.map((u) => ({
      at: iso(u.at),
      by: u.by,
      text: u.text,
      endsAt: iso(u.endsAt),
    })),
    reports: announcement.links.length,
    links: announcement.links.map((l) => ({
      conversationId: l.conversationId,
      customerId: l.customerId,
      channel: l.ref.channel,
      language: l.language,
      at: iso(l.at),
      ticketId: l.ticketId ?? null,
    })),
    createdAt: iso(announcement.createdAt),
    createdBy: announcement.createdBy,
  };
}

export type AnnouncementView = ReturnType<typeof announcementView>;
