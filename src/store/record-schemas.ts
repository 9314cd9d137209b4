import { z } from 'zod';
import type { Conversation } from '../core/conversation.ts';
import { OWNERS } from '../core/conversation.ts';
import { LANGUAGES } from '../core/language.ts';
import type { Ticket } from '../core/ticket.ts';
import { CLOSED_REASONS, PRIORITIES, TICKET_STATUSES } from '../core/ticket.ts';
import { CHANNEL_KINDS } from '../core/turn.ts';

/**
 * Schemas for records read back from a shared store (Redis), where another process or an older
 * version may have written them. Objects are loose: a field added to the core types later passes
 * through unchanged instead of being dropped by an older reader.
 */

/** Bump when a stored shape changes incompatibly; readers skip records of another version. */
export const RECORD_VERSION = 1;

const optionalString = z.string().optional();

const candidateSchema = z.looseObject({
  kind: z.enum(['faq', 'intent']),
  id: z.string(),
  score: z.number(),
  title: z.string(),
});

const problemMessageSchema = z.looseObject({ text: z.string(), candidates: z.array(candidateSchema) });

const attachmentSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  at: z.number(),
});

const transcriptLineSchema = z.looseObject({
  at: z.number(),
  from: z.enum(['customer', 'bot', 'agent', 'system']),
  text: z.string(),
  name: optionalString,
  turn: optionalString,
});

const conversationRefSchema = z.looseObject({
  channel: z.enum(CHANNEL_KINDS),
  conversationId: z.string(),
  address: z.record(z.string(), z.unknown()),
});

const customerSchema = z.looseObject({
  id: z.string(),
  name: optionalString,
  email: optionalString,
  organisation: optionalString,
  identity: z
    .looseObject({
      slackTeam: optionalString,
      slackEnterprise: optionalString,
      teamsTenant: optionalString,
    })
    .optional(),
});

const intakeSchema = z.looseObject({
  queue: z.string(),
  asking: optionalString,
  values: z.record(z.string(), z.string()),
  skipped: z.array(z.string()),
  entryId: optionalString,
  billable: z.boolean(),
  consent: z.boolean().optional(),
  attempts: z.number(),
});

export const conversationSchema = z.looseObject({
  id: z.string(),
  ref: conversationRefSchema,
  customer: customerSchema,
  owner: z.enum(OWNERS),
  language: z.enum(LANGUAGES),
  transcript: z.array(transcriptLineSchema),
  rephraseAsked: z.boolean(),
  intake: intakeSchema.optional(),
  ticketId: optionalString,
  lastAnsweredEntryId: optionalString,
  feedbackOpen: z.array(z.string()).optional(),
  attachments: z.array(attachmentSchema).optional(),
  pending: z.looseObject({ kind: z.string() }).optional(),
  problems: z.array(problemMessageSchema).optional(),
  announcements: z.looseObject({ told: z.array(z.string()), linked: optionalString }).optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  revision: optionalString,
});

const ticketEventSchema = z.looseObject({
  at: z.number(),
  type: z.string(),
  by: optionalString,
  text: optionalString,
});

export const ticketSchema = z.looseObject({
  id: z.string(),
  queue: z.string(),
  level: z.union([z.literal(2), z.literal(3)]),
  priority: z.enum(PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  details: z.record(z.string(), z.string()),
  transcript: z.array(transcriptLineSchema),
  candidates: z.array(candidateSchema),
  language: z.enum(LANGUAGES),
  customer: customerSchema,
  conversation: conversationRefSchema,
  billable: z.boolean(),
  billableConsent: z.boolean().optional(),
  assignee: optionalString,
  createdAt: z.number(),
  updatedAt: z.number(),
  reactionDueAt: z.number(),
  resolutionDueAt: z.number(),
  firstReactionAt: z.number().optional(),
  escalationRequestedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  closedReason: z.enum(CLOSED_REASONS).optional(),
  rating: z.number().optional(),
  events: z.array(ticketEventSchema),
  deskThread: conversationRefSchema.optional(),
  personalDataErasedAt: z.number().optional(),
  announcementId: optionalString,
  deskThreads: z.partialRecord(z.enum(CHANNEL_KINDS), conversationRefSchema).optional(),
  organisation: optionalString,
  slaPausedAt: z.number().optional(),
  slaPausedMs: z.number().optional(),
  attachments: z.array(attachmentSchema).optional(),
  timeEntries: z
    .array(
      z.looseObject({ at: z.number(), by: z.string(), minutes: z.number().positive(), note: optionalString }),
    )
    .optional(),
});

/** A stored record: the schema version around the data, and its logical expiry if it has one. */
export interface RecordEnvelope<T> {
  v: number;
  exp?: number | undefined;
  /** Written by Redis conversations: unique per write, so the writer can tell its own copy is current. Readers ignore it. */
  rev?: string | undefined;
  /** 1: a conversation whose transcript lines are kept apart (a Redis list), `transcript` is empty. */
  lines?: number | undefined;
  data: T;
}

export type RecordReadResult<T> =
  | { ok: true; value: T; exp?: number | undefined; rev?: string | undefined; linesApart?: boolean }
  | { ok: false; problem: string };

function readRecord<T>(
  schema: z.ZodType,
  text: string,
  /** Completes the envelope's data before validation; a string is a problem. */
  complete?: (envelope: Partial<RecordEnvelope<unknown>>) => string | undefined,
): RecordReadResult<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON (${String(error)})` };
  }
  const envelope = parsed as Partial<RecordEnvelope<unknown>>;
  if (envelope?.v !== RECORD_VERSION) return { ok: false, problem: `record version ${String(envelope?.v)}` };
  const problem = complete?.(envelope);
  if (problem !== undefined) return { ok: false, problem };
  const result = schema.safeParse(envelope.data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, problem: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return {
    ok: true,
    value: result.data as T,
    exp: typeof envelope.exp === 'number' ? envelope.exp : undefined,
    rev: typeof envelope.rev === 'string' ? envelope.rev : undefined,
    linesApart: envelope.lines === 1,
  };
}

export function writeRecord(data: unknown, exp?: number): string {
  const expiry = exp === undefined ? '' : `"exp":${exp},`;
  return `{"v":${RECORD_VERSION},${expiry}"data":${JSON.stringify(data)}}`;
}

/**
 * A conversation record; `lines` are its transcript's lines (JSON each) when the record keeps
 * them apart (`"lines":1` in the envelope, see RedisConversationStore).
 */
export const readConversation = (
  text: string,
  lines: readonly string[] = [],
): RecordReadResult<Conversation> =>
  readRecord<Conversation>(conversationSchema, text, (envelope) => {
    if (envelope.lines !== 1) return undefined;
    if (typeof envelope.data !== 'object' || envelope.data === null) return undefined;
    try {
      (envelope.data as { transcript: unknown }).transcript = JSON.parse(`[${lines.join(',')}]`);
    } catch (error) {
      return `transcript lines: not JSON (${String(error)})`;
    }
    return undefined;
  });

export const readTicket = (text: string): RecordReadResult<Ticket> => readRecord<Ticket>(ticketSchema, text);

/** True when the schema names every field of the core type; otherwise the names it misses. */
type Covers<T, Shape> = [Exclude<keyof T, keyof Shape>] extends [never]
  ? true
  : Exclude<keyof T, keyof Shape>;

// Compile-time guard: a field added to Conversation or Ticket must be added here too, or this fails.
export const recordSchemasCoverCoreTypes: [
  Covers<Conversation, typeof conversationSchema.shape>,
  Covers<Ticket, typeof ticketSchema.shape>,
] = [true, true];
