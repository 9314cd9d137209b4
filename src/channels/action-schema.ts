import { z } from 'zod';
import type { Action } from '../core/action.ts';

const label = z.string().max(200);
const id = z.string().min(1).max(200);

/**
 * An Action as a client sends it back (web chat request, Teams card data): exactly the shape the
 * bot offered (src/core/action.ts), strict so a typo in a field name is refused and not a
 * silently ignored click.
 */
export const ActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show-entry'), entryId: id, label }).strict(),
  z
    .object({
      type: z.literal('feedback'),
      entryId: id,
      helpful: z.boolean(),
      label,
      reason: z.string().max(1000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('talk-to-person'), label }).strict(),
  z.object({ type: z.literal('none-of-these'), label }).strict(),
  z.object({ type: z.literal('consent'), accept: z.boolean(), label }).strict(),
  z.object({ type: z.literal('choose-value'), field: id, value: z.string().max(500), label }).strict(),
  z.object({ type: z.literal('skip'), field: id, label }).strict(),
  z
    .object({
      type: z.literal('submit-form'),
      values: z.record(z.string().max(100), z.string().max(4000)),
      label,
    })
    .strict(),
  z.object({ type: z.literal('cancel'), label }).strict(),
  z.object({ type: z.literal('escalate'), label }).strict(),
  z.object({ type: z.literal('rate'), ticketId: id, rating: z.number().int().min(1).max(5), label }).strict(),
  z.object({ type: z.literal('reopen'), ticketId: id, label }).strict(),
]);

// Compile-time check that the schema and the core type stay the same shape.
type Parsed = z.infer<typeof ActionSchema>;
const sameShape: [Parsed] extends [Action] ? ([Action] extends [Parsed] ? true : false) : false = true;
void sameShape;
