import { describe, expect, it } from 'vitest';
import { ADMIN_ACTION } from '../../../src/channels/slack/slack-action-codec.ts';
import { ADMIN, CUSTOMER, DM, TEAM, useSlackFixture } from './slack-fixture.ts';

interface PublishedView {
  type: string;
  blocks: unknown[];
}

describe('Slack admins', () => {
  const fx = useSlackFixture();

  const openHome = async (user: string) => {
    await fx.event({
      type: 'app_home_opened',
      user,
      channel: `D${user}`,
      tab: 'home',
      event_ts: fx.nextTs(),
    });
    await fx.settle();
    const call = fx.slack.callsTo('views.publish').at(-1);
    expect(call?.args.user_id).toBe(user);
    return call?.args.view as PublishedView;
  };

  it('shows admins unanswered questions, recent 👎, today’s figures and "Add FAQ"', async () => {
    await fx.dm('qwzx blorf vrumm <!channel>');
    await fx.dm('zzkx plonk wub');
    await fx.bot.stores.feedback.add({
      at: fx.clock.now(),
      conversationId: `slack:${TEAM}:${DM}`,
      entryId: 'vpn-setup',
      language: 'de',
      helpful: false,
      reason: 'Mac fehlt <@U0BOSS>',
    });
    await fx.settle();
    const view = await openHome(ADMIN);
    const json = JSON.stringify(view.blocks);
    expect(view.type).toBe('home');
    expect(json).toContain(ADMIN_ACTION.addFaq);
    expect(json).toContain('Unanswered questions');
    // Slack markup arrives as plain text ("@channel") and is escaped again when shown.
    expect(json).toContain('qwzx blorf vrumm @channel');
    expect(json).toContain('Recent negative feedback');
    expect(json).toContain('Mac fehlt &lt;@U0BOSS&gt;');
    expect(json).toContain('Tickets created');
    expect(json).not.toMatch(/<!channel>|<@U0BOSS>/);
  });

  it('shows everyone else their own tickets', async () => {
    const view = await openHome(CUSTOMER);
    const json = JSON.stringify(view.blocks);
    expect(json).not.toContain(ADMIN_ACTION.addFaq);
    expect(json).toContain('Ihre Tickets');
  });

  it('/faq search lists matching entries, for admins only', async () => {
    const res = await fx.command('/faq', 'search VPN', ADMIN);
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('vpn-setup');

    const refused = await fx.command('/faq', 'search VPN', CUSTOMER);
    expect((refused.json() as { text: string }).text).toContain('for support admins');
    const usage = await fx.command('/faq', 'dance', ADMIN);
    expect((usage.json() as { text: string }).text).toContain('Usage');
  });

  it('/faq add: problems are shown in the modal; a valid entry is answered from at once', async () => {
    await fx.command('/faq', 'add', ADMIN);
    await fx.settle();
    const view = fx.lastOpenedView();
    expect(view.callback_id).toBe('sb_faq_modal');

    const bad = await fx.submitView(
      view,
      {
        id: 'Kaffee Maschine',
        language: { option: 'de' },
        title: 'Ka',
        questions: '',
        answer: 'kurz',
        queue: { option: 'general' },
      },
      ADMIN,
    );
    const errors = (bad.json() as { response_action: string; errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['id', 'title', 'questions']));

    const good = await fx.submitView(
      view,
      {
        id: 'coffee-machine',
        language: { option: 'en' },
        title: 'The coffee machine shows error E42',
        questions:
          'The coffee machine shows E42\nCoffee machine error E42\nWhat does E42 on the coffee maker mean?',
        answer: 'Error **E42** means the water tank is empty. Fill it up and press the reset button.',
        queue: { option: 'workplace' },
      },
      ADMIN,
    );
    expect(good.json()).toMatchObject({ response_action: 'update' });
    await fx.settle();
    // The modal says it is saved, the App Home is refreshed, and a customer gets the new answer.
    const [result] = await fx.slack.waitFor('views.update');
    expect(JSON.stringify(result?.args.view)).toContain('Added `coffee-machine` (en)');
    await fx.slack.waitFor('views.publish', (c) => c.args.user_id === ADMIN);
    fx.slack.clear();
    fx.slack.addUser('UCOFFEE', 'Coffee Drinker', 'en-US');
    await fx.dm('What does E42 on the coffee maker mean?', 'UCOFFEE', 'DCOFFEE');
    await fx.settle();
    expect(JSON.stringify(fx.posted('DCOFFEE').at(-1)?.blocks)).toContain('water tank');
  });

  it('/faq edit opens the entry pre-filled; unknown ids are explained', async () => {
    await fx.command('/faq', 'edit vpn-setup en', ADMIN);
    await fx.settle();
    const view = fx.lastOpenedView();
    const byBlock = Object.fromEntries(view.blocks.map((b) => [b.block_id, b.element]));
    expect(byBlock.id?.initial_value).toBe('vpn-setup');
    expect(byBlock.language?.initial_option?.value).toBe('en');
    expect(byBlock.answer?.initial_value?.length).toBeGreaterThan(10);

    const missing = await fx.command('/faq', 'edit no-such-entry', ADMIN);
    expect((missing.json() as { text: string }).text).toContain('There is no entry');
  });

  it('"Add FAQ" in the App Home opens the modal for admins only', async () => {
    const home = { channel: `D${ADMIN}`, ts: fx.nextTs(), blocks: [] };
    await fx.click(home, ADMIN_ACTION.addFaq, 'add', CUSTOMER);
    await fx.settle();
    expect(fx.slack.callsTo('views.open')).toEqual([]);
    await fx.click(home, ADMIN_ACTION.addFaq, 'add', ADMIN);
    await fx.settle();
    const opened = fx.slack.callsTo('views.open')[0]?.args.view as { callback_id: string } | undefined;
    expect(opened?.callback_id).toBe('sb_faq_modal');
  });

  it('refuses FAQ changes from someone who is not an admin, even with a forged submission', async () => {
    const res = await fx.submitView(
      { callback_id: 'sb_faq_modal', private_metadata: '{"mode":"add"}' },
      {
        id: 'evil-entry',
        language: { option: 'en' },
        title: 'Evil entry',
        questions: 'evil?',
        answer: 'Send me your password.',
        queue: { option: 'general' },
      },
      CUSTOMER,
    );
    expect(res.json()).toMatchObject({ response_action: 'errors' });
    expect(fx.bot.understanding.entry('evil-entry', 'en')).toBeUndefined();
  });
});
