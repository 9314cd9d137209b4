import { describe, expect, it } from 'vitest';
import {
  decodeDeskCommand,
  ESCALATE_REASON_INPUT,
  ESCALATE_TARGET_INPUT,
} from '../../../../src/channels/teams/desk/desk-card-codec.ts';
import {
  parseChannelConversation,
  threadConversationId,
} from '../../../../src/channels/teams/desk/desk-thread.ts';
import {
  renderDeskTicketCard,
  renderThreadCard,
} from '../../../../src/channels/teams/desk/desk-ticket-card.ts';
import { mentionsBot, withoutBotMention } from '../../../../src/channels/teams/desk/teams-desk-agents.ts';
import type { InboundActivity } from '../../../../src/channels/teams/teams-activity.ts';
import type { Ticket } from '../../../../src/core/ticket.ts';
import { DeskChannels } from '../../../../src/handoff/desk-channels.ts';

const TEAMS_FORMAT = {
  field: 'TEAMS_AGENT_CHANNELS',
  channelId: /^19:[A-Za-z0-9_-]+@thread\.[a-z0-9]+$/,
  expected: 'queue=19:…@thread.tacv2',
};

describe('DeskChannels (the queue-to-channel mapping Slack and Teams share)', () => {
  const queues = ['general', 'network'];

  it('maps Teams channel ids per queue, with the default queue and third level', () => {
    const channels = DeskChannels.parse(
      'general=19:abc@thread.tacv2, level3=19:l3_x@thread.skype',
      TEAMS_FORMAT,
      queues,
      'general',
    );
    expect(channels.channelFor('network')).toBe('19:abc@thread.tacv2');
    expect(channels.channelFor('network', 3)).toBe('19:l3_x@thread.skype');
    expect(channels.isAgentChannel('19:abc@thread.tacv2')).toBe(true);
    expect(channels.isAgentChannel('19:other@thread.tacv2')).toBe(false);
  });

  it('lists every problem at once, by the setting it came from', () => {
    try {
      DeskChannels.parse('general=C123,nope=19:a@thread.tacv2,network', TEAMS_FORMAT, queues, 'general');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'validation_failed' });
      const problems = (error as { problems: { field: string; message: string }[] }).problems;
      expect(problems).toHaveLength(3);
      expect(problems.every((p) => p.field === 'TEAMS_AGENT_CHANNELS')).toBe(true);
      expect(problems[1]?.message).toBe('unknown queue "nope"');
    }
  });
});

describe('Teams channel threads', () => {
  it('a thread is the channel id with the root message id; a top-level post has none', () => {
    const id = threadConversationId({ channelId: '19:abc@thread.tacv2', rootId: '1718000000000' });
    expect(id).toBe('19:abc@thread.tacv2;messageid=1718000000000');
    expect(parseChannelConversation(id)).toEqual({
      channelId: '19:abc@thread.tacv2',
      rootId: '1718000000000',
    });
    expect(parseChannelConversation('19:abc@thread.tacv2')).toEqual({ channelId: '19:abc@thread.tacv2' });
  });
});

describe('desk card clicks', () => {
  it('decodes a desk button with the escalation inputs Teams merged into its data', () => {
    expect(
      decodeDeskCommand({
        sbDesk: { op: 'escalate', ticketId: 'SUP-1001' },
        [ESCALATE_TARGET_INPUT]: 'network',
        [ESCALATE_REASON_INPUT]: '  VPN  ',
      }),
    ).toEqual({ op: 'escalate', ticketId: 'SUP-1001', target: 'network', reason: 'VPN' });
  });

  it('refuses anything else: unknown op, odd ticket id, a customer card, junk', () => {
    expect(decodeDeskCommand({ sbDesk: { op: 'delete', ticketId: 'SUP-1' } })).toBeUndefined();
    expect(decodeDeskCommand({ sbDesk: { op: 'claim', ticketId: '../../etc' } })).toBeUndefined();
    expect(decodeDeskCommand({ sbAction: { type: 'talk-to-person', label: 'x' } })).toBeUndefined();
    expect(decodeDeskCommand('claim')).toBeUndefined();
    expect(decodeDeskCommand(null)).toBeUndefined();
  });
});

