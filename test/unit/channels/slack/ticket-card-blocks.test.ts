import { describe, expect, it } from 'vitest';
import { renderTicketCard } from '../../../../src/channels/slack/blocks/ticket-card-blocks.ts';
import type { Candidate } from '../../../../src/core/match.ts';
import { sampleTicket } from '../../../support/store-samples.ts';

const AT = Date.UTC(2026, 0, 5, 9, 0);
const options = { queueName: (id: string) => id, fieldLabel: (name: string) => name, now: AT };

/** The card's "Bot candidates" line for a ticket holding these candidates (undefined: none shown). */
function candidatesLine(candidates: Candidate[]): string | undefined {
  const card = renderTicketCard(sampleTicket('SUP-1', AT, { candidates }), options);
  return JSON.stringify(card.blocks)
    .split('"text":')
    .find((part) => part.includes('Bot candidates'));
}

const human: Candidate = { kind: 'intent', id: 'human', score: 1, title: 'human' };

describe('the Slack ticket card', () => {
  it('lists the FAQ entries the bot considered by title and score', () => {
    const line = candidatesLine([
      { kind: 'faq', id: 'vpn-connection-fails', score: 0.43, title: 'VPN connection fails' },
      { kind: 'faq', id: 'vpn-setup', score: 0.08, title: 'Set up the VPN' },
    ]);
    expect(line).toContain('VPN connection fails (0.43) · Set up the VPN (0.08)');
  });

  it('never shows an intent, even on a ticket an older version stored with one', () => {
    const line = candidatesLine([
      human,
      { kind: 'faq', id: 'escalation-process', score: 0.01, title: 'How escalation works' },
    ]);
    expect(line).toContain('How escalation works (0.01)');
    expect(line).not.toContain('human');
    expect(candidatesLine([human])).toBeUndefined();
  });

  it("lists the customer's files with signed links, their names escaped", () => {
    const files = [{ id: 'b'.repeat(32), name: 'a|b<c>.png', contentType: 'image/png', size: 2_500, at: AT }];
    const card = renderTicketCard(sampleTicket('SUP-1', AT, { attachments: files }), {
      ...options,
      attachmentUrl: (f) => `https://bot.example/attachments/${f.id}?sig=y`,
    });
    const text = JSON.stringify(card.blocks);
    expect(text).toContain(
      `<https://bot.example/attachments/${'b'.repeat(32)}?sig=y|a¦b&lt;c&gt;.png> (3 kB)`,
    );
  });
});
