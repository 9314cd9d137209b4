// Markdown for FAQ answers, agent messages and ticket texts, shared by the chat page and the
// console. CommonMark is parsed by markdown-it (raw HTML off, so `<b>` stays text), and its
// output is cleaned once more by DOMPurify against a short list of tags. Both are the libraries'
// own browser builds, served by this server from node_modules (see static-pages.ts): nothing is
// fetched from elsewhere.
//
// API (kept stable; both pages depend on it):
//   renderMarkdown(text: string | null | undefined): string
//     HTML that is safe to assign to innerHTML (dom.js: `el('div', { html: renderMarkdown(t) })`).
//     Block elements: p, ul/ol/li (with `start`), pre/code, blockquote, hr, h4-h6 (a Markdown
//     `#` heading becomes h4: pages put their own h1-h3 above a message). A single line break is
//     kept as <br>, as people type in chat. Links: only http(s) and mailto; each opens in a new
//     tab with rel="noopener noreferrer". Images are not rendered (their text stays).
//   escapeHtml(text: string): string
//     Text to put inside HTML markup as it is.

import markdownit from './vendor/markdown-it.esm.min.mjs';
import DOMPurify from './vendor/purify.es.mjs';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const SAFE_URL = /^(?:https?:\/\/|mailto:)/i;
const HEADING_OFFSET = 3;

const markdown = markdownit('commonmark', { html: false, linkify: false, breaks: true });
// Remote images would tell a third party who reads the answer, and the pages' CSP blocks them.
markdown.disable('image');
// A link to anything else (javascript:, data:, relative paths) stays visible as plain text.
markdown.validateLink = (url) => SAFE_URL.test(url.trim());
markdown.renderer.rules.heading_open = (tokens, i) => `<h${headingLevel(tokens[i].tag)}>`;
markdown.renderer.rules.heading_close = (tokens, i) => `</h${headingLevel(tokens[i].tag)}>\n`;

function headingLevel(tag) {
  return Math.min(6, Number(tag.slice(1)) + HEADING_OFFSET);
}

// A private instance, so this hook does not reach other users of DOMPurify on the page.
const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  // DOMPurify has already dropped an href outside ALLOWED_URI_REGEXP; a bare <a> is just text.
  if (!node.hasAttribute('href')) return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
});

const PURIFY_OPTIONS = {
  ALLOWED_TAGS: [
    'p',
    'br',
    'strong',
    'em',
    'code',
    'pre',
    'ul',
    'ol',
    'li',
    'a',
    'blockquote',
    'hr',
    'h4',
    'h5',
    'h6',
  ],
  ALLOWED_ATTR: ['href', 'start'],
  // DOMPurify tests every attribute not listed as URI-safe against the URL pattern below.
  ADD_URI_SAFE_ATTR: ['start'],
  ALLOWED_URI_REGEXP: SAFE_URL,
};

/** Renders Markdown to HTML that is safe to assign to innerHTML (see the API note above). */
export function renderMarkdown(text) {
  const source = String(text ?? '');
  if (source.trim() === '') return '';
  return purifier.sanitize(markdown.render(source), PURIFY_OPTIONS);
}
