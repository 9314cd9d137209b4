import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { wcagViolations } from '../../support/accessibility.ts';
import { pageErrors } from '../../support/chromium.ts';
import { ask, useBotAndBrowser } from './chat-driver.ts';
import { ADMIN_TOKEN } from './web-fixture.ts';

// markdown.js runs in the browser (markdown-it and DOMPurify are served from node_modules), so
// it is tested there: through the chat page, and directly by importing the module in the page.

const suite = useBotAndBrowser();
let page: Page;
let errors: string[];

beforeAll(async () => {
  const context = await suite.browser.newContext({ locale: 'de-DE' });
  page = await context.newPage();
  errors = pageErrors(page);
  await page.goto(`${suite.fx.url}/`);
});

/** renderMarkdown(text), called in the page exactly as the chat and the console call it. */
function render(text: string | null | undefined): Promise<string> {
  // A string, so the test runner's transform leaves the page's dynamic import alone.
  const argument = text === undefined ? 'undefined' : JSON.stringify(text);
  return page.evaluate(`import('/assets/markdown.js').then((m) => m.renderMarkdown(${argument}))`);
}

/** What a rendered text puts into the DOM that could run script or leave the page. */
function dangerIn(container: Locator) {
  return container.evaluate((root) => {
    const all = [...root.querySelectorAll('*')];
    return {
      elements: all.filter((n) => /^(script|img|iframe|object|embed|svg|style|form)$/i.test(n.tagName))
        .length,
      handlers: all.flatMap((n) => n.getAttributeNames().filter((a: string) => a.startsWith('on'))),
      hrefs: all.flatMap((n) => (n.hasAttribute('href') ? [n.getAttribute('href') ?? ''] : [])),
    };
  });
}

