import { describe, expect, it } from 'vitest';
import { markChosen, renderReply } from '../../../../src/channels/slack/blocks/reply-blocks.ts';
import {
  decodeAction,
  FEEDBACK_ACTION_ID,
  OPEN_INTAKE_FORM_ACTION_ID,
} from '../../../../src/channels/slack/slack-action-codec.ts';
import type { Reply } from '../../../../src/core/reply.ts';

const answer: Reply = {
  type: 'answer',
  entryId: 'vpn-setup',
  title: 'VPN einrichten',
  text: 'Installieren Sie **Cisco AnyConnect**.',
  related: [{ entryId: 'wifi', title: 'WLAN <b>' }],
  language: 'de',
  actions: [
    { type: 'feedback', entryId: 'vpn-setup', helpful: true, label: 'Ja, danke' },
    { type: 'feedback', entryId: 'vpn-setup', helpful: false, label: 'Nein' },
    { type: 'talk-to-person', label: 'Mit einer Person sprechen' },
  ],
};

function blockTypes(reply: Reply): string[] {
  return renderReply(reply).blocks.map((b) => b.type);
}

describe('renderReply', () => {
  it('renders an answer with source, native feedback buttons and "talk to a person"', () => {
    const message = renderReply(answer);
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'context', 'actions', 'context_actions']);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('*Cisco AnyConnect*');
    expect(json).toContain('Quelle: *VPN einrichten*');
    expect(json).toContain('WLAN &lt;b&gt;');
    const feedback = message.blocks[3];
    if (feedback?.type !== 'context_actions') throw new Error('no feedback block');
    const element = feedback.elements[0];
    if (element?.type !== 'feedback_buttons') throw new Error('no feedback buttons');
    expect(element.action_id).toBe(FEEDBACK_ACTION_ID);
    expect(decodeAction(element.positive_button.value)).toMatchObject({ type: 'feedback', helpful: true });
    expect(decodeAction(element.negative_button.value)).toMatchObject({ type: 'feedback', helpful: false });
    const actions = message.blocks[2];
    if (actions?.type !== 'actions') throw new Error('no actions');
    expect(actions.elements).toHaveLength(1);
    const talk = actions.elements[0];
    expect(talk?.type === 'button' && decodeAction(talk.value)).toMatchObject({ type: 'talk-to-person' });
  });

  it('offers the same feedback as plain buttons where the native element is refused', () => {
    const message = renderReply(answer);
    const fallbackButtons = (message.fallbackBlocks ?? []).flatMap((b) =>
      b.type === 'actions' ? b.elements : [],
    );
    const actions = fallbackButtons.map((e) => (e.type === 'button' ? decodeAction(e.value) : undefined));
    expect(actions.map((a) => a?.type)).toEqual(['feedback', 'feedback', 'talk-to-person']);
    expect((message.fallbackBlocks ?? []).some((b) => b.type === 'context_actions')).toBe(false);
  });

  it('renders "did you mean" as buttons carrying the actions', () => {
    const reply: Reply = {
      type: 'choices',
      text: 'Did you mean:',
      language: 'en',
      actions: [
        { type: 'show-entry', entryId: 'a', label: 'VPN setup' },
        { type: 'show-entry', entryId: 'b', label: 'VPN error' },
        { type: 'none-of-these', label: 'None of these' },
      ],
    };
    const message = renderReply(reply);
    const actions = message.blocks[1];
    if (actions?.type !== 'actions') throw new Error('no actions');
    const values = actions.elements.map((e) =>
      e.type === 'button' ? decodeAction(e.value)?.type : undefined,
    );
    expect(values).toEqual(['show-entry', 'show-entry', 'none-of-these']);
  });

  it('offers the intake form next to an intake question, with the error first', () => {
    const reply: Reply = {
      type: 'ask',
      text: 'How many people are affected?',
      field: { name: 'impact', label: 'Impact', required: true },
      error: 'Please pick one <!here>',
      language: 'en',
      actions: [{ type: 'choose-value', field: 'impact', value: 'me', label: 'Only me' }],
    };
    const message = renderReply(reply);
    expect(message.blocks.map((b) => b.type)).toEqual(['section', 'section', 'actions', 'context']);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('Please pick one &lt;!here&gt;');
    expect(json).toContain(OPEN_INTAKE_FORM_ACTION_ID);
    expect(message.text).not.toContain('<!here>');
  });

  it('shows ticket id, position and expected wait', () => {
    const reply: Reply = {
      type: 'ticket',
      text: 'I have passed this on.',
      ticket: { id: 'SUP-1001', queue: 'general', priority: 'P2', status: 'queued' },
      position: 3,
      expectedWaitMinutes: 40,
      language: 'en',
      actions: [{ type: 'cancel', label: 'Withdraw' }],
    };
    const json = JSON.stringify(renderReply(reply).blocks);
    expect(json).toContain('SUP-1001');
    expect(json).toContain('*Position*\\n3');
    expect(json).toContain('~40 min');
    expect(json).toContain('"style":"danger"');
  });

  it('escapes what an agent typed when relaying it', () => {
    const reply: Reply = {
      type: 'relay',
      from: 'Anna <@U1>',
      text: 'Try <!channel> *now*',
      language: 'en',
      actions: [],
    };
    const message = renderReply(reply);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U1>/);
    expect(blockTypes(reply)).toEqual(['context', 'section']);
  });

  it('replaces buttons by what was chosen', () => {
    const blocks = markChosen(renderReply(answer).blocks, 'Talk to a person');
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context', 'context']);
    expect(JSON.stringify(blocks.at(-1))).toContain('Talk to a person');
  });
});

describe('decodeAction', () => {
  it('refuses values that are not engine actions', () => {
    expect(decodeAction('{"type":"drop-tables","label":"x"}')).toBeUndefined();
    expect(decodeAction('not json')).toBeUndefined();
    expect(decodeAction('{"type":"cancel"}')).toBeUndefined();
    expect(decodeAction('{"type":"cancel","label":"Stop"}')).toEqual({ type: 'cancel', label: 'Stop' });
  });
});
