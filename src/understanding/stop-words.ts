import type { Language } from '../core/language.ts';

// Normalised forms (umlauts folded to "ae"/"oe"/"ue", ß to "ss", no apostrophes).
const GERMAN = `
aber alle allem allen aller alles als also am an ander andere anderen anders auch auf aus bei beim
bin bis bist bitte bzw da dabei dadurch dafuer dagegen daher damit dann darf darauf daran darum das
dass dein deine deinem deinen deiner dem den denn der des deshalb dich die dies diese diesem diesen
dieser dieses dir doch dort du durch ein eine einem einen einer eines einmal er es etwa etwas euch
euer eure fuer gegen gibt hab habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre ihrem
ihren ihrer im immer in ins ist ja jede jedem jeden jeder jedes jetzt kann kannst kein keine keinem
keinen keiner koennen koennt koennte kuenftig man manche mehr mein meine meinem meinen meiner meines
mich mir mit muss muessen nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine sich sie
sind so soll sollte sondern sonst ueber um und uns unser unsere unter viel vom von vor war waere
waren warum was weil welche welchem welchen welcher welches wenn wer werde werden wie wieder wir
wird wo woher wohin wurde wuerde zu zum zur zwar zwischen geht gerade mal gern gerne leider hallo
`;

const ENGLISH = `
a about above after again all am an and any are as at be because been before being below between
both but by can cannot could did do does doing done dont down during each few for from further had
has have having he her here hers him his how however i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours out over own please same she
should so some such than that thats the their theirs them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would
you your yours yourself im ive id cant wont didnt doesnt isnt arent wasnt hasnt havent couldnt
shouldnt wouldnt hi hello thanks also get got
`;

const lists: Record<Language, ReadonlySet<string>> = {
  de: new Set(GERMAN.split(/\s+/).filter(Boolean)),
  en: new Set(ENGLISH.split(/\s+/).filter(Boolean)),
};

/** Common function words of German or English (normalised tokens). */
export function isStopWord(token: string, language: Language): boolean {
  return lists[language].has(token);
}

export const STOP_WORDS: Readonly<Record<Language, ReadonlySet<string>>> = lists;
