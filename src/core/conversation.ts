import type { Attachment } from './attachment.ts';
import type { Language } from './language.ts';
import type { Candidate } from './match.ts';
import type { ConversationRef, Customer } from './turn.ts';

/** Who speaks for the bot side of a conversation. Exactly one at a time. */
export const OWNERS = ['bot', 'intake', 'queued', 'agent', 'closed'] as const;
export type Owner = (typeof OWNERS)[number];

export interface TranscriptLine {
  at: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  /** Agent name for agent lines. */
  name?: string | undefined;
  /** The turn a customer line came with: a turn resumed after a crash is applied once. */
  turn?: string | undefined;
}

/** Intake in progress: the form being filled and what is known so far. */
export interface IntakeState {
  queue: string;
  /** Field name currently asked for, or undefined when all are collected. */
  asking?: string | undefined;
  values: Record<string, string>;
  /** Fields the customer chose to skip. */
  skipped: string[];
  /** Entry that led here, if any (its queue / billable flag). */
  entryId?: string | undefined;
  billable: boolean;
  /** For billable topics: undefined = not asked yet. */
  consent?: boolean | undefined;
  /** Re-prompts for the current field, to give up gracefully after a few. */
  attempts: number;
  /** A value offered for confirmation (the first question as summary). */
  proposed?: string | undefined;
  /**
   * Why intake started: the customer asked for a person, the bot did not understand, an answer
   * did not help, or the customer sent a problem form (Slack modal, Teams card) right away.
   */
  reason?: 'person' | 'not-understood' | 'not-helpful' | 'form' | undefined;
  /**
   * The ticket id reserved for this intake's hand-off, written before the ticket is created: a
   * repeated hand-off (the conversation could not be saved after the ticket was) finds the ticket
   * instead of opening a second one.
   */
  ticketId?: string | undefined;
  /** The announcement (incident) the customer insisted on a ticket for: the ticket is linked to it. */
  announcementId?: string | undefined;
}

/** A question the bot asked outside intake whose answer gives meaning to the next message. */
export type PendingQuestion =
  /** Right after an answer: a typed "yes"/"no" is feedback on it. */
  | { kind: 'did-it-help'; entryId: string }
  /** After "Did this help?" → no: the next text is the (optional) reason. */
  | { kind: 'feedback-reason'; entryId: string }
  /** "Shall I hand this to a person?": yes/no. */
  | { kind: 'offer-person' }
  /** After a resolve: a rating 1–5 for this ticket. */
  | { kind: 'rating'; ticketId: string };

/**
 * A message of the customer's about their problem: one the bot answered from the FAQ, offered
 * "Did you mean" for, or did not understand. Never an out-of-scope message, small talk or a
 * request for a person. The latest is proposed as the ticket's summary.
 */
export interface ProblemMessage {
  text: string;
  /** The FAQ entries the bot considered for it, best first (never intents). */
  candidates: Candidate[];
}

export interface Conversation {
  id: string;
  ref: ConversationRef;
  customer: Customer;
  owner: Owner;
  /** Sticky default language; each message may still switch it. */
  language: Language;
  transcript: TranscriptLine[];
  /**
   * The customer's messages about the problem at hand, oldest first (the latest few): the summary
   * proposed at hand-off and the ticket's candidates come from them. Emptied when the problem is
   * settled (an answer helped, a ticket was opened, the intake was cancelled). Absent in
   * conversations stored by older versions.
   */
  problems?: ProblemMessage[] | undefined;
  /** Set after "could you rephrase?", so it is asked only once. */
  rephraseAsked: boolean;
  intake?: IntakeState | undefined;
  /** The open ticket (queued/agent) or the last one (closed). */
  ticketId?: string | undefined;
  /** Entry last answered, for "Did this help?". */
  lastAnsweredEntryId?: string | undefined;
  /**
   * Entries whose "Did this help?" was offered and not yet answered, newest last (a few): feedback
   * is taken only for these, so a client cannot rate entries it was never shown, or one twice.
   */
  feedbackOpen?: string[] | undefined;
  /**
   * Announcements (maintenance, incidents) this conversation was told of, and the one its report
   * is linked to. Absent until the first.
   */
  announcements?: { told: string[]; linked?: string | undefined } | undefined;
  /** Files the customer sent before a ticket existed: the next ticket of this conversation takes them. */
  attachments?: Attachment[] | undefined;
  /** What the bot just asked, outside intake. */
  pending?: PendingQuestion | undefined;
  createdAt: number;
  updatedAt: number;
  /**
   * The store's mark of the version this copy was read at (set by the store on get and put);
   * a write goes through only while the stored conversation is still at it. Absent: new.
   */
  revision?: string | undefined;
}
