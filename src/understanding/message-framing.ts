import type { IntentDefinition } from './intent-definition.ts';
import { NUMBER_TOKEN, tokenize } from './normalize-text.ts';
import { isStopWord } from './stop-words.ts';

/** The intents whose examples frame a message rather than say what it is about. */
const FRAMING_INTENTS: ReadonlySet<string> = new Set(['greeting', 'thanks', 'goodbye']);

/**
 * Letter-style openings and closings that are no message on their own, so not examples of an
 * intent: taught to the classifier, "Grüße" pulled the typo "groesse" (Größe) towards goodbye.
 */
const LETTER_PHRASES = [
  'sehr geehrte damen und herren',
  'liebes support team',
  'liebes team',
  'vielen dank im voraus',
  'danke im voraus',
  'besten dank im voraus',
  'dear support team',
  'dear support',
  'hi team',
  'thanks in advance',
  'thank you in advance',
  'many thanks in advance',
];

/** Sign-offs: at the end of a message they may be followed by a name ("Viele Grüße, Anna"). */
const SIGN_OFFS = [
  'viele gruesse',
  'liebe gruesse',
  'beste gruesse',
  'freundliche gruesse',
  'mit freundlichen gruessen',
  'lg',
  'mfg',
  'best regards',
  'kind regards',
  'regards',
  'best wishes',
];

/** Words of a name after a sign-off that are set aside with it. */
const NAME_WORDS = 2;

/**
 * Greetings, thanks and farewells around a question ("Guten Tag, <question> Vielen Dank im
 * Voraus", "Hello, <question> Thanks in advance!"), recognised as whole example phrases of the
 * greeting, thanks and goodbye intents at the message's start and end. Customers who write as
 * they would write an e-mail lost up to half of their answers to the courtesy (`npm run eval --
 * --framing`, BENCHMARKS.md): its words weighed as much as the question's. Whole phrases, not
 * single words: "Tag", "gut" or "viel" alone also occur in questions.
 */
export class MessageFraming {
  readonly #phrases = new Set<string>();
  /** The sign-offs as words, for the check at the end (one may be followed by a name). */
  readonly #signOffs: string[][] = [];
  #longest = 0;

  constructor(intents: readonly IntentDefinition[]) {
    for (const phrase of LETTER_PHRASES) this.#add(tokenize(phrase));
    for (const phrase of SIGN_OFFS) {
      const words = tokenize(phrase);
      this.#add(words);
      this.#signOffs.push(words);
    }
    for (const intent of intents) {
      if (!FRAMING_INTENTS.has(intent.id)) continue;
      for (const example of [...intent.examples.de, ...intent.examples.en]) {
        this.#add(tokenize(example));
      }
    }
  }

  #add(tokens: readonly string[]): void {
    if (tokens.length === 0) return;
    this.#phrases.add(tokens.join(' '));
    this.#longest = Math.max(this.#longest, tokens.length);
  }

  /**
   * The message between its opening and closing phrases, as normalised words; undefined when it
   * has none, or when nothing else is left (then the message is a greeting or thanks itself).
   */
  core(text: string): string | undefined {
    if (this.#phrases.size === 0) return undefined;
    const tokens = tokenize(text);
    if (this.#phrases.has(tokens.join(' '))) return undefined;
    let start = 0;
    let end = tokens.length;
    for (let found = this.#phraseAt(tokens, start, end, 1); found > 0; ) {
      start += found;
      found = this.#phraseAt(tokens, start, end, 1);
    }
    end -= this.#signedOff(tokens, start, end);
    for (let found = this.#phraseAt(tokens, start, end, -1); found > 0; ) {
      end -= found;
      found = this.#phraseAt(tokens, start, end, -1);
    }
    if ((start === 0 && end === tokens.length) || start >= end) return undefined;
    const core = tokens.slice(start, end).join(' ');
    // "Hallo, danke!": what is left is framing too; the message is a greeting or thanks.
    return this.#phrases.has(core) ? undefined : core;
  }

  /** How many tokens a sign-off followed by a name ("viele gruesse anna") takes at the end; 0 for none. */
  #signedOff(tokens: readonly string[], start: number, end: number): number {
    for (let name = 1; name <= NAME_WORDS; name++) {
      // A name has no function words: "… with regards to vpn" is no sign-off.
      const word = tokens[end - name] as string;
      if (isStopWord(word, 'de') || isStopWord(word, 'en') || word === NUMBER_TOKEN) return 0;
      for (const words of this.#signOffs) {
        const at = end - name - words.length;
        if (at <= start) continue;
        if (words.every((word, k) => tokens[at + k] === word)) return words.length + name;
      }
    }
    return 0;
  }

  /** Length of the longest phrase at the start (direction 1) or end (-1) of tokens[start, end). */
  #phraseAt(tokens: readonly string[], start: number, end: number, direction: 1 | -1): number {
    for (let length = Math.min(this.#longest, end - start - 1); length >= 1; length--) {
      const words = direction === 1 ? tokens.slice(start, start + length) : tokens.slice(end - length, end);
      if (this.#phrases.has(words.join(' '))) return length;
    }
    return 0;
  }
}
