/**
 * Short control words inside intake (cancel, skip, yes, no), recognised without the matcher so
 * that an answer like "nein" to a question is never mistaken for something else.
 */

/**
 * Folded texts: one message is checked against several word lists in a row, and a form's option
 * phrases are folded again for every answer. Emptied when full, so it stays small.
 */
const folded = new Map<string, string>();
const MAX_FOLDED = 512;

/** Lower case, umlauts folded (ä→ae, ß→ss), punctuation and extra spaces removed. */
export function foldText(text: string): string {
  let result = folded.get(text);
  if (result === undefined) {
    if (folded.size >= MAX_FOLDED) folded.clear();
    result = fold(text);
    folded.set(text, result);
  }
  return result;
}

function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}@+\-\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const CANCEL = new Set([
  'cancel',
  'stop',
  'abort',
  'quit',
  'cancel that',
  'cancel please',
  'please cancel',
  'cancel it',
  'never mind',
  'nevermind',
  'forget it',
  'abbrechen',
  'abbruch',
  'stopp',
  'bitte abbrechen',
  'abbrechen bitte',
  'vergiss es',
  'egal',
  'lass gut sein',
]);

const SKIP = new Set([
  'skip',
  'skip it',
  'skip this',
  'pass',
  'next',
  'none',
  'n a',
  'na',
  'ueberspringen',
  'uberspringen',
  'weiter',
  'keine',
  'keine ahnung',
  'weiss nicht',
  'gibt es nicht',
  'gibt keine',
  'no error',
  'keine fehlermeldung',
  'no error message',
  '-',
]);

const YES = new Set([
  'yes',
  'y',
  'yeah',
  'yep',
  'yup',
  'ok',
  'okay',
  'sure',
  'correct',
  'right',
  'thats right',
  'that s right',
  'yes please',
  'fine',
  'ja',
  'jo',
  'jep',
  'jawohl',
  'genau',
  'stimmt',
  'richtig',
  'passt',
  'passt so',
  'ja passt',
  'ja bitte',
  'gerne',
  'gern',
  'einverstanden',
  'in ordnung',
]);

const NO = new Set([
  'no',
  'n',
  'nope',
  'no thanks',
  'no thank you',
  'not really',
  'nein',
  'ne',
  'nee',
  'noe',
  'nein danke',
  'lieber nicht',
  'auf keinen fall',
]);

export function isCancelWord(text: string): boolean {
  return CANCEL.has(foldText(text));
}

export function isSkipWord(text: string): boolean {
  const folded = foldText(text);
  return SKIP.has(folded) || folded === '-';
}

export function isYesWord(text: string): boolean {
  return YES.has(foldText(text));
}

export function isNoWord(text: string): boolean {
  return NO.has(foldText(text));
}

/** "ok" acknowledges; it is not a clear "yes, that helped". */
export function isPlainOk(text: string): boolean {
  const folded = foldText(text);
  return folded === 'ok' || folded === 'okay' || folded === 'k' || folded === 'alles klar';
}
