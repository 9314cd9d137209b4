import type { Language } from './language.ts';
import { markdownLiteral } from './markdown-literal.ts';
import type { ShownStatus } from './ticket.ts';

/** Formats a wait in minutes for people ("about 40 minutes", "etwa 1 Std. 20 Min."). */
function formatWait(minutes: number, language: Language): string {
  const m = Math.max(1, Math.round(minutes));
  if (language === 'de') {
    if (m < 60) return `etwa ${m} ${m === 1 ? 'Minute' : 'Minuten'}`;
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? `etwa ${h} ${h === 1 ? 'Stunde' : 'Stunden'}` : `etwa ${h} Std. ${rest} Min.`;
  }
  if (m < 60) return `about ${m} ${m === 1 ? 'minute' : 'minutes'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `about ${h} ${h === 1 ? 'hour' : 'hours'}` : `about ${h} h ${rest} min`;
}

/** "A, B or C" / "A, B oder C". */
function listOf(items: string[], or: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${or} ${items.at(-1)}`;
}

const de = {
  // Button labels
  talkToPerson: 'Mit einer Person sprechen',
  helpfulYes: 'Ja, hat geholfen',
  helpfulNo: 'Nein',
  noneOfThese: 'Nichts davon',
  skip: 'Überspringen',
  cancel: 'Abbrechen',
  cancelTicket: 'Ticket zurückziehen',
  consentAccept: 'Ja, kostenpflichtig beauftragen',
  consentDecline: 'Nein, danke',
  confirmSummary: 'Ja, passt so',
  noThanks: 'Nein, danke',
  rating: (n: number) => `${n} ${'★'.repeat(n)}`,

  // Small talk and intents
  greeting:
    'Hallo! Ich bin der Support-Assistent. Stellen Sie mir Ihre Frage – zum Beispiel zu Passwort, VPN, E-Mail oder Drucker. Wenn ich nicht weiterweiß, übergebe ich an unser Support-Team.',
  thanks: 'Gern geschehen! Melden Sie sich jederzeit wieder.',
  goodbye: 'Auf Wiedersehen und einen schönen Tag!',
  capabilities:
    'Ich beantworte häufige IT-Fragen (Passwort, Konten, VPN, WLAN, E-Mail, Drucker, Software, Verträge und SLA), nehme Probleme auf, die ich nicht lösen kann, und übergebe sie mit Ticket an den Second-Level-Support. Den Stand eines Tickets nenne ich Ihnen auch, z. B. „Wie ist der Stand von SUP-1042?“.',
  nothingToCancel: 'Es läuft gerade nichts, das ich abbrechen könnte. Wobei kann ich helfen?',
  okay: 'Alles klar. Wobei kann ich sonst helfen?',
  outOfScope:
    'Dabei kann ich leider nicht helfen – ich beantworte Fragen zum IT-Support, z. B. zu Passwort, VPN, E-Mail oder Drucker. Was ist Ihr IT-Anliegen?',
  rephrase:
    'Das habe ich leider nicht verstanden. Können Sie es anders formulieren, z. B. mit dem betroffenen System und dem, was nicht funktioniert?',
  didYouMean: (titles: string[]) =>
    `Meinten Sie ${listOf(
      titles.map((t) => `„${t}“`),
      'oder',
    )} – oder etwas anderes?`,
  choiceGone: 'Diesen Eintrag finde ich nicht mehr. Beschreiben Sie Ihr Anliegen bitte noch einmal.',
  staleAction: 'Diese Auswahl ist nicht mehr aktuell. Wobei kann ich helfen?',
  apology: 'Entschuldigung, da ist bei mir etwas schiefgegangen. Möchten Sie mit einer Person sprechen?',
  tooLong: 'Ihre Nachricht war sehr lang; ich habe nur den Anfang gelesen.',
  emptyMessage: 'Ihre Nachricht kam leer bei mir an. Schreiben Sie mir bitte Ihre Frage in Worten.',
  tooManyMessages:
    'Das geht mir gerade etwas zu schnell. Bitte warten Sie einen Moment und schreiben Sie mir dann noch einmal – ich bin gleich wieder für Sie da.',

  // Feedback
  feedbackThanks: 'Danke für Ihre Rückmeldung – schön, dass es geholfen hat!',
  feedbackAskReason:
    'Schade. Was hat gefehlt oder war unklar? (Optional – Sie können auch direkt mit einer Person sprechen.)',
  feedbackOfferPerson:
    'Danke, das hilft uns, die Antwort zu verbessern. Soll ich Ihr Anliegen an eine Person übergeben?',

  // Intake
  intakeStart:
    'Ich nehme Ihr Anliegen für unser Support-Team auf und stelle dazu ein paar kurze Fragen. Mit „abbrechen“ können Sie jederzeit aufhören.',
  summaryProposal: (text: string) =>
    `Ich würde als Kurzbeschreibung notieren: „${markdownLiteral(text)}“. Passt das? Sonst schreiben Sie mir einfach eine bessere Beschreibung.`,
  askSkippable: '(Optional – Sie können „überspringen“ schreiben.)',
  errorTooShort: (min: number) => `Das ist etwas knapp – bitte mindestens ${min} Zeichen.`,
  errorTooLong: (max: number) => `Das ist zu lang – bitte höchstens ${max} Zeichen.`,
  errorChoice: (options: string) => `Bitte wählen Sie eine der Möglichkeiten: ${options}.`,
  errorContact: 'Das sieht weder nach einer E-Mail-Adresse noch nach einer Telefonnummer aus.',
  errorRequired: 'Diese Angabe brauchen wir, sie lässt sich nicht überspringen.',
  errorUnknownField: (name: string) =>
    `Das Feld „${markdownLiteral(name)}“ gibt es in diesem Formular nicht.`,
  corrected: (label: string, value: string) => `Korrigiert – ${label}: „${markdownLiteral(value)}“.`,
  whichField: (labels: string) => `Welche Angabe möchten Sie ändern? ${labels}`,
  intakeCancelled: 'In Ordnung, ich habe die Aufnahme abgebrochen. Es wurde kein Ticket angelegt.',
  alreadyHandingOver: 'Ich übergebe gleich an eine Person – dafür brauche ich nur noch diese Angabe.',
  consentQuestion:
    'Hinweis: Diese Anfrage fällt unter den erweiterten Kundensupport. Er ist kostenpflichtig und wird je angefangene Viertelstunde abgerechnet. Soll ich die Anfrage trotzdem aufnehmen?',
  consentDeclined:
    'Verstanden, ich lege kein Ticket an. Kostenlos im Standard-Support sind z. B. Hilfe zur Bedienung des Kundencenters und unserer Software, Pflege der Dokumentation sowie die Behebung von Fehlern an Diensten, die wir für Sie betreiben (Mail-, Webserver, Netzwerk).',
  consentAccepted: 'Danke, ich nehme die Anfrage als erweiterten Support auf.',

  // Hand-off and tickets
  ticketCreated: (id: string, queue: string, position: number, waitMinutes: number) =>
    `Ich habe das Ticket ${id} für das Team „${queue}“ angelegt. Sie sind auf Platz ${position} der Warteschlange, die Wartezeit beträgt ${formatWait(waitMinutes, 'de')}. Sie können hier weiterschreiben – ich hänge alles an das Ticket an.`,
  ticketCreatedOffDuty: (id: string, queue: string, position: number) =>
    `Ich habe das Ticket ${id} für das Team „${queue}“ angelegt; Sie sind auf Platz ${position} der Warteschlange. Sie können hier weiterschreiben – ich hänge alles an das Ticket an.`,
  queuedUpdate: (id: string, position: number, waitMinutes: number) =>
    `Ich habe Ihre Nachricht an das Ticket ${id} angehängt. Sie sind auf Platz ${position}, geschätzte Wartezeit ${formatWait(waitMinutes, 'de')}.`,
  alreadyQueued: (id: string, position: number, waitMinutes: number) =>
    `Ihr Ticket ${id} wartet bereits auf eine Person: Platz ${position}, geschätzte Wartezeit ${formatWait(waitMinutes, 'de')}.`,
  ticketWithdrawn: (id: string) => `Ich habe das Ticket ${id} zurückgezogen. Wobei kann ich sonst helfen?`,
  escalateTicket: 'Dringend – eskalieren',
  escalationRequested: (id: string) =>
    `Ich habe ${id} für das Team als dringend markiert und Ihre Nachricht angehängt. Das Team sieht es sich vorrangig an; die Antwort bekommen Sie hier. Bei einem Ausfall mit großer Wirkung (P1) gilt die Notfall-Rufnummer aus Ihrem Vertrag.`,
  escalationAlreadyRequested: (id: string) =>
    `${id} ist bereits als dringend markiert; ich habe Ihre Nachricht angehängt. Das Team meldet sich hier.`,
  ticketStatus: (id: string, status: string, queue: string, extra: string) =>
    `Ticket ${id}: ${status}, Team „${queue}“${extra}.`,
  ticketPosition: (position: number, waitMinutes: number) =>
    `, Platz ${position} in der Warteschlange (${formatWait(waitMinutes, 'de')})`,
  ticketAssignee: (name: string) => `, bearbeitet von ${name}`,
  ticketNotFound: (id: string) => `Ein Ticket ${id} finde ich unter Ihren Tickets nicht. Stimmt die Nummer?`,
  noTickets:
    'Ich finde keine offenen Tickets von Ihnen. Nennen Sie mir gern die Ticketnummer (z. B. SUP-1042).',
  openTickets: (lines: string) => `Ihre offenen Tickets:\n${lines}`,
  agentJoined: (name: string) =>
    `${name} aus dem Support-Team hat Ihr Anliegen übernommen und meldet sich hier.`,
  resolved: (id: string, note?: string) =>
    `Ihr Ticket ${id} wurde als gelöst markiert.${note ? ` Hinweis vom Support: ${note}` : ''} Wie zufrieden waren Sie mit der Hilfe (1 = gar nicht, 5 = sehr)?`,
  ratingThanks: 'Vielen Dank für Ihre Bewertung!',
  attachmentsKept: (names: string, ticketId?: string) =>
    ticketId
      ? `Danke, ich habe ${names} zu Ihrem Ticket ${ticketId} gelegt.`
      : `Danke, ich habe ${names} aufbewahrt; die Datei kommt zu Ihrem Ticket, sobald es angelegt ist.`,
  attachmentRefused: (name: string, reason: string, limit: string) =>
    reason === 'too-large'
      ? `Die Datei „${name}“ ist leider zu groß (höchstens ${limit}). Können Sie sie verkleinern oder einen Ausschnitt schicken?`
      : reason === 'unavailable'
        ? `Die Datei „${name}“ konnte ich leider nicht abrufen. Bitte versuchen Sie es noch einmal.`
        : `Die Datei „${name}“ kann ich leider nicht annehmen: erlaubt sind Bilder (PNG, JPEG, GIF, WebP), PDF und Textdateien.`,
  reopenAction: 'Nicht gelöst – Ticket wieder öffnen',
  reopened: (id: string) =>
    `Ihr Ticket ${id} ist wieder geöffnet und wartet beim Support-Team. Schreiben Sie gern hier, was noch nicht geht.`,
  reopenedByAgent: (id: string) =>
    `Das Support-Team hat Ihr Ticket ${id} wieder geöffnet und kümmert sich weiter darum.`,
  reopenTooLate: (id: string, hours: number) =>
    `Ticket ${id} wurde vor mehr als ${hours} Stunden gelöst und lässt sich nicht mehr öffnen. Beschreiben Sie mir das Problem gern, dann lege ich ein neues Ticket an.`,
  givenBack: (id: string) =>
    `Das Support-Team hat Ihr Ticket ${id} geschlossen und das Gespräch an mich zurückgegeben. Ich helfe gern weiter – wobei kann ich helfen?`,
  escalatedLevel3: (id: string) =>
    `Ihr Ticket ${id} wurde an unsere Spezialisten (3rd-Level-Support) weitergegeben. Wir melden uns.`,
  escalatedQueue: (id: string, queue: string) =>
    `Ihr Ticket ${id} wurde an das Team „${queue}“ weitergegeben.`,
  status: {
    queued: 'wartet',
    claimed: 'in Bearbeitung',
    resolved: 'gelöst',
    cancelled: 'zurückgezogen',
    returned: 'geschlossen, an den Bot zurückgegeben',
  } as Record<ShownStatus, string>,
};

