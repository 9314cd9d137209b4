import type { Clock } from './clock.ts';
import type { IntakeState } from './conversation.ts';
import { countToday } from './counters.ts';
import { logQuestion, recordFeedback, recordUnanswered } from './curation-records.ts';
import type { ContractAnswersPort, HandoffPort } from './handoff-port.ts';
import type { KnowledgeLookup } from './knowledge-lookup.ts';
import type { Candidate } from './match.ts';
import { messagesFor } from './messages.ts';
import type { Stores } from './ports.ts';
import { latestProblem, noteProblem } from './problem-messages.ts';
import { isCancelWord, isNoWord, isPlainOk, isSkipWord, isYesWord } from './quick-words.ts';
import type { Reply } from './reply.ts';
import { shownStatus } from './ticket.ts';
import type { TurnContext } from './turn-context.ts';

/** Ticket ids as customers type them: SUP-1042, sup 1042, SUP1042. */
const TICKET_ID = /\bSUP[-\s]?(\d{1,9})\b/i;
/** "Did this help?" stays answerable for this many recent answers. */
const MAX_OPEN_FEEDBACK = 5;

export function findTicketId(text: string): string | undefined {
  const match = TICKET_ID.exec(text);
  return match ? `SUP-${match[1]}` : undefined;
}

export interface BotResponderDeps {
  stores: Stores;
  knowledge: KnowledgeLookup;
  handoff: HandoffPort;
  /** The customer's own contract figures beside the general answer (balance, SLA times). */
  contractAnswers?: ContractAnswersPort | undefined;
  clock: Clock;
  /** Starts intake on the conversation and returns its first replies. */
  startIntake: (context: TurnContext, reason: NonNullable<IntakeState['reason']>) => Promise<Reply[]>;
}

/** The bot's own answers while it owns the conversation: FAQ, "did you mean", small talk, feedback. */
export class BotResponder {
  constructor(private readonly deps: BotResponderDeps) {}

  async respond(context: TurnContext): Promise<Reply[]> {
    const { conversation, action } = context;
    // A conversation is new in the turn that made it (its creation time is the turn's).
    if (conversation.createdAt === context.now)
      await countToday(this.deps.stores, this.deps.clock, 'conversations');
    const pending = conversation.pending;
    conversation.pending = undefined;

    if (pending?.kind === 'feedback-reason') {
      const handled = await this.feedbackReason(context, pending.entryId);
      if (handled) return handled;
    }
    if (action) return this.onAction(context);
    const text = context.text ?? '';

    if (pending?.kind === 'offer-person') {
      if (isYesWord(text) || context.shortIntent === 'affirm')
        return this.deps.startIntake(context, 'not-helpful');
      if (isNoWord(text) || context.shortIntent === 'deny')
        return [this.notice(context, messagesFor(context.language).okay)];
    }
    if (pending?.kind === 'did-it-help' && !isPlainOk(text)) {
      if (isYesWord(text) || context.shortIntent === 'affirm')
        return this.feedback(context, pending.entryId, true);
      if (isNoWord(text) || context.shortIntent === 'deny')
        return this.feedback(context, pending.entryId, false);
    }

    const ticketId = findTicketId(text);
    if (ticketId) return [await this.ticketStatus(context, ticketId)];

    const verdict = context.verdict;
    await logQuestion(this.deps.stores, context, text);
    if (verdict.kind === 'ambiguous') {
      const entries = verdict.options.filter((c) => c.kind === 'faq');
      // "How many hours are left on our contract?" from a customer whose contract the bot knows:
      // the leading entry is about their own figures, which the bot can give rather than ask.
      const leading = verdict.options[0];
      if (
        leading?.kind === 'faq' &&
        this.deps.contractAnswers?.covers(leading.id, context.conversation.customer)
      ) {
        return this.onCandidate(context, leading);
      }
      if (entries.length >= 2) return [this.choices(context, entries)];
      const first = verdict.options[0];
      if (first) return this.onCandidate(context, first);
    }
    if (verdict.kind === 'clear') return this.onCandidate(context, verdict.best);
    if (context.match?.outOfScope) return this.outOfScope(context, text);
    return this.notUnderstood(context, text);
  }

  private async onCandidate(context: TurnContext, best: Candidate): Promise<Reply[]> {
    if (best.kind === 'faq') {
      if (context.text) noteProblem(context.conversation, context.text, context.match);
      return this.answer(context, best.id);
    }
    const say = messagesFor(context.language);
    switch (best.id) {
      case 'greeting':
        return [this.notice(context, say.greeting)];
      case 'thanks':
        return [this.notice(context, say.thanks)];
      case 'goodbye':
        return [this.notice(context, say.goodbye)];
      case 'capabilities':
        return [
          {
            type: 'notice',
            text: say.capabilities,
            actions: [this.personAction(context)],
            language: context.language,
          },
        ];
      case 'cancel':
        return [this.notice(context, say.nothingToCancel)];
      case 'human':
        return this.deps.startIntake(context, 'person');
      case 'ticket-status':
        return [await this.ownTickets(context)];
      default:
        return [this.notice(context, say.okay)];
    }
  }

