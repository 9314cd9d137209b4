import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ValidationFailedError, type ValidationProblem } from '../core/errors.ts';
import { PRIORITIES } from '../core/ticket.ts';
import { checkServices, ServicesSchema } from './service-catalogue.ts';
import {
  BusinessHoursSchema,
  isoDay,
  localized,
  SlaTargetSchema,
  type SupportConfig,
  slug,
} from './support-config.ts';

/**
 * config/customers.yaml: the organisations the bot serves, how their people are recognised, and
 * their support contract (support model, SLA tier, what standard support includes, escalation).
 * Validated once at start-up together with config/support.yaml (queues are cross-checked); a
 * broken file stops start-up listing every problem by field.
 */

export const SUPPORT_MODELS = ['managed-services', 'block-hours', 'time-and-material'] as const;
export type SupportModel = (typeof SUPPORT_MODELS)[number];

const localizedList = z
  .object({
    de: z.array(z.string().trim().min(1)).default([]),
    en: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'use a domain like example.com (no @)');

/** A tier's SLA: reaction and resolution per priority; priorities left out use support.yaml's. */
const TierSlaSchema = z
  .object({ P1: SlaTargetSchema, P2: SlaTargetSchema, P3: SlaTargetSchema, P4: SlaTargetSchema })
  .partial()
  .strict();

const TierSchema = z
  .object({
    name: localized,
    sla: TierSlaSchema.default({}),
    /** The tier's support hours; default: support.yaml's business hours. */
    businessHours: BusinessHoursSchema.optional(),
    /** Agreed availability per service, in percent of the month (99.5 = 99.5 %). */
    availability: z.record(slug, z.number().gt(0).max(100)).default({}),
    /** Where to turn outside business hours (e.g. the P1 hotline); told with the SLA promise. */
    emergency: localized.optional(),
  })
  .strict();

const ContactSchema = z
  .object({
    name: z.string().trim().min(1),
    email: z.string().trim().email().optional(),
    /** Slack member id, mentioned when a ticket escalates or the balance runs low. */
    slackUser: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'use a Slack member id like U0123ABC')
      .optional(),
  })
  .strict();

const EscalationSchema = z
  .object({
    /** The second-level queue this organisation's tickets start in (default: the queue found). */
    level2Queue: slug.optional(),
    /** Where a breached ticket goes (third level). */
    level3Queue: slug.optional(),
    /** Leads mentioned on an escalation, in order. */
    contacts: z.array(ContactSchema).default([]),
    /** Escalate already at the SLA warning (not only at the breach). */
    atWarning: z.boolean().default(false),
  })
  .strict();

const ContractSchema = z
  .object({
    model: z.enum(SUPPORT_MODELS),
    tier: slug,
    /** Block hours bought (block-hours only). */
    hoursBought: z.number().positive().optional(),
    /** A warning goes to the organisation's contact when the balance falls to this many hours. */
    lowBalanceHours: z.number().min(0).default(2),
    /** Hourly rate billed for time & material (and beyond the block), in `currency`. */
    hourlyRate: z.number().positive().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code like EUR')
      .default('EUR'),
    startsOn: isoDay.optional(),
    /** What standard support includes, in the customer's words (told on request). */
    standardSupport: localizedList.default({ de: [], en: [] }),
    escalation: EscalationSchema.default({ contacts: [], atWarning: false }),
  })
  .strict()
  .superRefine((contract, ctx) => {
    if (contract.model === 'block-hours' && contract.hoursBought === undefined) {
      ctx.addIssue({ code: 'custom', message: 'block-hours needs hoursBought', path: ['hoursBought'] });
    }
    if (contract.model !== 'block-hours' && contract.hoursBought !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'only block-hours has hoursBought', path: ['hoursBought'] });
    }
    if (contract.model === 'time-and-material' && contract.hourlyRate === undefined) {
      ctx.addIssue({ code: 'custom', message: 'time-and-material needs hourlyRate', path: ['hourlyRate'] });
    }
  });