describe('markdown.js in the browser', () => {
  it('gets markdown-it and DOMPurify from this server, and nothing else from node_modules', async () => {
    for (const name of ['markdown-it.esm.min.mjs', 'purify.es.mjs']) {
      const response = await fetch(`${suite.fx.url}/assets/vendor/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await response.text()).toContain('export {');
    }
    for (const path of ['vendor/markdown-it.js', 'vendor/..%2F..%2Fpackage.json', 'vendor/zod']) {
      expect((await fetch(`${suite.fx.url}/assets/${path}`)).status).toBe(404);
    }
  });

  it('keeps a numbered list going after a nested bullet list (CommonMark)', async () => {
    const html = await render('Schritte:\n\n1. Eins\n2. Zwei\n3. Drei:\n   - a\n   - b\n4. Vier\n5. Fünf');
    expect(html.match(/<ol/g)).toHaveLength(1);
    expect(html).toMatch(/<li>Drei:\n<ul>\n<li>a<\/li>\n<li>b<\/li>\n<\/ul>\n<\/li>\n<li>Vier<\/li>/);
    expect(await render('3. drei\n4. vier')).toContain('<ol start="3">');
  });

  it('renders paragraphs, line breaks, emphasis, code and headings', async () => {
    expect(await render('Erst **fett** und *kursiv*,\nneue Zeile.\n\nDann `code **nicht fett**`.')).toBe(
      '<p>Erst <strong>fett</strong> und <em>kursiv</em>,<br>\nneue Zeile.</p>\n' +
        '<p>Dann <code>code **nicht fett**</code>.</p>\n',
    );
    expect(await render('file_name_here and 2 * 3 * 4')).toBe('<p>file_name_here and 2 * 3 * 4</p>\n');
    // Headings sit below the page's own h1-h3.
    expect(await render('# Eins\n## Zwei\n#### Vier')).toBe('<h4>Eins</h4>\n<h5>Zwei</h5>\n<h6>Vier</h6>\n');
    expect(await render('```\n<b>**x**</b>\n```')).toBe(
      '<pre><code>&lt;b&gt;**x**&lt;/b&gt;\n</code></pre>\n',
    );
  });

  it('links only http(s) and mailto, opening them safely', async () => {
    expect(await render('[Portal](https://portal.example.com/?a=1&b=2)')).toBe(
      '<p><a href="https://portal.example.com/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">Portal</a></p>\n',
    );
    expect(await render('<mailto:it@example.com>')).toContain('href="mailto:it@example.com"');
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,hi',
      'vbscript:x',
      '/admin',
    ]) {
      expect(await render(`[x](${href})`)).not.toContain('<a');
    }
    // No bare URL becomes a link by itself (linkify is off), and images are not loaded.
    expect(await render('see https://example.com')).not.toContain('<a');
    expect(await render('![logo](https://tracker.example.com/x.png)')).not.toContain('<img');
  });

  it('shows raw HTML as text and copes with empty input', async () => {
    expect(await render('<img src=x onerror="alert(1)"> & <b>bold</b>')).toBe(
      '<p>&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>\n',
    );
    expect(await render('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(await render('')).toBe('');
    expect(await render('   \n')).toBe('');
    expect(await render(undefined)).toBe('');
    expect(await render(null)).toBe('');
  });
});

describe('answers in the chat', () => {
  it('shows the VPN checklist as one ordered list 1..5 with the messages nested in step 3', async () => {
    await ask(page, 'VPN verbindet nicht');
    const answer = page.locator('article.answer').last();
    expect(await answer.getAttribute('data-entry')).toBe('vpn-connection-fails');
    const lists = answer.locator('.body > ol');
    expect(await lists.count()).toBe(1);
    const steps = lists.locator(':scope > li');
    expect(await steps.count()).toBe(5);
    expect(await lists.evaluate((ol) => ol.start)).toBe(1);
    expect(await steps.nth(2).locator(':scope > ul > li').count()).toBe(3);
    expect(await steps.nth(3).textContent()).toContain('Verbunden, aber kein Netzlaufwerk?');
    expect(await answer.locator('.body > ul').count()).toBe(0);
    expect(await wcagViolations(page)).toEqual([]);
  });

  it('renders a reply with script, event handlers and javascript: links inert', async () => {
    const question = 'Wie teste ich die Sicherheit der Chat-Anzeige?';
    const answer = [
      'Hallo <script>window.__pwned = "script"</script> Welt',
      '',
      '<img src="x" onerror="window.__pwned = \'img\'">',
      '',
      "[Klick](javascript:window.__pwned='link') und [auch](  JAVASCRIPT:alert(1)) und <javascript:alert(2)>",
      '',
      '<a href="javascript:alert(3)">roh</a> <svg onload="alert(4)"></svg> <iframe src="https://example.com"></iframe>',
      '',
      'Sicher: [Portal](https://portal.example.com), <mailto:it@example.com> und `code <b>x</b>`.',
      '',
      '```',
      '<script>alert(5)</script>',
      '```',
    ].join('\n');
    const saved = await fetch(`${suite.fx.url}/api/admin/faq/chat-xss-check/de`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Anzeige-Sicherheitstest', questions: [question], answer }),
    });
    expect(saved.status).toBe(201);

    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await ask(page, question);
    const reply = page.locator('article.answer').last();
    expect(await reply.getAttribute('data-entry')).toBe('chat-xss-check');

    const danger = await dangerIn(reply.locator('.body'));
    expect(danger.elements).toBe(0);
    expect(danger.handlers).toEqual([]);
    expect(danger.hrefs).toEqual(['https://portal.example.com', 'mailto:it@example.com']);
    // The markup stays visible as text, the safe parts still work.
    const text = (await reply.locator('.body').textContent()) ?? '';
    expect(text).toContain('<script>window.__pwned = "script"</script>');
    expect(text).toContain('javascript:window.__pwned');
    expect(await reply.locator('.body a[target="_blank"][rel="noopener noreferrer"]').count()).toBe(2);
    expect(await reply.locator('.body pre code').textContent()).toBe('<script>alert(5)</script>\n');

    // Clicking the would-be link runs nothing.
    await reply.getByText('Klick').click();
    expect(await page.evaluate('window.__pwned ?? null')).toBeNull();
    expect(dialogs).toEqual([]);
    expect(await wcagViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
