import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { issuesToProblems } from '../knowledge/load-knowledge.ts';
import { type IntentDefinition, IntentDefinitionSchema } from './intent-definition.ts';

/**
 * Reads `<dir>/<id>.yaml` (or .yml). Throws ValidationFailedError listing every problem of every
 * file at once (YAML syntax errors with line numbers).
 */
export async function loadIntents(dir: string): Promise<IntentDefinition[]> {
  const problems: ValidationProblem[] = [];
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ValidationFailedError(`Invalid intents in ${dir}`, [
      { source: dir, field: '(directory)', message: 'intents directory not found' },
    ]);
  }
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('.')).sort();
  const intents: IntentDefinition[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const intent = parseIntentFile(path, await readFile(path, 'utf8'), problems);
    if (!intent) continue;
    const first = seen.get(intent.id);
    if (first) {
      problems.push({
        source: path,
        field: 'id',
        message: `duplicate intent "${intent.id}", also in ${first}`,
      });
      continue;
    }
    seen.set(intent.id, path);
    intents.push(intent);
  }
  if (problems.length > 0) throw new ValidationFailedError(`Invalid intents in ${dir}`, problems);
  return intents;
}

export function parseIntentFile(
  path: string,
  content: string,
  problems: ValidationProblem[],
): IntentDefinition | undefined {
  const doc = parseDocument(content.replace(/^\uFEFF/, ''), { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0]?.line ?? 0;
      const message = error.message.split('\n')[0] ?? error.message;
      problems.push({ source: path, field: `(line ${line})`, message: `YAML syntax error: ${message}` });
    }
    return undefined;
  }
  const result = IntentDefinitionSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    problems.push(...issuesToProblems(path, result.error.issues));
    return undefined;
  }
  const expectedId = basename(path).replace(/\.ya?ml$/i, '');
  if (result.data.id !== expectedId) {
    problems.push({ source: path, field: 'id', message: `"${result.data.id}" does not match the file name` });
    return undefined;
  }
  return result.data;
}
