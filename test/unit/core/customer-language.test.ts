import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { customerLanguage, languageAfterMessage } from '../../../src/core/customer-language.ts';
import { sampleConversation } from '../../support/store-samples.ts';

const AT = Date.UTC(2026, 0, 5, 9, 0);

function german(overrides: Partial<Conversation> = {}): Conversation {
  return sampleConversation('web:language', AT, { language: 'de', ...overrides });
}

describe('customerLanguage', () => {
  it("is the conversation's language, else the platform's locale, else German", () => {
    expect(customerLanguage(german({ language: 'en' }), 'de')).toBe('en');
    expect(customerLanguage(undefined, 'en')).toBe('en');
    expect(customerLanguage(undefined, undefined)).toBe('de');
  });
});

describe('languageAfterMessage', () => {
  it('follows a message of three words or more, and keeps the language for a shorter one', () => {
    const conversation = german();
    expect(languageAfterMessage(conversation, { text: 'How do I reset it?', readsAs: 'en' })).toBe('en');
    expect(languageAfterMessage(conversation, { text: 'ok thanks', readsAs: 'en' })).toBe('de');
    // Numbers and signs are no words.
    expect(languageAfterMessage(conversation, { text: 'ok 42 ?', readsAs: 'en' })).toBe('de');
  });

  it("takes the conversation's first message as it reads, however short", () => {
    expect(languageAfterMessage(german({ transcript: [] }), { text: 'hi', readsAs: 'en' })).toBe('en');
  });

  it('keeps the language for answers to intake details, but not for the summary', () => {
    const intake = (asking: string) =>
      german({
        owner: 'intake',
        intake: { queue: 'general', asking, values: {}, skipped: [], billable: false, attempts: 0 },
      });
    const pasted = { text: 'The remote connection was denied by the server', readsAs: 'en' as const };
    expect(languageAfterMessage(intake('error'), pasted)).toBe('de');
    expect(languageAfterMessage(intake('system'), pasted)).toBe('de');
    expect(languageAfterMessage(intake('summary'), pasted)).toBe('en');
  });
});
