import { z } from 'zod';

/** Pieces of the YAML configuration schemas (support.yaml, customers.yaml) that several files share. */

export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens');
export const localized = z.object({ de: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
export const localizedList = z
  .object({
    de: z.array(z.string().trim().min(1)).default([]),
    en: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();
