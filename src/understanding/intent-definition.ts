import { z } from 'zod';

/** The intent that means "not something the bot handles"; when it wins, the result is no match. */
export const OUT_OF_SCOPE_INTENT = 'out-of-scope';

/** One intent file: intents/<id>.yaml. */
export const IntentDefinitionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens, e.g. talk-to-person'),
    description: z.string().trim().min(1),
    examples: z
      .object({
        de: z.array(z.string().trim().min(1).max(300)).default([]),
        en: z.array(z.string().trim().min(1).max(300)).default([]),
      })
      .strict()
      .refine((e) => e.de.length + e.en.length > 0, 'give at least one example'),
  })
  .strict();

export type IntentDefinition = z.infer<typeof IntentDefinitionSchema>;
