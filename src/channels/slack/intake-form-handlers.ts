import type { BlockAction, GlobalShortcut } from '@slack/bolt';
import { customerLanguage } from '../../core/customer-language.ts';
import { latestProblem } from '../../core/problem-messages.ts';
import { findQueue } from '../../handoff/support-config.ts';
import {
  clickedMessage,
  customerTurn,
  openDirectMessage,
  sendTurnReplies,
  teamOf,
} from './customer-turns.ts';
import { CALLBACK, OPEN_INTAKE_FORM_ACTION_ID } from './slack-action-codec.ts';
import type { SlackContext } from './slack-context.ts';
import { type SlackAddress, toConversationRef } from './slack-conversation.ts';
import { label } from './slack-labels.ts';
import {
  buildIntakeModal,
  type IntakeModalMeta,
  readIntakeMeta,
  readIntakeValues,
  validateIntakeValues,
} from './views/intake-modal.ts';
import type { ViewStateValues } from './views/view-state.ts';

/** Opens the queue's problem form as a modal (needs the trigger_id of a click, command or shortcut). */
export async function openIntakeForm(
  ctx: SlackContext,
  triggerId: string,
  meta: IntakeModalMeta,
  initial: Record<string, string> = {},
): Promise<void> {
  const queue = findQueue(ctx.support, meta.queue);
  const form = ctx.support.forms[queue.form];
  if (!form) {
    ctx.log.error('queue has no intake form', { queue: queue.id, form: queue.form });
    return;
  }
  await ctx.app.client.views.open({
    trigger_id: triggerId,
    view: buildIntakeModal(form, { ...meta, queue: queue.id }, initial),
  });
}

/**
 * Intake as a modal: "Fill in a form" under an intake question (pre-filled with what the
 * conversation knows), the global shortcut "Report a problem", and the submission. The form's
 * own rules are checked first and shown in the modal (response_action: errors); then the
 * engine gets all values at once (submit-form). A value the engine rejects is shown in the
 * modal as well; the rest of its replies go to the conversation.
 */
export function registerIntakeFormHandlers(ctx: SlackContext): void {
  const { app } = ctx;

  app.action<BlockAction>(OPEN_INTAKE_FORM_ACTION_ID, async ({ ack, body }) => {
    await ack();
    const clicked = clickedMessage(body);
    if (!clicked) return;
    const { team, channel, address } = clicked;
    const [conversation, person] = await Promise.all([
      ctx.stores.conversations.get(toConversationRef(address).conversationId),
      ctx.users.lookup(body.user.id),
    ]);
    const intake = conversation?.intake;
    const initial: Record<string, string> = { ...intake?.values };
    const summary = intake?.proposed ?? (conversation && latestProblem(conversation)?.text);
    if (!initial.summary && summary) initial.summary = summary;
    await openIntakeForm(
      ctx,
      body.trigger_id,
      {
        team,
        user: body.user.id,
        language: customerLanguage(conversation, person.language),
        queue: intake?.queue ?? ctx.support.defaultQueue,
        channel,
        threadTs: address.threadTs,
      },
      initial,
    );
  });

  app.shortcut<GlobalShortcut>(CALLBACK.reportProblemShortcut, async ({ ack, shortcut }) => {
    await ack();
    const person = await ctx.users.lookup(shortcut.user.id);
    await openIntakeForm(ctx, shortcut.trigger_id, {
      team: teamOf(shortcut, shortcut.team?.id),
      user: shortcut.user.id,
      language: customerLanguage(undefined, person.language),
      queue: ctx.support.defaultQueue,
    });
  });

  app.view(CALLBACK.intakeModal, async ({ ack, view }) => {
    const meta = readIntakeMeta(view.private_metadata);
    const form = meta ? ctx.support.forms[findQueue(ctx.support, meta.queue).form] : undefined;
    if (!meta || !form) {
      ctx.log.warn('intake form without usable metadata');
      await ack();
      return;
    }
    const values = readIntakeValues(form, view.state.values as ViewStateValues);
    const errors = validateIntakeValues(form, values, meta.language);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const address: SlackAddress = meta.channel
      ? { team: meta.team, channel: meta.channel, threadTs: meta.threadTs }
      : await openDirectMessage(ctx, meta.team, meta.user);
    // The engine takes a form in any state: it starts the intake with these values (or fills the
    // running one), adds them to a ticket that is open already, or asks for consent first.
    const turn = await customerTurn(ctx, {
      team: meta.team,
      user: meta.user,
      address,
      id: `slack:${meta.team}:view:${view.id}:${view.hash}`,
      action: { type: 'submit-form', values, label: label('formSent', meta.language) },
    });
    const replies = await ctx.engine.handle(turn);
    const rejected = replies.find(
      (r) => r.type === 'ask' && r.error && form.fields.some((f) => f.name === r.field.name),
    );
    if (rejected?.type === 'ask' && rejected.error) {
      await ack({ response_action: 'errors', errors: { [rejected.field.name]: rejected.error } });
      return;
    }
    await ack();
    await sendTurnReplies(ctx, turn, replies);
  });
}
