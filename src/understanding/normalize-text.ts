/** Longer input is cut here: questions are short, and matching time must stay bounded. */
export const MAX_INPUT_CHARS = 2000;
/** At most this many tokens are analysed per text. */
export const MAX_TOKENS = 120;

/** Placeholder token for numbers, so "2 weeks" and "3 weeks" meet. */
export const NUMBER_TOKEN = '0';

const LATIN_WORD = /^[a-z0-9]+$/;

/**
 * Lower case, NFKC, umlauts folded to their two-letter forms (ä→ae, ß→ss), other accents
 * removed, apostrophes dropped ("don't"→"dont"), anything else that is not a letter or digit
 * (punctuation, emoji, control characters) turned into a space.
 */
export function normalizeText(text: string): string {
  const clipped = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  return clipped
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Words of a text: normalised, numbers replaced by NUMBER_TOKEN. Words in other scripts
 * (Cyrillic, CJK, ...) are dropped: the bot understands German and English only.
 */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  if (normalized === '') return [];
  const tokens: string[] = [];
  for (const raw of normalized.split(' ')) {
    if (!LATIN_WORD.test(raw)) continue;
    tokens.push(/^[0-9]+$/.test(raw) ? NUMBER_TOKEN : raw);
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/**
 * The umlaut skeleton of a word: "ae", "oe", "ue" reduced to "a", "o", "u", so that a word typed
 * without umlauts ("zurucksetzen") finds its folded form ("zuruecksetzen"). Used only to look up
 * unknown words, never on the index itself, because it would also merge English words.
 */
export function umlautSkeleton(word: string): string {
  return word.replace(/([aou])e/g, '$1');
}