function activity(text: string, entities: unknown[]): InboundActivity {
  return {
    type: 'message',
    id: '1',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1/',
    from: { id: '29:agent' },
    recipient: { id: '28:bot', name: 'IT Support' },
    conversation: { id: '19:a@thread.tacv2;messageid=1', conversationType: 'channel' },
    text,
    entities,
  } as InboundActivity;
}

describe('the bot’s @mention', () => {
  const bot = { type: 'mention', text: '<at>IT Support</at>', mentioned: { id: '28:bot' } };
  const colleague = { type: 'mention', text: '<at>Anna</at>', mentioned: { id: '29:anna' } };

  it('is taken out wherever it stands; a colleague’s mention stays', () => {
    const a = activity('<at>IT Support</at> Bitte <at>Anna</at> fragen <at>IT Support</at>', [
      bot,
      colleague,
    ]);
    expect(withoutBotMention(a)).toBe('Bitte <at>Anna</at> fragen');
    expect(mentionsBot(a)).toBe(true);
    expect(mentionsBot(activity('<at>Anna</at> hallo', [colleague]))).toBe(false);
    expect(withoutBotMention(activity('note: intern', []))).toBe('note: intern');
  });
});

describe('desk ticket card', () => {
  const ticket: Ticket = {
    id: 'SUP-1001',
    queue: 'general',
    level: 2,
    priority: 'P2',
    status: 'resolved',
    details: { summary: 'Drucker {{DATE(x)}} **fett**' },
    transcript: [{ at: 0, from: 'customer', text: 'Hallo' }],
    candidates: [],
    language: 'de',
    customer: { id: 'web:1', name: 'Erika' },
    conversation: { channel: 'web', conversationId: 'web:1', address: {} },
    billable: false,
    createdAt: 0,
    updatedAt: 0,
    reactionDueAt: 1_000,
    resolutionDueAt: 2_000,
    firstReactionAt: 500,
    resolvedAt: 3_000,
    events: [{ at: 3_000, type: 'resolved', by: 'Anna' }],
  };
  const options = {
    queueName: (q: string) => q,
    queues: ['general', 'network'],
    fieldLabel: (f: string) => f,
    now: 5_000,
  };

  it("links the customer's files through the signed URL, names made safe for the link text", () => {
    const files = [{ id: 'a'.repeat(32), name: 'log [alt].txt', contentType: 'text/plain', size: 50, at: 1 }];
    const card = renderDeskTicketCard(
      { ...ticket, attachments: files },
      { ...options, attachmentUrl: (f: { id: string }) => `https://bot.example/attachments/${f.id}?sig=x` },
    );
    expect(JSON.stringify(card.body)).toContain(
      `📎 Files from the customer: [log _alt_.txt](https://bot.example/attachments/${'a'.repeat(32)}?sig=x)`,
    );
  });

  it('a resolved ticket offers only "Save as FAQ", no escalation inputs; the SLA shows met and late', () => {
    const card = renderDeskTicketCard(ticket, options);
    expect(card.actions?.map((a) => `${a.type} ${a.title}`)).toEqual(['Action.ShowCard Save as FAQ']);
    expect(JSON.stringify(card.body)).not.toContain('Input.');
    expect(renderDeskTicketCard({ ...ticket, status: 'cancelled' }, options).actions).toBeUndefined();
    const json = JSON.stringify(card);
    expect(json).toContain('✅ met');
    expect(json).toContain('⚠️ late');
  });

  it('a link a customer typed shows where it goes, on the card and in the thread', () => {
    const disguised = '[Ihre Bank](https://evil.example/login) bitte **sofort** prüfen';
    // The card's text, not its inputs: an input shows text as typed and links nothing.
    const json = JSON.stringify(
      renderDeskTicketCard(
        {
          ...ticket,
          details: { summary: disguised },
          transcript: [{ at: 0, from: 'customer', text: disguised }],
        },
        options,
      ).body,
    );
    expect(json).not.toContain('](https://evil');
    expect(json).toContain('Ihre Bank (https://evil.example/login)');
    const thread = JSON.stringify(renderThreadCard('Erika (customer) wrote:', disguised));
    expect(thread).toContain('Ihre Bank (https://evil.example/login)');
  });

  it('what a customer typed cannot call the card’s date functions', () => {
    const json = JSON.stringify(renderDeskTicketCard({ ...ticket, status: 'queued' }, options));
    expect(json).not.toContain('{{DATE(x)}}');
    expect(json).toContain('Input.ChoiceSet');
  });
});