const RecognitionSchema = z
  .object({
    emailDomains: z.array(domain).default([]),
    slackTeams: z.array(z.string().regex(/^T[A-Z0-9]+$/, 'use a Slack team id like T0123ABC')).default([]),
    slackEnterprises: z
      .array(z.string().regex(/^E[A-Z0-9]+$/, 'use a Slack enterprise id like E0123ABC'))
      .default([]),
    teamsTenants: z.array(z.string().uuid('use the Entra tenant id (a GUID)')).default([]),
    /** The organisation claim of a verified web chat identity. */
    webOrganisations: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();

const OrganisationSchema = z
  .object({
    id: slug,
    name: z.string().trim().min(1),
    recognise: RecognitionSchema,
    contract: ContractSchema,
    /** Who hears about the contract (low balance, monthly report). */
    contact: ContactSchema.optional(),
  })
  .strict();

export const CustomersConfigSchema = z
  .object({
    tiers: z.record(slug, TierSchema),
    /** The contract of customers no organisation recognises: the general answer. */
    default: z.object({ tier: slug }).strict(),
    organisations: z.array(OrganisationSchema).default([]),
    /** The services run for customers and the words that name them (announcements, availability). */
    services: ServicesSchema,
    /**
     * FAQ entries whose answer gets the customer's own figures added: block-hour balance, reaction
     * and resolution times of their contract. Ids are checked against the knowledge at start-up.
     */
    answers: z
      .object({
        balance: z.array(slug).default(['block-hours']),
        reaction: z.array(slug).default(['sla-reaction-times']),
        resolution: z.array(slug).default(['sla-resolution-times']),
      })
      .strict()
      .default({
        balance: ['block-hours'],
        reaction: ['sla-reaction-times'],
        resolution: ['sla-resolution-times'],
      }),
  })
  .strict();

export type CustomersConfig = z.infer<typeof CustomersConfigSchema>;
export type Organisation = CustomersConfig['organisations'][number];
export type Contract = Organisation['contract'];
export type SupportTier = CustomersConfig['tiers'][string];
export type ContractContact = z.infer<typeof ContactSchema>;

/** Problems only visible with support.yaml beside it, and across organisations. */
function crossCheck(config: CustomersConfig, support: SupportConfig | undefined): ValidationProblem[] {
  const problems: Omit<ValidationProblem, 'source'>[] = [];
  const queues = new Set(support?.queues.map((q) => q.id) ?? []);
  if (!config.tiers[config.default.tier]) {
    problems.push({ field: 'default.tier', message: `unknown tier "${config.default.tier}"` });
  }
  const owners = new Map<string, string>();
  config.organisations.forEach((org, index) => {
    const at = `organisations.${index}`;
    if (config.organisations.findIndex((o) => o.id === org.id) !== index) {
      problems.push({ field: `${at}.id`, message: `duplicate organisation "${org.id}"` });
    }
    if (!config.tiers[org.contract.tier]) {
      problems.push({ field: `${at}.contract.tier`, message: `unknown tier "${org.contract.tier}"` });
    }
    for (const key of ['level2Queue', 'level3Queue'] as const) {
      const queue = org.contract.escalation[key];
      if (support && queue && !queues.has(queue)) {
        problems.push({
          field: `${at}.contract.escalation.${key}`,
          message: `queue "${queue}" is not in the support config`,
        });
      }
    }
    // One identity must lead to one organisation, or whom the bot serves depends on file order.
    for (const [kind, values] of Object.entries(org.recognise)) {
      values.forEach((value, i) => {
        const key = `${kind}:${value}`;
        const owner = owners.get(key);
        if (owner && owner !== org.id) {
          problems.push({
            field: `${at}.recognise.${kind}.${i}`,
            message: `"${value}" already belongs to organisation "${owner}"`,
          });
        }
        owners.set(key, org.id);
      });
    }
  });
  for (const [tierId, tier] of Object.entries(config.tiers)) {
    for (const priority of PRIORITIES) {
      const target = tier.sla[priority];
      if (target && target.reactionMinutes > target.resolutionMinutes) {
        problems.push({
          field: `tiers.${tierId}.sla.${priority}.reactionMinutes`,
          message: 'reaction time is longer than the resolution time',
        });
      }
    }
  }
  problems.push(...checkServices(config.services, config.tiers));
  return problems.map((p) => ({ source: '', ...p }));
}

/** Validates already-parsed data (and its queues against support.yaml); lists every problem. */
export function parseCustomersConfig(
  data: unknown,
  source = 'config/customers.yaml',
  support?: SupportConfig,
): CustomersConfig {
  const result = CustomersConfigSchema.safeParse(data);
  if (!result.success) {
    const problems: ValidationProblem[] = result.error.issues.map((issue) => ({
      source,
      field: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    throw new ValidationFailedError('Invalid customers configuration', problems);
  }
  const problems = crossCheck(result.data, support).map((p) => ({ ...p, source }));
  if (problems.length > 0) throw new ValidationFailedError('Invalid customers configuration', problems);
  return result.data;
}

/** Reads and validates config/customers.yaml (YAML syntax errors with line numbers). */
export async function loadCustomersConfig(path: string, support?: SupportConfig): Promise<CustomersConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ValidationFailedError('Invalid customers configuration', [
      { source: path, field: '(file)', message: `cannot read the file (${code})` },
    ]);
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ValidationFailedError(
      'Invalid customers configuration',
      document.errors.map((error) => ({
        source: path,
        field: error.linePos?.[0] ? `line ${error.linePos[0].line}` : '(yaml)',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    );
  }
  return parseCustomersConfig(document.toJS(), path, support);
}

/** Only the general contract: what a bot without config/customers.yaml serves everyone with. */
export function generalCustomersConfig(): CustomersConfig {
  return parseCustomersConfig({
    tiers: { standard: { name: { de: 'Standard', en: 'Standard' } } },
    default: { tier: 'standard' },
  });
}
