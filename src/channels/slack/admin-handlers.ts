import type { BlockAction } from '@slack/bolt';
import { customerLanguage } from '../../core/customer-language.ts';
import { isLanguage } from '../../core/language.ts';
import { errorCode, errorMessage } from '../../core/logger.ts';
import { collectStats } from '../../handoff/collect-stats.ts';
import { context, fallback, section } from './blocks/block-kit.ts';
import { teamOf } from './customer-turns.ts';
import { ADMIN_ACTION, CALLBACK } from './slack-action-codec.ts';
import { queueName, type SlackContext } from './slack-context.ts';
import { toCustomer } from './slack-conversation.ts';
import { escapeMrkdwn } from './slack-text.ts';
import { buildFaqModal, faqProblemsToErrors, readFaqDraft, readFaqMeta } from './views/faq-modal.ts';
import { buildAdminHome, buildCustomerHome } from './views/home-view.ts';
import { modalView } from './views/modal-view.ts';
import type { ViewStateValues } from './views/view-state.ts';

function faqResultView(text: string) {
  return modalView({ title: 'FAQ entry', close: 'Close', blocks: [context(text)] });
}

const FAQ_USAGE = 'Usage: `/faq search <words>`, `/faq add`, `/faq edit <entry-id> [de|en]`';

/**
 * Admins (SLACK_ADMIN_USERS): App Home with the unanswered questions, recent negative feedback,
 * today's figures and "Add FAQ"; `/faq search|add|edit`. Everyone else's App Home lists their
 * own tickets, and `/faq` tells them it is for admins.
 */
export function registerAdminHandlers(ctx: SlackContext): void {
  const { app } = ctx;
  const isAdmin = (user: string) => ctx.adminUsers.has(user);
  const queues = () => ctx.support.queues.map((q) => ({ id: q.id, name: queueName(ctx.support, q.id) }));

  const publishHome = async (user: string, team: string) => {
    const view = isAdmin(user) ? await adminHome() : await customerHome(user, team);
    await ctx.app.client.views.publish({ user_id: user, view });
  };
  const adminHome = async () => {
    const now = ctx.clock.now();
    const [stats, unanswered, feedback] = await Promise.all([
      collectStats(ctx.stores, now),
      ctx.stores.unanswered.list('open'),
      ctx.stores.feedback.list(100),
    ]);
    return buildAdminHome({
      stats,
      unanswered,
      negativeFeedback: feedback.filter((f) => !f.helpful),
      entryTitle: (id) => ctx.faq.entry(id, 'en')?.title ?? id,
    });
  };
  const customerHome = async (user: string, team: string) => {
    const person = await ctx.users.lookup(user);
    const tickets = await ctx.stores.tickets.list({ customerId: toCustomer(team, user).id });
    return buildCustomerHome(tickets, customerLanguage(undefined, person.language));
  };

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    await publishHome(event.user, teamOf(body, undefined));
  });

  app.action<BlockAction>(ADMIN_ACTION.refreshHome, async ({ ack, body }) => {
    await ack();
    await publishHome(body.user.id, teamOf(body, undefined));
  });

  app.action<BlockAction>(ADMIN_ACTION.addFaq, async ({ ack, body, client }) => {
    await ack();
    if (!isAdmin(body.user.id)) return;
    await client.views.open({ trigger_id: body.trigger_id, view: buildFaqModal(queues()) });
  });

  app.command('/faq', async ({ ack, command, client }) => {
    const reply = (text: string) =>
      ack({ response_type: 'ephemeral', text: fallback(text), blocks: [section(text)] });
    if (!isAdmin(command.user_id)) {
      await reply('`/faq` is for support admins. Ask your question with `/support` or in a direct message.');
      return;
    }
    const [verb = '', ...rest] = (command.text ?? '').trim().split(/\s+/);
    const argument = rest.join(' ');
    if (verb === 'search' && argument !== '') {
      const hits = ctx.faq.searchTitles(argument, 10);
      const lines = hits.map((h) => `• \`${escapeMrkdwn(h.id)}\` (${h.language}) ${escapeMrkdwn(h.title)}`);
      await reply(
        lines.length > 0
          ? `*FAQ entries for “${escapeMrkdwn(argument)}”*\n${lines.join('\n')}`
          : `No entry matches “${escapeMrkdwn(argument)}”.`,
      );
      return;
    }
    if (verb === 'add') {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: buildFaqModal(queues()) });
      return;
    }
    if (verb === 'edit' && rest[0]) {
      const language = isLanguage(rest[1]) ? rest[1] : 'de';
      const entry = ctx.faq.entry(rest[0], language);
      if (!entry) {
        await reply(
          `There is no entry \`${escapeMrkdwn(rest[0])}\`. Try \`/faq search ${escapeMrkdwn(rest[0])}\`.`,
        );
        return;
      }
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: buildFaqModal(queues(), entry) });
      return;
    }
    await reply(FAQ_USAGE);
  });

  app.view(CALLBACK.faqModal, async ({ ack, body, view }) => {
    if (!isAdmin(body.user.id) || !readFaqMeta(view.private_metadata)) {
      await ack({ response_action: 'errors', errors: { id: 'Only support admins can change the FAQ.' } });
      return;
    }
    if (!ctx.curation) {
      await ack({
        response_action: 'errors',
        errors: { id: 'FAQ editing is not switched on for this bot.' },
      });
      return;
    }
    const draft = readFaqDraft(view.state.values as ViewStateValues);
    // The check is quick; saving rebuilds the index and may take longer than Slack waits for
    // the ack. So problems go back into the modal, and the save runs after the ack.
    const problems = ctx.curation.check(draft);
    if (problems.length > 0) {
      await ack({ response_action: 'errors', errors: faqProblemsToErrors(problems) });
      return;
    }
    await ack({ response_action: 'update', view: faqResultView(':hourglass_flowing_sand: Saving …') });
    const admin = await ctx.users.lookup(body.user.id);
    let result: string;
    try {
      const saved = await ctx.curation.save(draft, { actor: admin.name, reason: 'Slack' });
      if (saved.ok) {
        const what = saved.created ? 'Added' : saved.changed ? 'Updated' : 'No change to';
        result = `:white_check_mark: ${what} \`${escapeMrkdwn(saved.entry.id)}\` (${saved.entry.language}); the bot answers with it now.`;
      } else {
        result = `:warning: Not saved:\n${saved.problems.map((p) => `• ${escapeMrkdwn(p.field)}: ${escapeMrkdwn(p.message)}`).join('\n')}`;
      }
    } catch (error) {
      ctx.log.error('faq entry not saved', { code: errorCode(error), error: errorMessage(error) });
      result = ':warning: Could not save the entry; please try again.';
    }
    await ctx.app.client.views.update({ view_id: view.id, view: faqResultView(result) });
    await publishHome(body.user.id, teamOf(body, undefined));
  });
}
