import { parseDocument } from 'yaml';
import type { ValidationProblem } from '../core/errors.ts';

export type FrontMatterResult =
  | { ok: true; data: unknown; body: string }
  | { ok: false; problems: ValidationProblem[] };

/**
 * Splits a Markdown file into YAML front matter (between the first two `---` lines) and body.
 * YAML errors are reported with line numbers of the whole file, not of the front matter alone.
 */
export function parseFrontMatter(source: string, content: string): FrontMatterResult {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  // A delimiter is `---` at the start of its line: an indented `---` belongs to a YAML value (a
  // multi-line title or question), which must not end the front matter.
  const delimiter = /^---[ \t]*$/;
  if (!delimiter.test(lines[0] ?? '')) {
    return {
      ok: false,
      problems: [{ source, field: 'front matter', message: 'file must start with a `---` line' }],
    };
  }
  const end = lines.findIndex((line, i) => i > 0 && delimiter.test(line));
  if (end < 0) {
    return {
      ok: false,
      problems: [{ source, field: 'front matter', message: 'no closing `---` line after the front matter' }],
    };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const doc = parseDocument(yamlText, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        // +1 for the opening `---` line.
        const line = (error.linePos?.[0]?.line ?? 0) + 1;
        const message = error.message.split('\n')[0] ?? error.message;
        return { source, field: `front matter (line ${line})`, message: `YAML syntax error: ${message}` };
      }),
    };
  }
  return { ok: true, data: doc.toJS(), body: lines.slice(end + 1).join('\n') };
}
