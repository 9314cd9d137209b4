import { cleanText } from '../core/clean-text.ts';
import type { Language } from '../core/language.ts';
import { messagesFor } from '../core/messages.ts';
import { foldText } from '../core/quick-words.ts';
import type { FieldOption, FormField } from './forms.ts';

export type FieldValueResult = { ok: true; value: string } | { ok: false; error: string };

const EMAIL = /[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[^\s@<>()"',;.]{2,}/;
const PHONE = /\+?\d[\d\s()/.-]{4,}\d/;

/** The option a customer meant: by value, label, synonym (whole words) or its number. */
export function findOption(field: FormField, text: string): FieldOption | undefined {
  const options = field.options ?? [];
  const folded = foldText(text);
  if (!folded) return undefined;
  const index = Number(folded);
  if (Number.isInteger(index) && index >= 1 && index <= options.length) return options[index - 1];
  const phrases = (option: FieldOption) =>
    [option.value, option.label.de, option.label.en, ...option.synonyms.de, ...option.synonyms.en].map(
      foldText,
    );
  for (const option of options) {
    if (phrases(option).includes(folded)) return option;
  }
  // Whole-word containment ("eigentlich nur ich"): the longest matching phrase wins.
  let best: { option: FieldOption; length: number } | undefined;
  const padded = ` ${folded} `;
  for (const option of options) {
    for (const phrase of phrases(option)) {
      if (phrase && padded.includes(` ${phrase} `) && phrase.length > (best?.length ?? 0)) {
        best = { option, length: phrase.length };
      }
    }
  }
  return best?.option;
}

/** An e-mail address or phone number found in the text, normalised. */
export function findContact(text: string): string | undefined {
  const email = EMAIL.exec(text);
  if (email) return email[0].toLowerCase();
  const phone = PHONE.exec(text);
  if (phone) {
    const digits = phone[0].replace(/\D/g, '');
    if (digits.length >= 6 && digits.length <= 15) return phone[0].replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

/** Validates one answer for a field; invalid answers come back with a friendly reason. */
export function validateFieldValue(field: FormField, raw: string, language: Language): FieldValueResult {
  const say = messagesFor(language);
  const text = cleanText(raw);
  switch (field.type) {
    case 'choice': {
      const option = findOption(field, text);
      if (option) return { ok: true, value: option.value };
      const labels = (field.options ?? []).map((o, i) => `${i + 1}. ${o.label[language]}`).join(', ');
      return { ok: false, error: say.errorChoice(labels) };
    }
    case 'contact': {
      const contact = findContact(text);
      return contact ? { ok: true, value: contact } : { ok: false, error: say.errorContact };
    }
    case 'text': {
      if (text.length < field.minLength) return { ok: false, error: say.errorTooShort(field.minLength) };
      if (text.length > field.maxLength) return { ok: false, error: say.errorTooLong(field.maxLength) };
      return { ok: true, value: text };
    }
  }
}

/** How a stored value reads for people (a choice's label instead of its value). */
export function displayValue(field: FormField, value: string, language: Language): string {
  const option = field.options?.find((o) => o.value === value);
  return option ? option.label[language] : value;
}
