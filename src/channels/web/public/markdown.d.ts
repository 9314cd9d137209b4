/** Types for markdown.js (plain browser ESM, also imported by the unit tests). */
export function escapeHtml(text: string): string;
export function renderMarkdown(markdown: string | undefined | null): string;
