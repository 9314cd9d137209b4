import type { Action } from './action.ts';
import type { Language } from './language.ts';

/** A related FAQ entry offered as a follow-up. */
export interface EntryLink {
  entryId: string;
  title: string;
}

/** The form field being asked for during intake. */
export interface AskedField {
  name: string;
  label: string;
  required: boolean;
  /** Allowed values, when the field is a choice (impact, urgency). */
  options?: { value: string; label: string }[] | undefined;
}

export interface TicketSummary {
  id: string;
  queue: string;
  priority: string;
  status: string;
}

interface ReplyBase {
  /** Plain text (Markdown allowed in answers); every channel can show at least this. */
  text: string;
  /** What the customer can click next. */
  actions: Action[];
  language: Language;
}

/**
 * Neutral replies. Each channel renders them natively (Block Kit, Adaptive Card, HTML, terminal).
 * `type` is the discriminator and is part of the public web API.
 */
export type Reply =
  | (ReplyBase & { type: 'answer'; entryId: string; title: string; related: EntryLink[] })
  | (ReplyBase & { type: 'choices' })
  | (ReplyBase & { type: 'ask'; field: AskedField; error?: string | undefined })
  | (ReplyBase & { type: 'notice' })
  | (ReplyBase & {
      type: 'ticket';
      ticket: TicketSummary;
      position: number;
      expectedWaitMinutes: number;
    })
  | (ReplyBase & { type: 'relay'; from: string });

export type ReplyType = Reply['type'];
