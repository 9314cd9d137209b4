import type { Language } from '../core/language.ts';
import type { Ticket } from '../core/ticket.ts';

/** A text in both languages. */
type Localized = Record<Language, string>;

/** When the team is away: when it is back, what the SLA promises, and the emergency route. */
export interface OutsideHours {
  opensAt: number;
  reactionDueAt: number;
  emergency?: Localized | undefined;
}

/** "Montag, 7. Dezember, 08:00" / "Monday 7 December, 08:00" in the support calendar's zone. */
export function formatMoment(at: number, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** Told with the ticket when nobody is working now (instead of a wait in minutes that is not true). */
export function outsideHoursText(outside: OutsideHours, language: Language, timeZone: string): string {
  const back = formatMoment(outside.opensAt, language, timeZone);
  const due = formatMoment(outside.reactionDueAt, language, timeZone);
  const emergency = outside.emergency?.[language];
  const text =
    language === 'de'
      ? `Unser Team ist gerade nicht im Dienst und ab ${back} wieder da. Laut SLA meldet sich jemand bis spätestens ${due}.`
      : `Our team is off duty right now and back on ${back}. Under your SLA someone reacts by ${due} at the latest.`;
  return emergency ? `${text} ${emergency}` : text;
}

/** The due times of an open ticket, for "what is the status?". */
export function dueTimesText(
  ticket: Pick<Ticket, 'reactionDueAt' | 'resolutionDueAt' | 'firstReactionAt' | 'slaPausedAt'>,
  language: Language,
  timeZone: string,
): string {
  const reaction = formatMoment(ticket.reactionDueAt, language, timeZone);
  const resolution = formatMoment(ticket.resolutionDueAt, language, timeZone);
  if (ticket.slaPausedAt !== undefined) {
    return language === 'de'
      ? 'Das Ticket wartet auf Ihre Antwort; die SLA-Uhr steht so lange still.'
      : 'The ticket waits for your answer; the SLA clock stands still until then.';
  }
  if (language === 'de') {
    return ticket.firstReactionAt === undefined
      ? `Reaktion bis ${reaction}, Lösung bis ${resolution}.`
      : `Lösung bis ${resolution}.`;
  }
  return ticket.firstReactionAt === undefined
    ? `Reaction due by ${reaction}, resolution by ${resolution}.`
    : `Resolution due by ${resolution}.`;
}