export type MessageCatalogue = typeof de;

const en: MessageCatalogue = {
  talkToPerson: 'Talk to a person',
  helpfulYes: 'Yes, that helped',
  helpfulNo: 'No',
  noneOfThese: 'None of these',
  skip: 'Skip',
  cancel: 'Cancel',
  cancelTicket: 'Withdraw ticket',
  consentAccept: 'Yes, order billable support',
  consentDecline: 'No, thanks',
  confirmSummary: "Yes, that's right",
  noThanks: 'No, thanks',
  rating: (n: number) => `${n} ${'★'.repeat(n)}`,

  greeting:
    "Hello! I'm the support assistant. Ask me your question – for example about passwords, VPN, e-mail or printers. If I can't help, I'll hand you over to our support team.",
  thanks: "You're welcome! Come back any time.",
  goodbye: 'Goodbye and have a nice day!',
  capabilities:
    'I answer common IT questions (passwords, accounts, VPN, Wi-Fi, e-mail, printers, software, contracts and SLA), collect the details of problems I cannot solve and hand them to second-level support as a ticket. I can also tell you the status of a ticket, e.g. "What is the status of SUP-1042?".',
  nothingToCancel: 'There is nothing going on that I could cancel. How can I help?',
  okay: 'All right. What else can I help with?',
  outOfScope:
    "I'm afraid I can't help with that – I answer IT support questions, e.g. about passwords, VPN, e-mail or printers. What is your IT question?",
  rephrase:
    "Sorry, I didn't understand that. Could you put it differently, e.g. naming the system and what does not work?",
  didYouMean: (titles: string[]) =>
    `Did you mean ${listOf(
      titles.map((t) => `"${t}"`),
      'or',
    )} – or something else?`,
  choiceGone: 'I cannot find that entry any more. Please describe your question again.',
  staleAction: 'That choice is no longer current. How can I help?',
  apology: 'Sorry, something went wrong on my side. Would you like to talk to a person?',
  tooLong: 'Your message was very long; I only read the beginning.',
  emptyMessage: 'Your message reached me empty. Please write your question in words.',
  tooManyMessages:
    'That is a little too fast for me. Please wait a moment and then write to me again – I will be right with you.',

  feedbackThanks: 'Thanks for your feedback – glad it helped!',
  feedbackAskReason:
    'Sorry about that. What was missing or unclear? (Optional – you can also talk to a person.)',
  feedbackOfferPerson: 'Thanks, that helps us improve the answer. Shall I hand your question to a person?',

  intakeStart:
    'I will take down your request for our support team and ask a few short questions. Type "cancel" at any time to stop.',
  summaryProposal: (text: string) =>
    `I'd note this as the summary: "${markdownLiteral(text)}". Is that right? Otherwise just write a better description.`,
  askSkippable: '(Optional – you can type "skip".)',
  errorTooShort: (min: number) => `That is a bit short – please use at least ${min} characters.`,
  errorTooLong: (max: number) => `That is too long – please use at most ${max} characters.`,
  errorChoice: (options: string) => `Please pick one of: ${options}.`,
  errorContact: 'That looks like neither an e-mail address nor a phone number.',
  errorRequired: 'We need this one; it cannot be skipped.',
  errorUnknownField: (name: string) => `This form has no field "${markdownLiteral(name)}".`,
  corrected: (label: string, value: string) => `Corrected – ${label}: "${markdownLiteral(value)}".`,
  whichField: (labels: string) => `Which detail would you like to change? ${labels}`,
  intakeCancelled: 'All right, I cancelled the request. No ticket was created.',
  alreadyHandingOver: "I'm about to hand you to a person – I just need this detail first.",
  consentQuestion:
    'Please note: this request falls under extended customer support. It is billable, charged per started quarter hour. Shall I take down the request anyway?',
  consentDeclined:
    'Understood, I will not create a ticket. Standard support (free of charge) covers, for example, help with the customer center and our software, keeping documentation up to date, and fixing faults in services we run for you (mail server, web server, network).',
  consentAccepted: 'Thank you, I will take this down as extended support.',

  ticketCreated: (id: string, queue: string, position: number, waitMinutes: number) =>
    `I created ticket ${id} for the "${queue}" team. You are number ${position} in the queue; the expected wait is ${formatWait(waitMinutes, 'en')}. You can keep writing here – I add everything to the ticket.`,
  ticketCreatedOffDuty: (id: string, queue: string, position: number) =>
    `I created ticket ${id} for the "${queue}" team; you are number ${position} in the queue. You can keep writing here – I add everything to the ticket.`,
  queuedUpdate: (id: string, position: number, waitMinutes: number) =>
    `I added your message to ticket ${id}. You are number ${position} in the queue, expected wait ${formatWait(waitMinutes, 'en')}.`,
  alreadyQueued: (id: string, position: number, waitMinutes: number) =>
    `Your ticket ${id} is already waiting for a person: number ${position}, expected wait ${formatWait(waitMinutes, 'en')}.`,
  ticketWithdrawn: (id: string) => `I withdrew ticket ${id}. What else can I help with?`,
  escalateTicket: 'Urgent – escalate',
  escalationRequested: (id: string) =>
    `I flagged ${id} as urgent for the team and added your message. They will look at it first; you get the answer here. For an outage with major impact (P1), use the emergency number in your contract.`,
  escalationAlreadyRequested: (id: string) =>
    `${id} is already flagged as urgent; I added your message. The team will answer here.`,
  ticketStatus: (id: string, status: string, queue: string, extra: string) =>
    `Ticket ${id}: ${status}, team "${queue}"${extra}.`,
  ticketPosition: (position: number, waitMinutes: number) =>
    `, number ${position} in the queue (${formatWait(waitMinutes, 'en')})`,
  ticketAssignee: (name: string) => `, handled by ${name}`,
  ticketNotFound: (id: string) => `I cannot find a ticket ${id} among your tickets. Is the number right?`,
  noTickets:
    'I cannot find any open tickets of yours. Feel free to give me the ticket number (e.g. SUP-1042).',
  openTickets: (lines: string) => `Your open tickets:\n${lines}`,
  agentJoined: (name: string) =>
    `${name} from the support team has taken over your request and will reply here.`,
  resolved: (id: string, note?: string) =>
    `Your ticket ${id} was marked as resolved.${note ? ` Note from support: ${note}` : ''} How satisfied were you with the help (1 = not at all, 5 = very)?`,
  ratingThanks: 'Thank you for your rating!',
  attachmentsKept: (names: string, ticketId?: string) =>
    ticketId
      ? `Thank you, I added ${names} to your ticket ${ticketId}.`
      : `Thank you, I kept ${names}; it goes with your ticket as soon as one is opened.`,
  attachmentRefused: (name: string, reason: string, limit: string) =>
    reason === 'too-large'
      ? `Sorry, the file "${name}" is too large (at most ${limit}). Could you make it smaller or send a section?`
      : reason === 'unavailable'
        ? `Sorry, I could not fetch the file "${name}". Please try again.`
        : `Sorry, I cannot accept the file "${name}": images (PNG, JPEG, GIF, WebP), PDF and text files are allowed.`,
  reopenAction: 'Not solved – reopen the ticket',
  reopened: (id: string) =>
    `Your ticket ${id} is open again and waiting with the support team. Feel free to write here what still does not work.`,
  reopenedByAgent: (id: string) => `The support team reopened your ticket ${id} and is working on it again.`,
  reopenTooLate: (id: string, hours: number) =>
    `Ticket ${id} was resolved more than ${hours} hours ago and cannot be reopened. Describe the problem to me and I will open a new ticket.`,
  givenBack: (id: string) =>
    `The support team closed your ticket ${id} and handed the conversation back to me. I'm happy to carry on – what can I help with?`,
  escalatedLevel3: (id: string) =>
    `Your ticket ${id} was passed on to our specialists (third-level support). We will get back to you.`,
  escalatedQueue: (id: string, queue: string) => `Your ticket ${id} was passed on to the "${queue}" team.`,
  status: {
    queued: 'waiting',
    claimed: 'in progress',
    resolved: 'resolved',
    cancelled: 'withdrawn',
    returned: 'closed, handed back to the bot',
  },
};

const catalogues: Record<Language, MessageCatalogue> = { de, en };

/** Every text the bot says, in the customer's language. */
export function messagesFor(language: Language): MessageCatalogue {
  return catalogues[language];
}
