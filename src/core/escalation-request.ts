/**
 * Words a customer uses to say their open ticket is urgent or should go higher ("bitte
 * eskalieren", "es ist dringend", "please escalate", "this is urgent"). Matched on whole words
 * (stems), after lower-casing and folding umlauts, so "Eskalation" and "escalated" count and a
 * word merely containing one of them does not.
 */
const ESCALATION_WORD =
  /(^|[^\p{L}])(eskalier\p{L}*|eskalation\p{L}*|dringend\p{L}*|notfall|escalat\p{L}*|urgent\p{L}*|urgency|emergency|asap)(?=$|[^\p{L}])/u;

export function asksToEscalate(text: string): boolean {
  return ESCALATION_WORD.test(text.normalize('NFKC').toLowerCase());
}
