import { z } from 'zod';
import { LANGUAGES } from './language.ts';

const ONE_LINE = /^[^\r\n]*$/;
const NO_COMMA = /^[^,\r\n]*$/;

/** Front matter of one knowledge file (knowledge/<id>.<language>.md). */
export const FaqFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens, e.g. vpn-setup'),
    title: z.string().trim().min(3).max(120).regex(ONE_LINE, 'write the title on one line'),
    questions: z
      .array(z.string().trim().min(2).max(300).regex(ONE_LINE, 'write each question on one line'))
      .min(1, 'give at least one question'),
    language: z.enum(LANGUAGES),
    // Comma-free, so a list of tags reads the same in every import format (CSV: `vpn, remote`).
    tags: z.array(z.string().trim().min(1).regex(NO_COMMA, 'a tag has no commas or line breaks')).default([]),
    queue: z.string().trim().min(1).default('general'),
    billable: z.boolean().default(false),
    related: z.array(z.string()).default([]),
    updated: z
      .union([z.string(), z.date()])
      .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
  })
  .strict();

export type FaqFrontMatter = z.infer<typeof FaqFrontMatterSchema>;

/** One FAQ entry in one language: front matter plus the Markdown answer. */
export interface FaqEntry extends FaqFrontMatter {
  answer: string;
  /** File it came from (or `store` for admin edits). */
  source: string;
}