  private async onAction(context: TurnContext): Promise<Reply[]> {
    const action = context.action;
    const say = messagesFor(context.language);
    switch (action?.type) {
      case 'show-entry':
        return this.answer(context, action.entryId);
      case 'feedback':
        return this.feedback(context, action.entryId, action.helpful, action.reason);
      case 'talk-to-person':
        return this.deps.startIntake(context, 'person');
      case 'submit-form':
        // A problem form sent straight away (Slack "Report a problem", /support, a Teams card).
        return this.deps.startIntake(context, 'form');
      case 'none-of-these':
        return this.notUnderstood(context, latestProblem(context.conversation)?.text, 'none-of-these');
      case 'cancel':
        return [this.notice(context, say.nothingToCancel)];
      default:
        return [this.notice(context, say.staleAction)];
    }
  }

  /** A clear FAQ answer: text, title, related follow-ups, "Did this help?", "Talk to a person". */
  async answer(context: TurnContext, entryId: string): Promise<Reply[]> {
    const { language, conversation } = context;
    const say = messagesFor(language);
    const entry = this.deps.knowledge.entry(entryId, language);
    if (!entry) return [this.notice(context, say.choiceGone)];
    const related = entry.related
      .map((id) => this.deps.knowledge.entry(id, language))
      .filter((e) => e !== undefined)
      .slice(0, 3)
      .map((e) => ({ entryId: e.id, title: e.title }));
    conversation.lastAnsweredEntryId = entry.id;
    conversation.feedbackOpen = [
      ...(conversation.feedbackOpen ?? []).filter((id) => id !== entry.id),
      entry.id,
    ].slice(-MAX_OPEN_FEEDBACK);
    conversation.rephraseAsked = false;
    conversation.pending = { kind: 'did-it-help', entryId: entry.id };
    await countToday(this.deps.stores, this.deps.clock, 'answered');
    await countToday(this.deps.stores, this.deps.clock, `answered:${entry.id}`);
    const own = await this.deps.contractAnswers?.forEntry(
      entry.id,
      conversation.customer,
      context.text,
      language,
    );
    return [
      // The customer's own figures first: they asked about their contract, not contracts in general.
      ...(own ? [this.notice(context, own)] : []),
      {
        type: 'answer',
        entryId: entry.id,
        title: entry.title,
        text: entry.answer,
        related,
        actions: [
          ...related.map((r) => ({ type: 'show-entry' as const, entryId: r.entryId, label: r.title })),
          { type: 'feedback', entryId: entry.id, helpful: true, label: say.helpfulYes },
          { type: 'feedback', entryId: entry.id, helpful: false, label: say.helpfulNo },
          this.personAction(context),
        ],
        language,
      },
    ];
  }

  private choices(context: TurnContext, options: Candidate[]): Reply {
    const { language } = context;
    const say = messagesFor(language);
    if (context.text) noteProblem(context.conversation, context.text, context.match);
    const shown = options.map((c) => ({
      entryId: c.id,
      title: this.deps.knowledge.entry(c.id, language)?.title ?? c.title,
    }));
    return {
      type: 'choices',
      text: say.didYouMean(shown.map((s) => s.title)),
      actions: [
        ...shown.map((s) => ({ type: 'show-entry' as const, entryId: s.entryId, label: s.title })),
        { type: 'none-of-these', label: say.noneOfThese },
      ],
      language,
    };
  }

  /**
   * Asks once to rephrase (and records the question); the second time starts intake. The
   * question (the rephrasing too) is the latest message about the problem.
   */
  private async notUnderstood(
    context: TurnContext,
    question: string | undefined,
    source: 'not-understood' | 'none-of-these' = 'not-understood',
  ): Promise<Reply[]> {
    const { conversation, language } = context;
    if (question) {
      // "None of these" is about the problem's message; its candidates were those offered.
      const offered = source === 'none-of-these' ? latestProblem(conversation)?.candidates : undefined;
      noteProblem(conversation, question, question === context.text ? context.match : undefined);
      await recordUnanswered(this.deps.stores, this.deps.clock, context, { question, source, offered });
    }
    if (!conversation.rephraseAsked) {
      conversation.rephraseAsked = true;
      const say = messagesFor(language);
      return [{ type: 'notice', text: say.rephrase, actions: [this.personAction(context)], language }];
    }
    return this.deps.startIntake(context, 'not-understood');
  }

  /**
   * Something first-level IT support does not answer (weather, jokes): said so, with a person on
   * offer. It is not about the customer's problem: never proposed as a ticket's summary, and it
   * does not use up the one "please rephrase". Kept for curators like any unanswered question.
   */
  private async outOfScope(context: TurnContext, text: string): Promise<Reply[]> {
    await recordUnanswered(this.deps.stores, this.deps.clock, context, {
      question: text,
      source: 'out-of-scope',
    });
    const say = messagesFor(context.language);
    return [
      {
        type: 'notice',
        text: say.outOfScope,
        actions: [this.personAction(context)],
        language: context.language,
      },
    ];
  }

