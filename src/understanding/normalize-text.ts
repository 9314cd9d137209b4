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
 * (Cyrillic, CJK, ...) are dropped: the bot understands German and English only. They go into
 * `tokens` (empty, and returned): a caller that drops them at once passes an array literal of its
 * own, so that V8 does not allocate it in the old generation like the index's kept ones.
 */
export function tokenize(text: string, tokens: string[] = []): string[] {
  const clipped = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  if (PLAIN.test(clipped)) return tokenizePlain(clipped, tokens);
  const normalized = normalizeText(clipped);
  if (normalized === '') return tokens;
  for (const raw of normalized.split(' ')) {
    if (!LATIN_WORD.test(raw)) continue;
    tokens.push(/^[0-9]+$/.test(raw) ? NUMBER_TOKEN : raw);
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/** ASCII and German umlauts only: most messages, and ones normalizeText needs no Unicode work for. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: all of ASCII, control characters too (they split words)
const PLAIN = /^[\x00-\x7fäöüÄÖÜß]*$/;
const UMLAUTS = /[äöüß]/g;
const FOLDED: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/**
 * `tokenize` for PLAIN text in one pass, with the very same result: for these characters NFKC,
 * NFD and the mark removal change nothing, so only lower-casing, umlaut folding, dropping
 * apostrophes and splitting at anything but a-z and 0-9 remain.
 */
function tokenizePlain(text: string, tokens: string[]): string[] {
  let s = text.toLowerCase();
  if (s.search(UMLAUTS) >= 0) s = s.replace(UMLAUTS, (c) => FOLDED[c] as string);
  let start = -1; // start of the current run of letters and digits
  let head = ''; // the word so far when an apostrophe interrupted it
  let digitsOnly = true;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if (c >= 97 && c <= 122) {
      if (start < 0) start = i;
      digitsOnly = false;
    } else if (c >= 48 && c <= 57) {
      if (start < 0) start = i;
    } else if (c === 39 || c === 96) {
      // ' and ` are dropped inside a word ("don't" -> "dont").
      if (start >= 0) head += s.slice(start, i);
      start = -1;
    } else {
      const word = start >= 0 ? head + s.slice(start, i) : head;
      if (word !== '') {
        tokens.push(digitsOnly ? NUMBER_TOKEN : word);
        if (tokens.length >= MAX_TOKENS) break;
      }
      start = -1;
      head = '';
      digitsOnly = true;
    }
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
