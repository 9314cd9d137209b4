import { describe, expect, it } from 'vitest';
import {
  decodeAction,
  ENGINE_ACTION_PREFIX,
  FEEDBACK_ACTION_ID,
  OPEN_INTAKE_FORM_ACTION_ID,
} from '../../../src/channels/slack/slack-action-codec.ts';
import type { Action } from '../../../src/core/action.ts';
import { decideMatch } from '../../../src/core/match.ts';
import { shippedThresholds } from '../../support/shipped-thresholds.ts';
import type { RecordedCall } from '../../support/slack-api-stand-in.ts';
import { AGENT_CHANNEL, CUSTOMER, DM, TEAM, useSlackFixture } from './slack-fixture.ts';

interface Button {
  action_id: string;
  value: string;
  text: { text: string };
}

/** Every button of a posted message, with the engine action it carries. */
function buttons(blocks: unknown[]): (Button & { action?: Action })[] {
  const out: (Button & { action?: Action })[] = [];
  for (const block of blocks as { type: string; elements?: { type: string }[] }[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type !== 'button') continue;
      const b = element as unknown as Button;
      const action = decodeAction(b.value);
      out.push(action ? { ...b, action } : b);
    }
  }
  return out;
}

function feedbackElement(blocks: unknown[]) {
  const block = (blocks as { type: string; elements?: Record<string, unknown>[] }[]).find(
    (b) => b.type === 'context_actions',
  );
  return block?.elements?.[0] as
    | { action_id: string; positive_button: { value: string }; negative_button: { value: string } }
    | undefined;
}

const CHANNEL = 'CGENERAL';

