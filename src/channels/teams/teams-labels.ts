import type { Language } from '../../core/language.ts';

/** Texts only the Teams cards need; everything the bot says comes from the engine's replies. */
const de = {
  didItHelp: 'Hat das geholfen?',
  related: 'Passend dazu',
  openForm: 'Formular ausfüllen',
  formTitle: 'Ihr Anliegen für das Support-Team',
  formIntro: 'Füllen Sie alles auf einmal aus – oder beantworten Sie die Fragen einzeln im Chat.',
  formSubmit: 'Absenden',
  send: 'Senden',
  answerPlaceholder: 'Ihre Antwort',
  required: 'Bitte ausfüllen.',
  sent: 'Gesendet',
  feedbackGiven: (helpful: boolean): string =>
    helpful ? 'Rückmeldung: hilfreich' : 'Rückmeldung: nicht hilfreich',
  ticket: (id: string) => `Ticket ${id}`,
  queue: 'Team',
  priority: 'Priorität',
  status: 'Status',
  position: 'Platz in der Warteschlange',
  expectedWait: 'Geschätzte Wartezeit',
  minutes: (n: number) => `${n} Min.`,
  supportTeam: 'Support-Team',
  personalOnly: 'Ich helfe im persönlichen Chat – schreiben Sie mir dort bitte direkt.',
  formGone: 'Gerade wird kein Anliegen aufgenommen. Beschreiben Sie Ihr Problem einfach im Chat.',
};

export type TeamsLabels = typeof de;

const en: TeamsLabels = {
  didItHelp: 'Did this help?',
  related: 'Related',
  openForm: 'Fill in a form',
  formTitle: 'Your request for the support team',
  formIntro: 'Fill in everything at once – or answer the questions one by one in the chat.',
  formSubmit: 'Send',
  send: 'Send',
  answerPlaceholder: 'Your answer',
  required: 'Please fill this in.',
  sent: 'Sent',
  feedbackGiven: (helpful: boolean) => (helpful ? 'Feedback: helpful' : 'Feedback: not helpful'),
  ticket: (id: string) => `Ticket ${id}`,
  queue: 'Team',
  priority: 'Priority',
  status: 'Status',
  position: 'Position in the queue',
  expectedWait: 'Expected wait',
  minutes: (n: number) => `${n} min`,
  supportTeam: 'Support team',
  personalOnly: 'I help in personal chat – please write to me there directly.',
  formGone: 'No request is being taken down right now. Just describe your problem in the chat.',
};

const labels: Record<Language, TeamsLabels> = { de, en };

export function teamsLabels(language: Language): TeamsLabels {
  return labels[language];
}
