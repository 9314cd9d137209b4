// DOM helpers shared by the chat page and the console. No framework, no build step.

export const $ = (sel) => document.querySelector(sel);

/**
 * Creates an element. Attributes: `text` (text content), `html` (only ever renderMarkdown()
 * output), `class`, `style`, `on<event>` (listener); any other is set as an attribute (true as
 * present, false/null/undefined left out). Children that are null, undefined or false are skipped.
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'html') node.innerHTML = value;
    else if (key === 'class') node.className = value;
    // Through CSSOM: the page's CSP forbids style attributes, not script-set styles.
    else if (key === 'style') node.style.cssText = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children)
    if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** Sets the page's language and title and fills every `data-i18n` element with `t(key)`. */
export function translatePage(lang, t) {
  document.documentElement.lang = lang;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}

/**
 * A table of figures: a caption for screen readers, column headers, and one row per item
 * (`[attributes of the row, its cells]`, each cell shown as text).
 */
export function figuresTable(part, caption, heads, rows) {
  return el('table', { 'data-part': part }, [
    el('caption', { class: 'visually-hidden', text: caption }),
    el('thead', {}, [
      el(
        'tr',
        {},
        heads.map((h) => el('th', { scope: 'col', text: h })),
      ),
    ]),
    el(
      'tbody',
      {},
      rows.map(([attrs, cells]) =>
        el(
          'tr',
          attrs,
          cells.map((v) => el('td', { text: String(v) })),
        ),
      ),
    ),
  ]);
}

/** A figure, or a dash when there is none. */
export const figure = (v, suffix = '') => (v === null || v === undefined ? '–' : `${v}${suffix}`);
