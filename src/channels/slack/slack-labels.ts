import type { Language } from '../../core/language.ts';

/**
 * The few words the Slack adapter adds around the engine's replies (button captions, field
 * names). Customer-facing ones follow the conversation's language; agent/admin views are English
 * plus German where agents meet customer words.
 */
const LABELS = {
  source: { de: 'Quelle', en: 'Source' },
  related: { de: 'Siehe auch', en: 'See also' },
  helpful: { de: 'Hilfreich', en: 'Helpful' },
  notHelpful: { de: 'Nicht hilfreich', en: 'Not helpful' },
  openForm: { de: 'Formular öffnen', en: 'Fill in a form' },
  answerHere: { de: 'Oder antworten Sie einfach hier im Chat.', en: 'Or simply answer here in the chat.' },
  ticket: { de: 'Ticket', en: 'Ticket' },
  queue: { de: 'Warteschlange', en: 'Queue' },
  priority: { de: 'Priorität', en: 'Priority' },
  position: { de: 'Position', en: 'Position' },
  expectedWait: { de: 'Erwartete Wartezeit', en: 'Expected wait' },
  minutes: { de: 'Min.', en: 'min' },
  status: { de: 'Status', en: 'Status' },
  chosen: { de: 'Gewählt', en: 'Chosen' },
  thanksFeedback: { de: 'Danke für Ihre Rückmeldung.', en: 'Thanks for your feedback.' },
  formTitle: { de: 'Problem melden', en: 'Report a problem' },
  formSubmit: { de: 'Absenden', en: 'Submit' },
  formSent: { de: 'Formular ausgefüllt', en: 'Form filled in' },
  formCancel: { de: 'Abbrechen', en: 'Cancel' },
  formIntro: {
    de: 'Beschreiben Sie das Problem; ein Mensch aus dem Second-Level-Support übernimmt.',
    en: 'Describe the problem; a person from second-level support will take over.',
  },
  optional: { de: '(optional)', en: '(optional)' },
  yourTickets: { de: 'Ihre Tickets', en: 'Your tickets' },
  noTickets: { de: 'Sie haben keine Tickets.', en: 'You have no tickets.' },
  homeIntro: {
    de: 'Schreiben Sie mir eine Nachricht oder nutzen Sie `/support`, um eine Frage zu stellen.',
    en: 'Send me a message or use `/support` to ask a question.',
  },
  answerInDm: {
    de: 'Ich antworte Ihnen in unserer Direktnachricht.',
    en: 'I will answer you in our direct messages.',
  },
  askAboutMessage: { de: 'Frage zu dieser Nachricht', en: 'Question about this message' },
  failed: {
    de: 'Das hat leider nicht geklappt. Bitte versuchen Sie es noch einmal.',
    en: 'Sorry, that did not work. Please try again.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type LabelKey = keyof typeof LABELS;

export function label(key: LabelKey, language: Language): string {
  return LABELS[key][language];
}
