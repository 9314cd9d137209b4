import type { FormField } from './forms.ts';

export interface Correction {
  field: FormField;
  /** The new value, when given in the same message ("the error is actually X"). */
  value?: string | undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every way a customer names a field: its aliases, labels and name, longest first. */
function namesOf(field: FormField): string[] {
  return [...field.aliases.de, ...field.aliases.en, field.label.de, field.label.en, field.name]
    .map((n) => n.toLowerCase())
    .sort((a, b) => b.length - a.length);
}

const ARTICLE = String.raw`(?:(?:the|my|die|der|das|den|meine|mein|meinen)\s+)?`;

/** Patterns with (name) and optionally (value), for English and German. */
function patterns(names: string): RegExp[] {
  const n = `(${names})`;
  return [
    // "the error is actually X", "the system was really Y"
    new RegExp(
      String.raw`^(?:(?:no|sorry|oh|actually|correction)[,:]?\s+)*${ARTICLE}${n}\s+(?:is|was|should be)\s+(?:actually|really|in fact)\s*:?\s*(.+)$`,
      'isu',
    ),
    // "actually, the error is X", "correction: system is Y"
    new RegExp(
      String.raw`^(?:actually|correction)[,:]?\s+${ARTICLE}${n}\s+(?:is|was|should be)\s*:?\s*(.+)$`,
      'isu',
    ),
    // "change system", "change the error to X"
    new RegExp(
      String.raw`^(?:change|correct|edit|fix|update)\s+${ARTICLE}${n}(?:\s+to\s*:?\s*(.+))?$`,
      'isu',
    ),
    // "die Fehlermeldung ist eigentlich X", "das System ist doch Y"
    new RegExp(
      String.raw`^(?:(?:nein|sorry|oh|korrektur)[,:]?\s+)*${ARTICLE}${n}\s+(?:ist|war|lautet|heißt)\s+(?:eigentlich|doch|tatsächlich|richtig|korrekt|in wirklichkeit)\s*:?\s*(.+)$`,
      'isu',
    ),
    // "Korrektur: System ist X", "eigentlich ist die Fehlermeldung X"
    new RegExp(
      String.raw`^(?:korrektur|eigentlich)[,:]?\s+(?:ist\s+)?${ARTICLE}${n}\s+(?:ist|lautet|war)?\s*:?\s*(.+)$`,
      'isu',
    ),
    // "System ändern", "die Fehlermeldung korrigieren"
    new RegExp(
      String.raw`^${ARTICLE}${n}\s+(?:ändern|korrigieren|anpassen)(?:\s+(?:in|auf|zu)\s*:?\s*(.+))?$`,
      'isu',
    ),
    // "ändere das System auf X", "Fehlermeldung ändern in X"
    new RegExp(
      String.raw`^(?:ändere|ändern|korrigiere|korrigieren)\s+(?:sie\s+)?${ARTICLE}${n}(?:\s+(?:in|auf|zu)\s*:?\s*(.+))?$`,
      'isu',
    ),
  ];
}

/** A form's field names (longest first, as one alternation) and the field each one names. */
interface FormNames {
  byName: Map<string, FormField>;
  patterns: RegExp[];
}

/** Patterns by the names they match: one set per form, compiled once instead of every message. */
const compiled = new Map<string, RegExp[]>();
/** Forms come from the support config, so there are few; the bound only guards against surprises. */
const MAX_COMPILED = 64;
/**
 * Per fields list (the support config's, never changed after loading): names and patterns are
 * worked out once per form, not for every answer during intake.
 */
const formNames = new WeakMap<readonly FormField[], FormNames | null>();

function compiledPatterns(names: string): RegExp[] {
  let found = compiled.get(names);
  if (!found) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    // No 'g' or 'y' flag: exec() keeps no state between messages, so sharing them is safe.
    found = patterns(names);
    compiled.set(names, found);
  }
  return found;
}

function namesOfForm(fields: readonly FormField[]): FormNames | null {
  let found = formNames.get(fields);
  if (found === undefined) {
    const byName = new Map<string, FormField>();
    for (const field of fields)
      for (const name of namesOf(field)) if (!byName.has(name)) byName.set(name, field);
    const names = [...byName.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    found = names ? { byName, patterns: compiledPatterns(names) } : null;
    formNames.set(fields, found);
  }
  return found;
}

/**
 * Recognises a correction of an earlier answer ("the error is actually …", "die Fehlermeldung
 * ist eigentlich …", "change system"). Returns undefined for an ordinary answer.
 */
export function parseCorrection(text: string, fields: readonly FormField[]): Correction | undefined {
  const form = namesOfForm(fields);
  if (!form) return undefined;
  const trimmed = text.trim();
  for (const pattern of form.patterns) {
    const match = pattern.exec(trimmed);
    if (!match) continue;
    const field = form.byName.get((match[1] ?? '').toLowerCase());
    if (!field) continue;
    const value = match[2]?.trim().replace(/^["'„“”]+|["'„“”]+$/g, '');
    return { field, value: value ? value : undefined };
  }
  return undefined;
}