describe('Slack customers', () => {
  const fx = useSlackFixture();

  /** The DM messages posted since the last clear. */
  const dmMessages = () => fx.posted(DM);

  it('answers a DM in Block Kit: answer, source, feedback buttons, "talk to a person"', async () => {
    await fx.dm('Ich habe mein Passwort vergessen');
    await fx.settle();
    const [answer] = dmMessages();
    if (!answer) throw new Error('no answer posted');
    expect(answer.thread_ts).toBeUndefined();
    const json = JSON.stringify(answer.blocks);
    expect(json).toContain('Quelle:');
    expect(feedbackElement(answer.blocks)?.action_id).toBe(FEEDBACK_ACTION_ID);
    expect(buttons(answer.blocks).some((b) => b.action?.type === 'talk-to-person')).toBe(true);
  });

  it('answers a mention in its thread, and follow-ups in that thread without a mention', async () => {
    const ts = fx.nextTs();
    const bot = fx.slack.identity.botUserId;
    await fx.event({
      type: 'app_mention',
      channel: CHANNEL,
      user: CUSTOMER,
      text: `<@${bot}> How do I set up the VPN?`,
      ts,
    });
    // Slack also sends the same message as message.channels; it must not be answered twice.
    await fx.event({
      type: 'message',
      channel_type: 'channel',
      channel: CHANNEL,
      user: CUSTOMER,
      text: `<@${bot}> How do I set up the VPN?`,
      ts,
    });
    await fx.settle();
    const inThread = fx.posted(CHANNEL, ts);
    expect(inThread).toHaveLength(1);
    expect(JSON.stringify(inThread[0]?.blocks)).toContain('Source:');

    await fx.event({
      type: 'message',
      channel_type: 'channel',
      channel: CHANNEL,
      user: CUSTOMER,
      text: 'And how do I reset my password?',
      ts: fx.nextTs(),
      thread_ts: ts,
    });
    await fx.settle();
    expect(fx.posted(CHANNEL, ts)).toHaveLength(2);

    // A thread the bot is not part of stays untouched.
    await fx.event({
      type: 'message',
      channel_type: 'channel',
      channel: CHANNEL,
      user: CUSTOMER,
      text: 'How do I set up the VPN?',
      ts: fx.nextTs(),
      thread_ts: '1111.2222',
    });
    await fx.settle();
    expect(fx.posted(CHANNEL)).toHaveLength(2);
  });

  it("repeats a customer's text (the proposed summary) with Slack markup escaped, code spans included", async () => {
    // A customer of their own, so the intake this starts leaves the other tests' DM alone. As Slack
    // sends what a customer typed: their own `<`, `>` and `&` arrive as entities.
    const [user, dm] = ['UHOSTILE1', 'DHOSTILE1'];
    const typed =
      'Mein Drucker `&lt;!channel&gt;` druckt [Passwort](https://evil.example) `&lt;https://evil.example|Bank&gt;` nicht';
    await fx.dm(typed, user, dm);
    await fx.settle();
    await fx.dm('Ich möchte mit einem Menschen sprechen', user, dm);
    await fx.settle();
    // What Slack reads as markup: each message's text and its blocks' mrkdwn (button values are not).
    const shown = fx
      .posted(dm)
      .flatMap((m) => [
        m.text,
        ...(m.blocks as { text?: { type: string; text: string } }[])
          .filter((b) => b.text?.type === 'mrkdwn')
          .map((b) => b.text?.text ?? ''),
      ]);
    const proposal = shown.filter((t) => t.includes('Kurzbeschreibung'));
    expect(proposal.length).toBeGreaterThan(0);
    for (const text of proposal) {
      expect(text).toContain('`&lt;!channel&gt;`');
      expect(text).toContain('[Passwort](https://evil.example)');
      expect(text).not.toMatch(/<!channel>|<https:|\\[`[\]()]/);
    }
  });

  it('records a 👎 from the native feedback buttons and updates the message in place', async () => {
    await fx.dm('Wie richte ich VPN ein?');
    await fx.settle();
    const [answer] = dmMessages();
    if (!answer) throw new Error('no answer');
    const feedback = feedbackElement(answer.blocks);
    if (!feedback) throw new Error('no feedback element');
    await fx.click(answer, FEEDBACK_ACTION_ID, feedback.negative_button.value, CUSTOMER, 'feedback_buttons');
    await fx.settle();
    const [update] = fx.slack.callsTo('chat.update');
    expect(update?.args).toMatchObject({ channel: DM, ts: answer.ts });
    const updatedBlocks = update?.args.blocks as { type: string }[];
    expect(updatedBlocks.some((b) => b.type === 'context_actions' || b.type === 'actions')).toBe(false);
    expect(JSON.stringify(updatedBlocks)).toContain('👎');
    // The engine asks what was missing; the reason completes the feedback.
    expect(dmMessages()).toHaveLength(2);
    await fx.dm('Die Anleitung für macOS fehlt');
    await fx.settle();
    const stored = await fx.bot.stores.feedback.list(5);
    expect(stored[0]).toMatchObject({
      helpful: false,
      entryId: 'vpn-setup',
      reason: 'Die Anleitung für macOS fehlt',
    });
  });

  it('offers "Did you mean" as buttons and answers the one clicked', async () => {
    // Two entries on nearly the same question make the real matcher ask which one is meant.
    const original = fx.bot.understanding.knowledge.all();
    const twin = original
      .filter((e) => e.id === 'vpn-setup')
      .map((e) => ({ ...e, id: 'vpn-setup-mac', title: `${e.title} (Mac)`, related: [] }));
    // Rebuilt in slices: a blocking rebuild on a busy machine outlasts the server's keep-alive,
    // and the next request meets a socket the server is closing (ECONNRESET).
    expect(await fx.bot.understanding.replaceEntriesAsync([...original, ...twin])).toBe('replaced');
    try {
      // Whichever way of asking the matcher now finds two close candidates for.
      const phrasings = [
        ...new Set(original.filter((e) => e.id === 'vpn-setup').flatMap((e) => [e.title, ...e.questions])),
      ];
      const message = phrasings.find(
        (q) => decideMatch(fx.bot.understanding.match(q), shippedThresholds()).kind === 'ambiguous',
      );
      if (!message) throw new Error('no phrasing of vpn-setup is ambiguous next to its twin');
      await fx.dm(message);
      await fx.settle();
      const [choices] = dmMessages();
      const options = buttons(choices?.blocks ?? []);
      const entry = options.filter((b) => b.action?.type === 'show-entry')[1];
      expect(options.at(-1)?.action?.type).toBe('none-of-these');
      if (!choices || !entry?.action || entry.action.type !== 'show-entry')
        throw new Error('no entry choice');
      await fx.click(choices, entry.action_id, entry.value);
      await fx.settle();
      expect(JSON.stringify(fx.slack.callsTo('chat.update')[0]?.args.blocks)).toContain(entry.action.label);
      const answer = dmMessages().at(-1);
      expect(JSON.stringify(answer?.blocks)).toContain('feedback_buttons');
      const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${DM}`);
      expect(conversation?.lastAnsweredEntryId).toBe(entry.action.entryId);
    } finally {
      // Restored whatever happens, so the later tests meet the shipped knowledge.
      await fx.bot.understanding.replaceEntriesAsync(original);
    }
  });

  it('never lets customer markup ping anyone or fake a link', async () => {
    const evil = '<!channel> <!here> <@U0BOSS> look at <https://evil.example/login|the bank> &amp; help';
    const user = 'UEVIL1';
    const dm = 'DEVIL1';
    fx.slack.addUser(user, 'Eve <!everyone>', 'en-US');
    await fx.dm(evil, user, dm);
    await fx.dm('I want to talk to a person', user, dm);
    await fx.settle();
    const everything = JSON.stringify(fx.slack.calls.map((c: RecordedCall) => c.args));
    expect(everything).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0BOSS>|<https:\/\/evil/);
  });

  describe('intake', () => {
    const DM2 = 'DCUSTOMER2';
    const USER2 = 'UCUSTOMER2';

    it('opens the problem form from an intake question, shows validation errors in the modal, then creates the ticket', async () => {
      fx.slack.addUser(USER2, 'Kim Kunde', 'de-DE');
      await fx.dm('ich möchte mit einem Menschen sprechen', USER2, DM2);
      await fx.settle();
      const ask = fx
        .posted(DM2)
        .find((m) => buttons(m.blocks).some((b) => b.action_id === OPEN_INTAKE_FORM_ACTION_ID));
      if (!ask) throw new Error(`no intake question with a form button: ${JSON.stringify(fx.posted(DM2))}`);
      const formButton = buttons(ask.blocks).find(
        (b) => b.action_id === OPEN_INTAKE_FORM_ACTION_ID,
      ) as Button;
      await fx.click(ask, formButton.action_id, formButton.value, USER2);
      await fx.settle();
      const [opened] = fx.slack.callsTo('views.open');
      const view = opened?.args.view as {
        callback_id: string;
        private_metadata: string;
        blocks: { type: string; block_id?: string }[];
      };
      expect(view.callback_id).toBe('sb_intake_modal');
      const fields = view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id);
      expect(fields).toEqual(expect.arrayContaining(['summary', 'system', 'impact', 'urgency', 'contact']));

      // A valid form; each submission below changes what it is about.
      const form = (changes: Record<string, string>) => ({
        summary: 'VPN verbindet nicht mehr',
        system: 'VPN-Client',
        since: 'seit heute',
        impact: { option: 'one' },
        urgency: { option: 'blocks' },
        contact: 'kim@example.com',
        ...changes,
      });
      const tooShort = await fx.submitView(view, form({ summary: 'VPN', since: 'heute' }), USER2);
      expect(tooShort.status).toBe(200);
      expect(tooShort.json()).toMatchObject({
        response_action: 'errors',
        errors: { summary: expect.any(String) },
      });

      const badContact = await fx.submitView(view, form({ since: 'heute', contact: 'keine Adresse' }), USER2);
      expect(badContact.json()).toMatchObject({
        response_action: 'errors',
        errors: { contact: expect.any(String) },
      });

      const ok = await fx.submitView(view, form({}), USER2);
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('');
      await fx.settle();
      const confirmation = fx.posted(DM2).at(-1);
      const text = JSON.stringify(confirmation?.blocks);
      expect(text).toMatch(/SUP-\d+/);
      expect(text).toContain('Position');
      expect(text).toMatch(/Wartezeit/);
      const card = fx.posted(AGENT_CHANNEL).at(-1);
      expect(JSON.stringify(card?.blocks)).toContain('VPN verbindet nicht mehr');
    });

    it('asks in the chat for customers who prefer typing, and withdraws the ticket with a button that updates in place', async () => {
      const user = 'UCUSTOMER3';
      const dm = 'DCUSTOMER3';
      fx.slack.addUser(user, 'Tom Typer', 'en-US');
      await fx.dm('I want to talk to a person', user, dm);
      const answers: Record<string, string> = {
        summary: 'The printer on floor 3 prints blank pages',
        system: 'Printer',
        error: 'skip',
        since: 'since this morning',
        impact: 'only me',
        urgency: 'it can wait',
        contact: 'tom@example.com',
      };
      for (let step = 0; step < 12; step++) {
        await fx.settle();
        const last = fx.posted(dm).at(-1);
        if (!last || /SUP-\d+/.test(JSON.stringify(last.blocks))) break;
        const conversation = await fx.bot.stores.conversations.get(`slack:${TEAM}:${dm}`);
        const field = conversation?.intake?.asking;
        const confirm = buttons(last.blocks).find(
          (b) => b.action?.type === 'choose-value' || b.action?.type === 'consent',
        );
        if (!field && confirm) await fx.click(last, confirm.action_id, confirm.value, user);
        else await fx.dm(answers[field ?? 'summary'] ?? 'yes', user, dm);
      }
      await fx.settle();
      const confirmation = fx.posted(dm).at(-1);
      if (!confirmation) throw new Error('no confirmation');
      expect(JSON.stringify(confirmation.blocks)).toMatch(/SUP-\d+/);
      const withdraw = buttons(confirmation.blocks).find((b) => b.action?.type === 'cancel');
      if (!withdraw) throw new Error('no withdraw button');
      fx.slack.clear();
      await fx.click(confirmation, withdraw.action_id, withdraw.value, user);
      await fx.settle();
      const [update] = fx.slack.callsTo('chat.update').filter((c) => c.args.channel === dm);
      expect(update?.args.ts).toBe(confirmation.ts);
      const blocks = (update?.args.blocks ?? []) as { type: string }[];
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks.some((b) => b.type === 'actions')).toBe(false);
      const ticketId = /SUP-\d+/.exec(JSON.stringify(confirmation.blocks))?.[0] as string;
      expect((await fx.bot.stores.tickets.get(ticketId))?.status).toBe('cancelled');
    });

    it('"Report a problem" (global shortcut) opens the form and confirms in the DM', async () => {
      const user = 'UCUSTOMER4';
      fx.slack.addUser(user, 'Sam Shortcut', 'en-US');
      await fx.interaction({
        type: 'shortcut',
        callback_id: 'report_problem',
        trigger_id: fx.nextId('trigger.'),
        team: { id: TEAM, domain: 'support' },
        user: { id: user, username: 'sam', team_id: TEAM },
        token: 'legacy',
        action_ts: fx.nextTs(),
      });
      await fx.settle();
      const view = fx.slack.callsTo('views.open')[0]?.args.view as {
        callback_id: string;
        private_metadata: string;
      };
      expect(view.callback_id).toBe('sb_intake_modal');
      const ok = await fx.submitView(
        view,
        {
          summary: 'Outlook crashes on start',
          system: 'Outlook',
          error: '',
          since: 'yesterday',
          impact: { option: 'team' },
          urgency: { option: 'hinders' },
          contact: 'sam@example.com',
        },
        user,
      );
      expect(ok.text).toBe('');
      await fx.settle();
      expect(fx.slack.callsTo('conversations.open')[0]?.args.users).toBe(user);
      // The form opens the ticket by itself: one turn, one message (the confirmation).
      const posted = fx.posted(`D${user}`);
      expect(posted).toHaveLength(1);
      const ticketId = /SUP-\d+/.exec(JSON.stringify(posted[0]?.blocks))?.[0] ?? '';
      const ticket = await fx.bot.stores.tickets.get(ticketId);
      expect(ticket?.events[0]).toMatchObject({ type: 'created', text: 'form' });
      expect(ticket?.transcript.filter((l) => l.from === 'customer').map((l) => l.text)).toEqual([
        '[Form filled in]',
      ]);
    });
  });

  it('/support with a question answers in the DM and says so where it was asked', async () => {
    const res = await fx.command('/support', 'How do I set up the VPN?');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response_type: 'ephemeral' });
    await fx.settle();
    const answer = fx.posted(`D${CUSTOMER}`).at(-1);
    expect(JSON.stringify(answer?.blocks)).toContain('feedback_buttons');
  });

  it('/support without text opens the problem form', async () => {
    await fx.command('/support', '');
    await fx.settle();
    const view = fx.slack.callsTo('views.open')[0]?.args.view as { callback_id: string } | undefined;
    expect(view?.callback_id).toBe('sb_intake_modal');
  });

  it('"Ask support about this" (message shortcut) answers the quoted message in the DM', async () => {
    await fx.interaction({
      type: 'message_action',
      callback_id: 'ask_about_message',
      trigger_id: fx.nextId('trigger.'),
      team: { id: TEAM, domain: 'support' },
      user: { id: CUSTOMER, username: 'max', team_id: TEAM },
      channel: { id: CHANNEL, name: 'general' },
      message: { type: 'message', user: 'UOTHER', ts: fx.nextTs(), text: 'Wie richte ich VPN ein? <!here>' },
      response_url: fx.slack.responseUrl(),
      message_ts: fx.nextTs(),
      token: 'legacy',
      action_ts: fx.nextTs(),
    });
    await fx.settle();
    const posted = fx.posted(`D${CUSTOMER}`);
    expect(posted).toHaveLength(2);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('Wie richte ich VPN ein? @here');
    expect(JSON.stringify(posted[0]?.blocks)).not.toContain('<!here>');
    expect(JSON.stringify(posted[1]?.blocks)).toContain('feedback_buttons');
  });

  it('keeps engine buttons working only for what they carry', async () => {
    await fx.dm('Wie richte ich VPN ein?');
    await fx.settle();
    const [answer] = dmMessages();
    if (!answer) throw new Error('no answer');
    await fx.click(answer, `${ENGINE_ACTION_PREFIX}0`, '{"type":"drop","label":"x"}');
    await fx.settle();
    expect(fx.slack.callsTo('chat.update')).toEqual([]);
    expect(dmMessages()).toHaveLength(1);
  });
});
