import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { PRIORITIES } from '../core/ticket.ts';

/**
 * config/support.yaml: queues, intake forms, the priority matrix, SLA policies and business
 * hours. Validated once at start-up; a broken file stops start-up listing every problem by field.
 */

export const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase words joined by hyphens');
export const localized = z.object({ de: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
const localizedList = z
  .object({
    de: z.array(z.string().trim().min(1)).default([]),
    en: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)');
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    // An unknown zone is exactly what this check reports.
    return false;
  }
}, 'unknown time zone (use an IANA name like Europe/Berlin)');

export const BusinessHoursSchema = z
  .object({
    timezone: timeZone.default('Europe/Berlin'),
    days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: clockTime.default('08:00'),
    end: clockTime.default('18:00'),
    holidays: z.array(isoDay).default([]),
  })
  .strict()
  .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] });

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

const FormSchema = z
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

export const SlaTargetSchema = z
  .object({
    /** Minutes until a person reacts (claims or answers). */
    reactionMinutes: z.number().positive(),
    /** Minutes until the problem is resolved (or a workaround is in place). */
    resolutionMinutes: z.number().positive(),
    /** true: the clock runs around the hour (P1); false: only during business hours. */
    allHours: z.boolean().default(false),
  })
  .strict();

export const SlaPolicySchema = z
  .object({
    P1: SlaTargetSchema,
    P2: SlaTargetSchema,
    P3: SlaTargetSchema,
    P4: SlaTargetSchema,
  })
  .strict();

const QueueSchema = z
  .object({
    id: slug,
    name: localized,
    form: slug.default('default'),
    /** Average handling time of one ticket, for the customer's expected wait. */
    averageHandlingMinutes: z.number().positive().default(20),
    /** Agents working this queue in parallel. */
    agents: z.number().int().min(1).default(1),
    /** Overrides of the default SLA policy for this queue. */
    sla: SlaPolicySchema.partial().optional(),
  })
  .strict();

const prioritySchema = z.enum(PRIORITIES);

export const SupportConfigSchema = z
  .object({
    defaultQueue: slug.default('general'),
    businessHours: BusinessHoursSchema.default({
      timezone: 'Europe/Berlin',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '08:00',
      end: '18:00',
      holidays: [],
    }),
    sla: z
      .object({
        /** Share of the reaction time after which an `sla-warning` is sent (0.8 = 80 %). */
        warnAt: z.number().gt(0).lt(1).default(0.8),
        default: SlaPolicySchema,
      })
      .strict(),
    /** impact value → urgency value → priority. */
    priorityMatrix: z.record(slug, z.record(slug, prioritySchema)),
    queues: z.array(QueueSchema).min(1),
    forms: z.record(slug, FormSchema),
    intake: z
      .object({
        /** Re-prompts for one field before the bot offers to skip it or hand over as it is. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
      })
      .strict()
      .default({ maxAttempts: 3 }),
    reopen: z
      .object({
        /** Hours after a ticket was resolved in which the customer may reopen it (0: only agents can). */
        withinHours: z.number().min(0).max(2160).default(72),
      })
      .strict()
      .default({ withinHours: 72 }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = config.queues.map((q) => q.id);
    config.queues.forEach((queue, index) => {
      if (ids.indexOf(queue.id) !== index) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate queue "${queue.id}"`,
          path: ['queues', index, 'id'],
        });
      }
      if (!config.forms[queue.form]) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown form "${queue.form}"`,
          path: ['queues', index, 'form'],
        });
      }
    });
    if (!ids.includes(config.defaultQueue)) {
      ctx.addIssue({
        code: 'custom',
        message: `queue "${config.defaultQueue}" is not defined`,
        path: ['defaultQueue'],
      });
    }
    for (const [formName, form] of Object.entries(config.forms)) {
      const impact = form.fields.find((f) => f.name === 'impact');
      const urgency = form.fields.find((f) => f.name === 'urgency');
      if (!impact?.options || !urgency?.options) continue;
      for (const i of impact.options) {
        for (const u of urgency.options) {
          if (!config.priorityMatrix[i.value]?.[u.value]) {
            ctx.addIssue({
              code: 'custom',
              message: `no priority for impact "${i.value}" × urgency "${u.value}" (used by form "${formName}")`,
              path: ['priorityMatrix', i.value, u.value],
            });
          }
        }
      }
    }
  });

export type SupportConfig = z.infer<typeof SupportConfigSchema>;
export type QueueConfig = SupportConfig['queues'][number];
export type FormConfig = SupportConfig['forms'][string];
export type FormField = FormConfig['fields'][number];
export type FieldOption = NonNullable<FormField['options']>[number];
export type SlaTarget = z.infer<typeof SlaTargetSchema>;
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;
export type BusinessHours = SupportConfig['businessHours'];

/** Validates already-parsed data; throws ValidationFailedError listing every problem. */
export function parseSupportConfig(data: unknown, source = 'config/support.yaml'): SupportConfig {
  const result = SupportConfigSchema.safeParse(data);
  if (result.success) return result.data;
  const problems: ValidationProblem[] = result.error.issues.map((issue) => ({
    source,
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  throw new ValidationFailedError('Invalid support configuration', problems);
}

/** Reads and validates config/support.yaml (YAML syntax errors with line numbers). */
export async function loadSupportConfig(path: string): Promise<SupportConfig> {
  const text = await readFile(path, 'utf8');
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ValidationFailedError(
      'Invalid support configuration',
      document.errors.map((error) => ({
        source: path,
        field: error.linePos?.[0] ? `line ${error.linePos[0].line}` : '(yaml)',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    );
  }
  return parseSupportConfig(document.toJS(), path);
}

/** The queue's configuration, falling back to the default queue for unknown ids. */
export function findQueue(config: SupportConfig, queueId: string | undefined): QueueConfig {
  const queue =
    config.queues.find((q) => q.id === queueId) ?? config.queues.find((q) => q.id === config.defaultQueue);
  // parseSupportConfig guarantees the default queue exists.
  if (!queue) throw new ConfigError('missing_configuration', 'support config has no default queue');
  return queue;
}

/** The SLA policy of a queue (its overrides on top of the default policy). */
export function slaPolicyFor(config: SupportConfig, queueId: string): SlaPolicy {
  const queue = findQueue(config, queueId);
  return { ...config.sla.default, ...queue.sla };
}
