import { createRequire } from 'node:module';
import type snowball from 'snowball-stemmers';
import type { Language } from '../core/language.ts';
import { umlautSkeleton } from './normalize-text.ts';

type Stemmers = Record<Language, ReturnType<typeof snowball.newStemmer>>;
let stemmers: Stemmers | undefined;

/**
 * Loaded when first needed (`support-bot check` never is), and with require: imported as an ES
 * module, its 870 kB of CommonJS would first be scanned for the names it exports.
 */
function loadStemmers(): Stemmers {
  const library = createRequire(import.meta.url)('snowball-stemmers') as typeof snowball;
  return { de: library.newStemmer('german'), en: library.newStemmer('english') };
}

const caches = { de: new Map<string, string>(), en: new Map<string, string>() };
const CACHE_LIMIT = 200_000;

/**
 * Snowball stem of a normalised word. German stems also lose "-ung", which Snowball keeps, so
 * "zuruecksetzung" and "zuruecksetzen" meet, and their umlauts (already folded to "ue" etc.), so
 * "passwoerter", "passwort" and a "zurucksetzen" typed without umlauts meet too.
 */
export function stemWord(word: string, language: Language): string {
  const cache = caches[language];
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  stemmers ??= loadStemmers();
  let stem = word.length <= 3 ? word : stemmers[language].stem(word);
  if (language === 'de') {
    if (stem.length >= 7 && stem.endsWith('ung')) stem = stem.slice(0, -3);
    stem = umlautSkeleton(stem);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, stem);
  return stem;
}
