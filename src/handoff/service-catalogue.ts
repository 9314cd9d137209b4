import { z } from 'zod';
import type { ValidationProblem } from '../core/errors.ts';
import type { Language } from '../core/language.ts';
import { localized, slug } from './support-config.ts';

/**
 * The services the provider runs (customers.yaml `services`), each with the words and phrases by
 * which a customer's message is about it ("Outlook", "E-Mail", "Postfach" → mail). Announcements
 * (maintenance, incidents) name a service; the tiers' agreed availability is per service.
 */
const phrase = z
  .string()
  .trim()
  .min(2)
  .max(80)
  .refine((text) => normalisedWords(text).length > 0, 'a phrase needs at least one letter or digit');

export const ServiceSchema = z
  .object({
    name: localized,
    words: z
      .object({ de: z.array(phrase).default([]), en: z.array(phrase).default([]) })
      .strict()
      .refine((w) => w.de.length + w.en.length > 0, 'give at least one word or phrase'),
  })
  .strict();

export const ServicesSchema = z.record(slug, ServiceSchema).default({});
export type ServicesConfig = z.infer<typeof ServicesSchema>;

/** Lower case, umlauts and ß spelt out, accents dropped, split into words (hyphens split too). */
export function normalisedWords(text: string): string[] {
  const folded = text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** A single word this long also matches inside compounds: "Mailserver", "Webmail", "VPN-Client". */
const MIN_COMPOUND_PART = 4;

interface CompiledPhrase {
  service: string;
  words: string[];
}

/** Finds the services a message is about. */
export class ServiceCatalogue {
  private readonly phrases: CompiledPhrase[];

  constructor(private readonly services: ServicesConfig) {
    this.phrases = Object.entries(services).flatMap(([service, config]) =>
      [...config.words.de, ...config.words.en].map((text) => ({ service, words: normalisedWords(text) })),
    );
  }

  has(service: string): boolean {
    return Object.hasOwn(this.services, service);
  }

  ids(): string[] {
    return Object.keys(this.services);
  }

  /** Every service with its names, in catalogue order. */
  list(): { id: string; name: { de: string; en: string } }[] {
    return Object.entries(this.services).map(([id, service]) => ({ id, name: service.name }));
  }

  name(service: string, language: Language): string {
    return this.services[service]?.name[language] ?? service;
  }

  /** The services whose words the text contains, in catalogue order. */
  servicesIn(text: string): string[] {
    const words = normalisedWords(text);
    const found = new Set<string>();
    for (const phrase of this.phrases) {
      if (!found.has(phrase.service) && containsPhrase(words, phrase.words)) found.add(phrase.service);
    }
    return [...found];
  }
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  const [only] = phrase;
  if (phrase.length === 1 && only !== undefined) {
    return words.some(
      (word) =>
        word === only ||
        // Plurals and compounds ("mails", "mailserver", "webmail") for words long enough to be sure.
        (only.length >= MIN_COMPOUND_PART && (word.startsWith(only) || word.endsWith(only))),
    );
  }
  for (let start = 0; start + phrase.length <= words.length; start++) {
    if (phrase.every((word, i) => words[start + i] === word)) return true;
  }
  return false;
}

/** Problems across services and tiers: a phrase in two services, availability of unknown services. */
export function checkServices(
  services: ServicesConfig,
  tiers: Record<string, { availability: Record<string, number> }>,
): Omit<ValidationProblem, 'source'>[] {
  const problems: Omit<ValidationProblem, 'source'>[] = [];
  const owners = new Map<string, string>();
  for (const [service, config] of Object.entries(services)) {
    for (const language of ['de', 'en'] as const) {
      config.words[language].forEach((text, index) => {
        const key = normalisedWords(text).join(' ');
        const owner = owners.get(key);
        if (owner && owner !== service) {
          problems.push({
            field: `services.${service}.words.${language}.${index}`,
            message: `"${text}" already names service "${owner}"`,
          });
        }
        owners.set(key, service);
      });
    }
  }
  // Without a services section the availability figures stand alone (older files).
  if (Object.keys(services).length === 0) return problems;
  for (const [tierId, tier] of Object.entries(tiers)) {
    for (const service of Object.keys(tier.availability)) {
      if (!Object.hasOwn(services, service)) {
        problems.push({
          field: `tiers.${tierId}.availability.${service}`,
          message: `unknown service "${service}" (declare it under services)`,
        });
      }
    }
  }
  return problems;
}