  private async feedback(
    context: TurnContext,
    entryId: string,
    helpful: boolean,
    reason?: string,
  ): Promise<Reply[]> {
    const { conversation, language } = context;
    const say = messagesFor(language);
    // Older conversations know only their last answer.
    const open =
      conversation.feedbackOpen ??
      (conversation.lastAnsweredEntryId ? [conversation.lastAnsweredEntryId] : []);
    if (!open.includes(entryId)) return [this.notice(context, say.staleAction)];
    conversation.feedbackOpen = open.filter((id) => id !== entryId);
    await countToday(this.deps.stores, this.deps.clock, helpful ? 'feedback-positive' : 'feedback-negative');
    if (helpful) {
      await this.saveFeedback(context, entryId, true);
      // Solved: what comes next is a new problem.
      conversation.problems = undefined;
      return [this.notice(context, say.feedbackThanks)];
    }
    if (reason !== undefined) {
      await this.saveFeedback(context, entryId, false, reason);
      conversation.pending = { kind: 'offer-person' };
      return [this.offerPerson(context)];
    }
    conversation.pending = { kind: 'feedback-reason', entryId };
    return [
      {
        type: 'notice',
        text: say.feedbackAskReason,
        actions: [{ type: 'skip', field: 'feedback-reason', label: say.skip }, this.personAction(context)],
        language,
      },
    ];
  }

  /**
   * The turn after "what was missing?": its text is the reason (or "skip"). A click instead still
   * saves the feedback, then is handled as usual (undefined).
   */
  private async feedbackReason(context: TurnContext, entryId: string): Promise<Reply[] | undefined> {
    const { text, action } = context;
    const verdict = context.verdict;
    const wantsPerson =
      verdict.kind === 'clear' && verdict.best.kind === 'intent' && verdict.best.id === 'human';
    if (action?.type === 'talk-to-person' || wantsPerson) {
      await this.saveFeedback(context, entryId, false);
      return this.deps.startIntake(context, 'not-helpful');
    }
    if (action?.type === 'skip' || (text !== undefined && isSkipWord(text))) {
      await this.saveFeedback(context, entryId, false);
      context.conversation.pending = { kind: 'offer-person' };
      return [this.offerPerson(context)];
    }
    if (text !== undefined && isCancelWord(text)) {
      await this.saveFeedback(context, entryId, false);
      return [this.notice(context, messagesFor(context.language).okay)];
    }
    if (text === undefined) {
      await this.saveFeedback(context, entryId, false);
      return undefined;
    }
    await this.saveFeedback(context, entryId, false, text);
    context.conversation.pending = { kind: 'offer-person' };
    return [this.offerPerson(context)];
  }

  private saveFeedback(
    context: TurnContext,
    entryId: string,
    helpful: boolean,
    reason?: string,
  ): Promise<void> {
    return recordFeedback(this.deps.stores, context, { entryId, helpful, reason });
  }

  private offerPerson(context: TurnContext): Reply {
    const say = messagesFor(context.language);
    return {
      type: 'notice',
      text: say.feedbackOfferPerson,
      actions: [this.personAction(context), { type: 'cancel', label: say.noThanks }],
      language: context.language,
    };
  }

  /** Status of one ticket; only the customer's own tickets are shown (others read as unknown). */
  async ticketStatus(context: TurnContext, ticketId: string): Promise<Reply> {
    const { language, conversation } = context;
    const say = messagesFor(language);
    const ticket = await this.deps.stores.tickets.get(ticketId);
    if (!ticket || ticket.customer.id !== conversation.customer.id) {
      return this.notice(context, say.ticketNotFound(ticketId));
    }
    const standing = await this.deps.handoff.standing(ticket);
    let extra = '';
    if (standing.position !== undefined)
      extra = say.ticketPosition(standing.position, standing.expectedWaitMinutes ?? 0);
    else if (ticket.assignee && ticket.status === 'claimed') extra = say.ticketAssignee(ticket.assignee);
    const text = say.ticketStatus(
      ticket.id,
      say.status[shownStatus(ticket)],
      this.deps.handoff.queueName(ticket.queue, language),
      extra,
    );
    // An open ticket's due times (and, outside business hours, when the team is back).
    const open = ticket.status === 'queued' || ticket.status === 'claimed';
    const details = open ? ` ${this.deps.handoff.statusDetails(ticket, standing, language)}` : '';
    return this.notice(context, `${text}${details}`);
  }

  private async ownTickets(context: TurnContext): Promise<Reply> {
    const say = messagesFor(context.language);
    const tickets = await this.deps.stores.tickets.list({
      customerId: context.conversation.customer.id,
      status: ['queued', 'claimed'],
    });
    if (tickets.length === 0) return this.notice(context, say.noTickets);
    const lines: string[] = [];
    for (const ticket of tickets.slice(0, 5))
      lines.push(`- ${(await this.ticketStatus(context, ticket.id)).text}`);
    return this.notice(context, say.openTickets(lines.join('\n')));
  }

  private personAction(context: TurnContext) {
    return { type: 'talk-to-person' as const, label: messagesFor(context.language).talkToPerson };
  }

  private notice(context: TurnContext, text: string): Reply {
    return { type: 'notice', text, actions: [], language: context.language };
  }
}
