import { z } from 'zod';
import { localized, localizedList, slug } from '../config/schema-parts.ts';
import { ConfigError } from '../core/errors.ts';

/**
 * The intake forms of config/support.yaml: per queue, the fields the bot asks for, their
 * prompts, options and correction words. Parsed as part of the support config (handoff/), read
 * by the intake and the channels' form views (Slack modal, Teams card).
 */

const FieldOptionSchema = z
  .object({
    value: slug,
    label: localized,
    /** Other words customers type for this value ("nur ich", "whole company"). */
    synonyms: localizedList.default({ de: [], en: [] }),
  })
  .strict();

export const FIELD_TYPES = ['text', 'choice', 'contact'] as const;

const FormFieldSchema = z
  .object({
    name: slug,
    type: z.enum(FIELD_TYPES),
    label: localized,
    /** The question the bot asks. */
    prompt: localized,
    required: z.boolean().default(true),
    minLength: z.number().int().min(0).default(2),
    maxLength: z.number().int().min(1).max(5000).default(1000),
    options: z.array(FieldOptionSchema).min(2).optional(),
    /** Words that name this field when the customer corrects it ("the error is actually …"). */
    aliases: localizedList.default({ de: [], en: [] }),
  })
  .strict()
  .superRefine((field, ctx) => {
    if (field.type === 'choice' && !field.options) {
      ctx.addIssue({ code: 'custom', message: 'a choice field needs options', path: ['options'] });
    }
    if (field.type !== 'choice' && field.options) {
      ctx.addIssue({ code: 'custom', message: 'only choice fields have options', path: ['options'] });
    }
    if (field.minLength > field.maxLength) {
      ctx.addIssue({ code: 'custom', message: 'minLength is above maxLength', path: ['minLength'] });
    }
  });

/** Fields every form must have: the ticket, the priority and the call-back depend on them. */
export const REQUIRED_FORM_FIELDS = ['summary', 'impact', 'urgency', 'contact'] as const;

export const FormSchema = z
  .object({ fields: z.array(FormFieldSchema).min(1) })
  .strict()
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.fields.forEach((field, index) => {
      if (seen.has(field.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate field "${field.name}"`,
          path: ['fields', index, 'name'],
        });
      }
      seen.add(field.name);
    });
    for (const name of REQUIRED_FORM_FIELDS) {
      if (!seen.has(name))
        ctx.addIssue({ code: 'custom', message: `missing field "${name}"`, path: ['fields'] });
    }
  });

export type FormConfig = z.infer<typeof FormSchema>;
export type FormField = FormConfig['fields'][number];
export type FieldOption = NonNullable<FormField['options']>[number];

/** What the intake reads of the support config: each queue's form, the default queue, the retry limit. */
export interface IntakeSettings {
  defaultQueue: string;
  queues: readonly { id: string; form: string }[];
  forms: Record<string, FormConfig>;
  intake: { maxAttempts: number };
}

/** The queue's configuration, falling back to the default queue for unknown ids. */
export function findQueue<Queue extends { id: string }>(
  config: { queues: readonly Queue[]; defaultQueue: string },
  queueId: string | undefined,
): Queue {
  const queue =
    config.queues.find((q) => q.id === queueId) ?? config.queues.find((q) => q.id === config.defaultQueue);
  // parseSupportConfig guarantees the default queue exists.
  if (!queue) throw new ConfigError('missing_configuration', 'support config has no default queue');
  return queue;
}
