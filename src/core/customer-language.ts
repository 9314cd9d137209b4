import type { Conversation } from './conversation.ts';
import type { Language } from './language.ts';

/** What the bot speaks before it knows anything about the customer. */
export const DEFAULT_LANGUAGE: Language = 'de';

/** A message this short may be "ok" or "danke": it keeps the conversation's language. */
const MIN_WORDS_TO_SWITCH_LANGUAGE = 3;

const LETTER = /\p{L}/u;

/** Pieces with at least one letter ("ok", not "42" or "?"). */
function countWords(text: string): number {
  let words = 0;
  for (const piece of text.split(/\s+/)) if (LETTER.test(piece)) words++;
  return words;
}

/**
 * The language of every text to a customer, in a turn or sent later (agent joined, relay, resolve
 * and rating question, give-back, escalation): the conversation's current language, which each
 * message of the customer's sets (see languageAfterMessage). Without a conversation: the
 * platform's locale, else German.
 */
export function customerLanguage(
  conversation: Pick<Conversation, 'language'> | undefined,
  locale?: Language | undefined,
): Language {
  return conversation?.language ?? locale ?? DEFAULT_LANGUAGE;
}

/**
 * The customer's current language after one of their messages: the language the message reads
 * as, when it can tell; otherwise the one before (sticky). It can tell when it is the
 * conversation's first message, or has three words or more. An answer to an intake detail other
 * than the summary keeps the language: it names a system, quotes an error text or gives an
 * address, often in English whatever the customer speaks.
 */
export function languageAfterMessage(
  conversation: Pick<Conversation, 'language' | 'transcript' | 'owner' | 'intake'>,
  message: { text: string; readsAs: Language },
): Language {
  if (conversation.transcript.length === 0) return message.readsAs;
  const detail = conversation.owner === 'intake' && conversation.intake?.asking !== undefined;
  if (detail && conversation.intake?.asking !== 'summary') return conversation.language;
  return countWords(message.text) >= MIN_WORDS_TO_SWITCH_LANGUAGE ? message.readsAs : conversation.language;
}
