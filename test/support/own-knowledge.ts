import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

/**
 * A team's own knowledge: the shipped knowledge/ plus one English entry whose phrasings it does
 * not have (so their sentence vectors are not shipped). Returns the new folder.
 */
export function knowledgeWithOwnEntry(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-own-knowledge-'));
  cpSync(join(root, 'knowledge'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'en', 'coffee-machine-descaling.md'),
    [
      '---',
      'id: coffee-machine-descaling',
      'title: The office coffee machine needs descaling',
      'language: en',
      'questions:',
      '  - the coffee machine shows a descaling warning',
      '  - how do I descale the espresso machine in the kitchen',
      'updated: 2026-12-07',
      '---',
      'Run the descaling programme from the machine menu; the descaler is in the kitchen cupboard.',
      '',
    ].join('\n'),
  );
  return dir;
}
