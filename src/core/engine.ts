import type { ActiveAnnouncements } from './announcement.ts';
import { AnnouncementResponder } from './announcement-responder.ts';
import { BotResponder } from './bot-responder.ts';
import { cleanText } from './clean-text.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Conversation, IntakeState } from './conversation.ts';
import { ConversationLocks } from './conversation-locks.ts';
import { appendTranscript, appliedIn, handoffUnfinished, newConversation } from './conversation-record.ts';
import { countToday } from './counters.ts';
import { customerLanguage, languageAfterMessage } from './customer-language.ts';
import { ConversationConflictError } from './errors.ts';
import { HandedOverResponder } from './handed-over-responder.ts';
import type { ContractAnswersPort, HandoffPort, TicketFollowUpPort } from './handoff-port.ts';
import type { IntakePort } from './intake-port.ts';
import type { KnowledgeLookup } from './knowledge-lookup.ts';
import type { Language } from './language.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from './logger.ts';
import {
  type Candidate,
  decideMatch,
  type Matcher,
  type MatchResult,
  type MatchThresholds,
  type Verdict,
} from './match.ts';
import { messagesFor } from './messages.ts';
import { statusQuestion, wantsEscalation } from './open-ticket-requests.ts';
import { moveOwner } from './owner-transition.ts';
import type { Stores } from './ports.ts';
import { faqCandidates, latestProblem, ticketCandidates } from './problem-messages.ts';
import type { Reply } from './reply.ts';
import type { Turn } from './turn.ts';
import type { TurnContext } from './turn-context.ts';
import { answerOfApplied, answerToRepeat, apology } from './turn-replies.ts';

export interface EngineDeps {
  /** Understanding: intents + FAQ candidates (src/understanding/understanding.ts). */
  matcher: Matcher;
  /** FAQ entries by id (Understanding implements this too). */
  knowledge: KnowledgeLookup;
  stores: Stores;
  /** Collects a problem's details (src/intake/intake-flow.ts). */
  intake: IntakePort;
  /** Opens and follows tickets (src/handoff/handoff.ts). */
  handoff: HandoffPort;
  /** A ticket's files and its reopening by the customer (src/handoff/ticket-follow-up.ts). */
  followUp: TicketFollowUpPort;
  /** The customer's own contract figures (src/handoff/contract-answers.ts); none: general answers only. */
  contractAnswers?: ContractAnswersPort | undefined;
  /** The queue of a problem no FAQ entry names (config/support.yaml, defaultQueue). */
  defaultQueue: string;
  thresholds: MatchThresholds;
  clock?: Clock;
  /** Shared with the AgentDesk so agent actions and customer turns never interleave. */
  locks?: ConversationLocks;
  log?: Logger;
  /** How long a turn id is remembered for de-duplication (default 24 h). */
  dedupeTtlMs?: number;
  /** Maintenance windows and incidents, told before the bot's own answer (none when absent). */
  announcements?: ActiveAnnouncements | undefined;
}

/** Longer messages are cut: nobody types more in a chat, and the matcher needs no more. */
export const MAX_MESSAGE_CHARS = 4000;
/** A turn whose conversation keeps being changed meanwhile gives up after this many runs. */
const MAX_TURN_ATTEMPTS = 4;
/** Short messages are where yes/no/cancel intents decide; in longer ones they are noise. */
const MAX_WORDS_FOR_SHORT_INTENT = 5;

/**
 * The conversation engine: one turn in, the replies out. The conversation's owner decides who
 * speaks (bot, intake, queued, agent, closed). One error boundary per turn; never throws.
 */
