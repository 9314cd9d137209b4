import { z } from 'zod';
import { LANGUAGES } from '../core/language.ts';

/** Front matter of one knowledge file (knowledge/<id>.<language>.md). */
export const FaqFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens, e.g. vpn-setup'),
    title: z.string().trim().min(3).max(120),
    questions: z.array(z.string().trim().min(2).max(300)).min(1, 'give at least one question'),
    language: z.enum(LANGUAGES),
    tags: z.array(z.string().trim().min(1)).default([]),
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
