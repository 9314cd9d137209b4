/**
 * Types for markdown.js: plain browser ESM. It imports markdown-it and DOMPurify from
 * /assets/vendor/, so it runs in the page (tests: test/e2e/web/markdown-rendering.test.ts).
 */
export function escapeHtml(text: string): string;
export function renderMarkdown(text: string | undefined | null): string;