export class Engine {
  readonly locks: ConversationLocks;
  private readonly handoff: HandoffPort;
  private readonly intake: IntakePort;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly dedupeTtlMs: number;
  private readonly bot: BotResponder;
  private readonly handedOver: HandedOverResponder;
  private readonly announcements: AnnouncementResponder | undefined;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.locks = deps.locks ?? new ConversationLocks();
    this.dedupeTtlMs = deps.dedupeTtlMs ?? 24 * 60 * 60_000;
    this.intake = deps.intake;
    this.handoff = deps.handoff;
    this.bot = new BotResponder({
      stores: deps.stores,
      knowledge: deps.knowledge,
      handoff: deps.handoff,
      contractAnswers: deps.contractAnswers,
      clock: this.clock,
      startIntake: (context, reason) => this.startIntake(context, reason),
    });
    this.handedOver = new HandedOverResponder({ stores: deps.stores, handoff: deps.handoff });
    this.announcements = deps.announcements
      ? new AnnouncementResponder({
          announcements: deps.announcements,
          startIntake: (context, reason) => this.startIntake(context, reason),
        })
      : undefined;
  }

  async handle(turn: Turn): Promise<Reply[]> {
    let language: Language = customerLanguage(undefined, turn.locale);
    try {
      return await this.locks.run(turn.conversation.conversationId, async () => {
        // Asked together: with Redis both are on the wire before either answer is awaited.
        const [first, stored] = await Promise.all([
          this.deps.stores.dedupe.firstSeen(`turn:${turn.id}`, this.dedupeTtlMs),
          this.deps.stores.conversations.get(turn.conversation.conversationId),
        ]);
        let current = stored;
        if (!first && !handoffUnfinished(stored) && !(turn.resumed && !appliedIn(stored, turn.id))) {
          const ids = { turnId: turn.id, conversationId: turn.conversation.conversationId };
          if (!turn.replay) {
            this.log.info('duplicate turn ignored', ids);
            return [];
          }
          const repeat = await answerToRepeat(this.deps.stores, turn);
          if ('replies' in repeat) return repeat.replies;
          this.log.warn('a repeated turn whose first attempt left nothing runs again', ids);
          current = repeat.runOn;
        }
        for (let attempt = 1; ; attempt++) {
          try {
            const context = await this.prepare(turn, current);
            language = context.language;
            const replies = await this.process(context);
            if (turn.replay) {
              await this.deps.stores.responses.put(`turn:${turn.id}`, replies, this.dedupeTtlMs);
            }
            return replies;
          } catch (error) {
            // Another process or an agent wrote the conversation meanwhile: the turn runs again
            // on what is stored now (its ticket messages are added once; see Handoff.record).
            if (!(error instanceof ConversationConflictError) || attempt >= MAX_TURN_ATTEMPTS) throw error;
            this.log.info('conversation changed meanwhile, turn runs again', { turnId: turn.id, attempt });
            current = await this.deps.stores.conversations.get(turn.conversation.conversationId);
            // This very turn was applied (by this attempt's write, whose answer was lost, or by
            // another attempt): it is not applied twice, and the customer still gets its answer.
            // Unless it got only as far as reserving a ticket: then it runs again and finishes it.
            if (appliedIn(current, turn.id) && !handoffUnfinished(current)) {
              return answerOfApplied(this.deps.stores, turn, current, error.replies, this.dedupeTtlMs);
            }
          }
        }
      });
    } catch (error) {
      this.log.error('turn failed', {
        code: errorCode(error),
        error: errorMessage(error),
        turnId: turn.id,
        conversationId: turn.conversation.conversationId,
      });
      return [apology(language)];
    }
  }

  /** Starts the conversation (unless stored), cleans the text, understands it, settles the language. */
  private async prepare(turn: Turn, stored: Conversation | undefined): Promise<TurnContext> {
    const now = this.clock.now();
    const conversation = stored ?? newConversation(turn, now);
    // The latest address wins: proactive messages go where the customer wrote last.
    conversation.ref = turn.conversation;
    conversation.customer = turn.customer;

    const raw = turn.text === undefined ? undefined : cleanText(turn.text.slice(0, MAX_MESSAGE_CHARS * 2));
    const text = raw === undefined ? undefined : raw.slice(0, MAX_MESSAGE_CHARS);
    let match: MatchResult | undefined;
    let verdict: Verdict = { kind: 'none' };
    if (text) {
      match = await this.understand(text, stored ? conversation.language : turn.locale);
      verdict = decideMatch(match, this.deps.thresholds);
      conversation.language = languageAfterMessage(conversation, { text, readsAs: match.language });
    }
    const language = conversation.language;
    // cleanText leaves single spaces as the only white space.
    const words = text ? text.split(' ').length : 0;
    const shortIntent =
      verdict.kind === 'clear' && verdict.best.kind === 'intent' && words <= MAX_WORDS_FOR_SHORT_INTENT
        ? verdict.best.id
        : undefined;
    return {
      turn,
      conversation,
      language,
      text: text || undefined,
      action: turn.action,
      match,
      verdict,
      shortIntent,
      now,
    };
  }

  private async understand(text: string, hint: Language | undefined): Promise<MatchResult> {
    const options = hint ? { languageHint: hint } : {};
    const { matcher } = this.deps;
    return matcher.matchAsync ? matcher.matchAsync(text, options) : matcher.match(text, options);
  }

  private async process(context: TurnContext): Promise<Reply[]> {
    const { conversation, text, action } = context;
    const kept = await this.deps.followUp.keepAttachments(context);
    if (kept && text === undefined && action === undefined) {
      const names = (context.turn.attachments ?? []).map((a) => a.name).join(', ');
      appendTranscript(conversation, {
        at: context.now,
        from: 'customer',
        text: `📎 ${names}`,
        turn: context.turn.id,
      });
      return this.finish(context, [kept]);
    }
    if (text === undefined && action === undefined) {
      // Only invisible characters (zero-width, controls) were sent: say so rather than stay silent.
      // Nothing at all (a platform event without text) stays unanswered.
      if (context.turn.text === undefined || /^[ \t\r\n]*$/.test(context.turn.text)) return [];
      const language = context.language;
      return [{ type: 'notice', text: messagesFor(language).emptyMessage, actions: [], language }];
    }
    appendTranscript(conversation, {
      at: context.now,
      from: 'customer',
      // The label comes back from the client: cleaned like typed text before anyone sees it.
      text: text ?? `[${cleanText(action?.label ?? '')}]`,
      turn: context.turn.id,
    });

    const replies = await this.route(context);
    if (kept) replies.unshift(kept);
    if ((context.turn.text?.length ?? 0) > MAX_MESSAGE_CHARS) {
      replies.unshift({
        type: 'notice',
        text: messagesFor(context.language).tooLong,
        actions: [],
        language: context.language,
      });
    }
    return this.finish(context, replies);
  }

  /** The bot's replies into the transcript, the conversation stored (at the revision it was read). */
  private async finish(context: TurnContext, replies: Reply[]): Promise<Reply[]> {
    const { conversation } = context;
    for (const reply of replies)
      appendTranscript(conversation, { at: context.now, from: 'bot', text: reply.text });
    conversation.updatedAt = context.now;
    if ((await this.deps.stores.conversations.put(conversation)) === 'conflict') {
      throw new ConversationConflictError(conversation.id, replies);
    }
    await countToday(this.deps.stores, this.clock, 'turns');
    return replies;
  }

  private async route(context: TurnContext): Promise<Reply[]> {
    const { conversation, action } = context;
    if (action?.type === 'rate') return this.rate(context, action.ticketId, action.rating);
    if (action?.type === 'reopen') return this.reopen(context, action.ticketId);

    if (conversation.owner === 'closed') {
      const pending = conversation.pending;
      const digit = context.text?.match(/^\s*([1-5])\s*(?:\/\s*5)?\s*[.!]?\s*$/)?.[1];
      if (pending?.kind === 'rating' && digit) return this.rate(context, pending.ticketId, Number(digit));
      if (pending?.kind === 'rating' && context.text && this.deps.followUp.saysNotSolved(context.text)) {
        return this.reopen(context, pending.ticketId);
      }
      moveOwner(conversation, { type: 'new-topic' });
    }
    if (conversation.owner === 'queued' || conversation.owner === 'agent') {
      const ticket = await this.handedOver.openTicket(context);
      if (ticket && wantsEscalation(context)) return this.handedOver.escalationRequested(context, ticket);
      if (ticket && conversation.owner === 'agent') return this.handedOver.agent(context, ticket);
      if (ticket) {
        const asked = statusQuestion(context);
        if (asked) {
          // Answered, and added to the ticket too: a message naming a ticket may well be news for it.
          await this.handedOver.addToTicket(context, ticket);
          return [await this.bot.ticketStatus(context, asked === true ? ticket.id : asked)];
        }
        return this.handedOver.queued(context, ticket);
      }
      moveOwner(conversation, { type: 'ticket-closed-elsewhere' });
    }
    if (conversation.owner === 'intake') return this.continueIntake(context);
    const answer = () => this.bot.respond(context);
    return this.announcements ? this.announcements.respond(context, answer) : answer();
  }

  private async continueIntake(context: TurnContext): Promise<Reply[]> {
    const { conversation } = context;
    const state = conversation.intake;
    if (!state) {
      moveOwner(conversation, { type: 'intake-ended' });
      return this.bot.respond(context);
    }
    // The ticket of this intake exists already (an earlier hand-off stopped half way): the
    // customer learns about it, whatever this message says.
    const resumed = await this.handoff.resume(conversation);
    if (resumed) return [resumed.reply];
    const outcome = this.intake.step(
      state,
      { text: context.text, action: context.action, intent: context.shortIntent },
      context.language,
    );
    switch (outcome.kind) {
      case 'continue':
        return outcome.replies;
      case 'complete': {
        const candidates = await ticketCandidates(conversation.problems, state.values.summary, (summary) =>
          this.summaryCandidates(summary, context.language),
        );
        const { reply } = await this.handoff.openTicket(conversation, candidates);
        return [...outcome.replies, reply];
      }
      case 'cancelled':
      case 'declined':
        moveOwner(conversation, { type: 'intake-ended' });
        return outcome.replies;
    }
  }

  /** The FAQ entries the bot considers for a summary the customer wrote themselves. */
  private async summaryCandidates(summary: string, language: Language): Promise<Candidate[]> {
    return faqCandidates(await this.understand(summary, language));
  }

  private async startIntake(
    context: TurnContext,
    reason: NonNullable<IntakeState['reason']>,
  ): Promise<Reply[]> {
    const { conversation, language, action } = context;
    const form = action?.type === 'submit-form' ? action.values : undefined;
    const entryId = reason === 'not-understood' ? undefined : conversation.lastAnsweredEntryId;
    const entry = entryId ? this.deps.knowledge.entry(entryId, language) : undefined;
    let queue = entry?.queue ?? this.deps.defaultQueue;
    // A form was made for one queue's fields; one that does not fit the entry's queue goes to the default.
    if (form && !this.intake.fits(queue, form)) queue = this.deps.defaultQueue;
    const { state, replies } = this.intake.begin(
      {
        queue,
        entryId: entry?.id,
        billable: entry?.billable ?? false,
        reason,
        question: latestProblem(conversation)?.text,
      },
      language,
    );
    moveOwner(conversation, { type: 'intake-started', intake: state });
    // A form (Slack modal, Teams card) fills the intake at once: only its outcome is said — the
    // ticket, or the fields to put right (or the consent question first, values kept).
    if (form) return this.continueIntake(context);
    return replies;
  }

  private async rate(context: TurnContext, ticketId: string, rating: number): Promise<Reply[]> {
    const { conversation, language } = context;
    const say = messagesFor(language);
    const ticket = await this.deps.stores.tickets.get(ticketId);
    const valid = Number.isInteger(rating) && rating >= 1 && rating <= 5;
    if (!ticket || ticket.customer.id !== conversation.customer.id || !valid) {
      return [{ type: 'notice', text: say.staleAction, actions: [], language }];
    }
    await this.handoff.record(
      ticketId,
      { type: 'rated', by: conversation.customer.id, text: String(rating) },
      (t) => ({
        ...t,
        rating,
      }),
    );
    await countToday(this.deps.stores, this.clock, 'ratings');
    if (conversation.pending?.kind === 'rating') conversation.pending = undefined;
    return [{ type: 'notice', text: say.ratingThanks, actions: [], language }];
  }

  private reopen(context: TurnContext, ticketId: string): Promise<Reply[]> {
    return this.deps.followUp.reopen(context, ticketId, (c, t) => this.handedOver.addToTicket(c, t));
  }
}
