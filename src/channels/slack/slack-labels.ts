import type { Language } from '../../core/language.ts';

/**
 * The few words the Slack adapter adds around the engine's replies (button captions, field
 * names). Customer-facing ones follow the conversation's language; agent/admin views are English
 * plus German where agents meet customer words.
 */
const de = {
  source: 'Quelle',
  related: 'Siehe auch',
  helpful: 'Hilfreich',
  notHelpful: 'Nicht hilfreich',
  openForm: 'Formular öffnen',
  answerHere: 'Oder antworten Sie einfach hier im Chat.',
  ticket: 'Ticket',
  queue: 'Warteschlange',
  priority: 'Priorität',
  position: 'Position',
  expectedWait: 'Erwartete Wartezeit',
  minutes: 'Min.',
  status: 'Status',
  chosen: 'Gewählt',
  thanksFeedback: 'Danke für Ihre Rückmeldung.',
  formTitle: 'Problem melden',
  formSubmit: 'Absenden',
  formSent: 'Formular ausgefüllt',
  formCancel: 'Abbrechen',
  formIntro: 'Beschreiben Sie das Problem; ein Mensch aus dem Second-Level-Support übernimmt.',
  optional: '(optional)',
  yourTickets: 'Ihre Tickets',
  noTickets: 'Sie haben keine Tickets.',
  homeIntro: 'Schreiben Sie mir eine Nachricht oder nutzen Sie `/support`, um eine Frage zu stellen.',
  answerInDm: 'Ich antworte Ihnen in unserer Direktnachricht.',
  askAboutMessage: 'Frage zu dieser Nachricht',
  failed: 'Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal.',
};

/** The words of one language. */
export type SlackLabels = typeof de;

const en: SlackLabels = {
  source: 'Source',
  related: 'See also',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  openForm: 'Fill in a form',
  answerHere: 'Or simply answer here in the chat.',
  ticket: 'Ticket',
  queue: 'Queue',
  priority: 'Priority',
  position: 'Position',
  expectedWait: 'Expected wait',
  minutes: 'min',
  status: 'Status',
  chosen: 'Chosen',
  thanksFeedback: 'Thanks for your feedback.',
  formTitle: 'Report a problem',
  formSubmit: 'Submit',
  formSent: 'Form filled in',
  formCancel: 'Cancel',
  formIntro: 'Describe the problem; a person from second-level support will take over.',
  optional: '(optional)',
  yourTickets: 'Your tickets',
  noTickets: 'You have no tickets.',
  homeIntro: 'Send me a message or use `/support` to ask a question.',
  answerInDm: 'I will answer you in our direct messages.',
  askAboutMessage: 'Question about this message',
  failed: 'Sorry, that did not work. Please try again.',
};

const labels: Record<Language, SlackLabels> = { de, en };

export type LabelKey = keyof SlackLabels;

export function label(key: LabelKey, language: Language): string {
  return labels[language][key];
}
