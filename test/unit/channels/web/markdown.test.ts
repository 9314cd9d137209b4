import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMarkdown } from '../../../../src/channels/web/public/markdown.js';

describe('renderMarkdown', () => {
  it('escapes HTML before anything else', () => {
    expect(renderMarkdown('<img src=x onerror="alert(1)"> & <b>bold</b>')).toBe(
      '<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>',
    );
    expect(escapeHtml(`'"`)).toBe('&#39;&quot;');
  });

  it('renders paragraphs, bold, italic and inline code', () => {
    expect(renderMarkdown('Erst **fett** und *kursiv*,\nneue Zeile.\n\nDann `code **nicht fett**`.')).toBe(
      '<p>Erst <strong>fett</strong> und <em>kursiv</em>,<br>neue Zeile.</p>' +
        '<p>Dann <code>code **nicht fett**</code>.</p>',
    );
  });

  it('renders bullet and numbered lists, with continuation lines', () => {
    expect(renderMarkdown('Schritte:\n1. Eins\n2. Zwei\n   weiter\n\n- a\n- b')).toBe(
      '<p>Schritte:</p><ol><li>Eins</li><li>Zwei weiter</li></ol><ul><li>a</li><li>b</li></ul>',
    );
  });

  it('links only http(s) and mailto, opening safely', () => {
    expect(renderMarkdown('[Portal](https://portal.example.com/?a=1&b=2)')).toBe(
      '<p><a href="https://portal.example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Portal</a></p>',
    );
    expect(renderMarkdown('[x](javascript:alert(1)) [y](data:text/html,hi)')).not.toContain('<a ');
  });

  it('does not read snake_case or lone asterisks as emphasis', () => {
    expect(renderMarkdown('file_name_here and 2 * 3 * 4')).toBe('<p>file_name_here and 2 * 3 * 4</p>');
  });

  it('renders fenced code and headings without interpreting their content', () => {
    expect(renderMarkdown('## Hinweis\n```\n<b>**x**</b>\n```')).toBe(
      '<p><strong>Hinweis</strong></p><pre><code>&lt;b&gt;**x**&lt;/b&gt;</code></pre>',
    );
  });

  it('copes with empty input and stray placeholder characters', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(undefined)).toBe('');
    expect(renderMarkdown('a\uE0000\uE000 `c`')).toBe('<p>a0 <code>c</code></p>');
  });
});
