import { type Announcement, currentStatus } from './announcement.ts';
import type { Language } from './language.ts';

/** What customers are told about maintenance windows and incidents, in their language. */
export interface AnnouncementWording {
  /** "Planned maintenance of E-Mail until 7 Dec 2026, 14:00: <status>" */
  told(announcement: Announcement, service: string, timeZone: string): string;
  /** Their report is counted against it: no ticket needed. */
  linked: string;
  /** They reported it already. */
  alreadyLinked: string;
  /** The button (and the words) to open a ticket anyway. */
  ticketAnyway: string;
  /** Before the intake of a ticket opened anyway. */
  ticketAnywayStarted: string;
  /** Told to everyone linked when it ends. */
  ended(announcement: Announcement, service: string): string;
}

function when(at: number, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(at);
}

const de: AnnouncementWording = {
  told(a, service, timeZone) {
    const end = a.endsAt === undefined ? '' : ` Voraussichtliches Ende: ${when(a.endsAt, 'de', timeZone)}.`;
    const what = a.kind === 'maintenance' ? `Geplante Wartung: ${service}` : `Aktuelle Störung: ${service}`;
    return `${what}. ${currentStatus(a, 'de')}${end}`;
  },
  linked:
    'Ihre Meldung ist bei dieser Störung vermerkt – ein eigenes Ticket ist nicht nötig. Wir sagen Ihnen hier Bescheid, sobald sie behoben ist.',
  alreadyLinked: 'Ihre Meldung ist bereits vermerkt; wir sagen Ihnen Bescheid, sobald es wieder läuft.',
  ticketAnyway: 'Trotzdem Ticket eröffnen',
  ticketAnywayStarted: 'Gern, ich eröffne ein Ticket; es wird mit der Störung verknüpft.',
  ended(a, service) {
    const what =
      a.kind === 'maintenance'
        ? `Die Wartung von ${service} ist beendet.`
        : `Die Störung von ${service} ist behoben.`;
    return a.endText ? `${what} ${a.endText.de}` : what;
  },
};

const en: AnnouncementWording = {
  told(a, service, timeZone) {
    const end = a.endsAt === undefined ? '' : ` Expected end: ${when(a.endsAt, 'en', timeZone)}.`;
    const what =
      a.kind === 'maintenance' ? `Planned maintenance: ${service}` : `Current incident: ${service}`;
    return `${what}. ${currentStatus(a, 'en')}${end}`;
  },
  linked:
    "Your report is recorded with this incident, so you don't need a ticket of your own. We'll tell you here as soon as it is resolved.",
  alreadyLinked: "Your report is recorded already; we'll tell you as soon as it works again.",
  ticketAnyway: 'I still need a ticket',
  ticketAnywayStarted: "Sure, I'll open a ticket; it will be linked to the incident.",
  ended(a, service) {
    const what =
      a.kind === 'maintenance'
        ? `The maintenance of ${service} is over.`
        : `The incident with ${service} is resolved.`;
    return a.endText ? `${what} ${a.endText.en}` : what;
  },
};

export function announcementWording(language: Language): AnnouncementWording {
  return language === 'de' ? de : en;
}

/** The message reports a fault ("geht nicht", "not working"), rather than asking how to do something. */
const PROBLEM = [
  // "geht nicht", "funktioniert seit heute früh nicht mehr": a verb, a few words, "nicht".
  /\b(geht|gehen|funktionier\w*|klappt|laeuft|läuft|startet|laedt|lädt|oeffnet|öffnet|kommt|kommen|komme|kann|koennen|können|verbinde\w*|reagiert|antwortet|sendet|synchronisiert|meldet)\b(\s+\S+){0,4}\s+(nicht|keine?)\b/i,
  /\bnicht (mehr|richtig)\b/i,
  /\b(kaputt|ausgefallen|ausfall|stoerung|störung|gestoert|gestört|fehler\w*|fehlermeldung|nicht erreichbar|haengt|hängt|langsam|down)\b/i,
  /\b(not|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot)\b(\s+\S+){0,3}\s*(work\w*|load\w*|open\w*|connect\w*|send\w*|receiv\w*|arriv\w*|start\w*|log\w*|sync\w*|access\w*)/i,
  /\b(broken|outage|error\w*|unable|fail\w*|no longer|unreachable|slow|stopped|down)\b/i,
];

export function reportsProblem(text: string): boolean {
  return PROBLEM.some((pattern) => pattern.test(text));
}

/** "trotzdem Ticket", "ich brauche trotzdem ein Ticket", "I still need a ticket", "ticket anyway". */
const INSISTS =
  /(\btrotzdem\b.*\bticket\b|\bticket\b.*\btrotzdem\b|\bstill\b.*\bticket\b|\bticket\b.*\banyway\b|\banyway\b.*\bticket\b)/i;

export function insistsOnTicket(text: string): boolean {
  return INSISTS.test(text);
}
