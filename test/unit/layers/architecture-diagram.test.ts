import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The folders the layer picture of ARCHITECTURE.md names: every node labelled `name/`. */
function foldersInDiagram(markdown: string): string[] {
  const diagram = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
  return [...diagram.matchAll(/\["([a-z-]+)\/(?:<br\/>[^"]*)?"\]/g)].map((match) => match[1] ?? '').sort();
}

describe('the layer picture in ARCHITECTURE.md', () => {
  it('names every folder of src/ and no other', () => {
    const folders = readdirSync(`${root}src`, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(foldersInDiagram(readFileSync(`${root}ARCHITECTURE.md`, 'utf8'))).toEqual(folders);
  });

  it('reads the folder names of a picture, so a missing folder is noticed', () => {
    const picture = '```mermaid\nflowchart TD\n  core["core/<br/>engine"]\n  http["http/"]\n```\n';
    expect(foldersInDiagram(picture)).toEqual(['core', 'http']);
  });
});
