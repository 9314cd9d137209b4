import type { Action } from './action.ts';
import type { ActiveAnnouncements, Announcement } from './announcement.ts';
import { announcementWording, insistsOnTicket, reportsProblem } from './announcement-messages.ts';
import type { Conversation, IntakeState } from './conversation.ts';
import { noteProblem } from './problem-messages.ts';
import type { Reply } from './reply.ts';
import type { TurnContext } from './turn-context.ts';

/** Announcements a conversation remembers having been told of (the latest few). */
const MAX_TOLD = 10;

export interface AnnouncementResponderDeps {
  announcements: ActiveAnnouncements;
  /** Starts intake on the conversation and returns its first replies. */
  startIntake: (context: TurnContext, reason: NonNullable<IntakeState['reason']>) => Promise<Reply[]>;
}

/**
 * The step before the bot's own answer while the bot owns the conversation. A message about a
 * service with an active maintenance window or incident is told its status at once; a report of a
 * fault is linked to the announcement instead of becoming a ticket (the customer may still insist:
 * the button or "trotzdem Ticket" starts the usual hand-off, its ticket linked); a question about
 * the service hears the status once, before the usual answer.
 */
export class AnnouncementResponder {
  constructor(private readonly deps: AnnouncementResponderDeps) {}

  async respond(context: TurnContext, answer: () => Promise<Reply[]>): Promise<Reply[]> {
    const { conversation, text, now } = context;
    const linkedId = conversation.announcements?.linked;
    if (linkedId && text !== undefined && insistsOnTicket(text)) {
      const linked = await this.deps.announcements.active(linkedId, now);
      if (linked) return this.ticketAnyway(context, linked);
    }
    const found = text ? await this.deps.announcements.matching(text, now) : [];
    const announcement = found[0];
    if (!announcement || text === undefined) return this.linkIntake(context, await answer());
    const say = announcementWording(context.language);
    const status = say.told(
      announcement,
      this.deps.announcements.serviceName(announcement.service, context.language),
      this.deps.announcements.timeZone,
    );
    const alreadyTold = conversation.announcements?.told.includes(announcement.id) ?? false;
    this.markTold(conversation, announcement.id);

    const insists = insistsOnTicket(text);
    if (insists || reportsProblem(text)) {
      if (linkedId !== announcement.id) {
        const linked = await this.deps.announcements.link(announcement.id, {
          conversationId: conversation.id,
          customerId: conversation.customer.id,
          ref: conversation.ref,
          language: context.language,
          at: now,
        });
        // Ended meanwhile: nothing to link to, the usual way it is.
        if (!linked) return this.linkIntake(context, await answer());
        conversation.announcements = {
          told: conversation.announcements?.told ?? [],
          linked: announcement.id,
        };
      }
      // The report is the problem an intake would propose as the ticket's summary; whatever the
      // bot had asked before ("did this help?") is not what this message answers.
      noteProblem(conversation, text, context.match);
      conversation.pending = undefined;
      if (insists) return this.ticketAnyway(context, announcement);
      const next = linkedId === announcement.id ? say.alreadyLinked : say.linked;
      return [this.notice(context, `${status}\n\n${next}`, [this.anywayAction(context)])];
    }
    // A question about the service, not a fault: the status once, then the usual answer.
    const answered = await this.linkIntake(context, await answer());
    return alreadyTold ? answered : [this.notice(context, status, []), ...answered];
  }

  /** The customer insists on a ticket: the usual hand-off, its ticket linked to the announcement. */
  private async ticketAnyway(context: TurnContext, announcement: Announcement): Promise<Reply[]> {
    const replies = await this.deps.startIntake(context, 'person');
    const intake = context.conversation.intake;
    if (intake) intake.announcementId = announcement.id;
    const say = announcementWording(context.language);
    return [this.notice(context, say.ticketAnywayStarted, []), ...replies];
  }

  /** An intake the bot's answer started ("talk to a person", the button) while linked: its ticket is linked too. */
  private async linkIntake(context: TurnContext, replies: Reply[]): Promise<Reply[]> {
    const { conversation } = context;
    const linkedId = conversation.announcements?.linked;
    const intake = conversation.intake;
    if (linkedId && conversation.owner === 'intake' && intake && intake.announcementId === undefined) {
      if (await this.deps.announcements.active(linkedId, context.now)) intake.announcementId = linkedId;
    }
    return replies;
  }

  private markTold(conversation: Conversation, id: string): void {
    const state = conversation.announcements ?? { told: [] };
    if (!state.told.includes(id)) state.told = [...state.told, id].slice(-MAX_TOLD);
    conversation.announcements = state;
  }

  /** "I still need a ticket": the usual way to a person. */
  private anywayAction(context: TurnContext): Action {
    return { type: 'talk-to-person', label: announcementWording(context.language).ticketAnyway };
  }

  private notice(context: TurnContext, text: string, actions: Action[]): Reply {
    return { type: 'notice', text, actions, language: context.language };
  }
}
