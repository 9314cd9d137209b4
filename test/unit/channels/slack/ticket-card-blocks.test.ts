import { describe, expect, it } from 'vitest';
import { renderTicketCard } from '../../../../src/channels/slack/blocks/ticket-card-blocks.ts';
import { sampleTicket } from '../../../support/store-samples.ts';

const AT = Date.UTC(2026, 0, 5, 9, 0);
const options = { queueName: (id: string) => id, fieldLabel: (name: string) => name, now: AT };

function candidatesLine(blocks: unknown[]): string | undefined {
  return JSON.stringify(blocks)
    .split('"text":')
    .find((part) => part.includes('Bot candidates'));
}

describe('the Slack ticket card', () => {
  it('lists the FAQ entries the bot considered by title and score', () => {
    const ticket = sampleTicket('SUP-1', AT, {
      candidates: [
        { kind: 'faq', id: 'vpn-connection-fails', score: 0.43, title: 'VPN connection fails' },
        { kind: 'faq', id: 'vpn-setup', score: 0.08, title: 'Set up the VPN' },
      ],
    });
    const line = candidatesLine(renderTicketCard(ticket, options).blocks);
    expect(line).toContain('VPN connection fails (0.43) · Set up the VPN (0.08)');
  });

  it('never shows an intent, even on a ticket an older version stored with one', () => {
    const ticket = sampleTicket('SUP-2', AT, {
      candidates: [
        { kind: 'intent', id: 'human', score: 1, title: 'human' },
        { kind: 'faq', id: 'escalation-process', score: 0.01, title: 'How escalation works' },
      ],
    });
    const line = candidatesLine(renderTicketCard(ticket, options).blocks);
    expect(line).toContain('How escalation works (0.01)');
    expect(line).not.toContain('human');

    const onlyIntent = sampleTicket('SUP-3', AT, {
      candidates: [{ kind: 'intent', id: 'human', score: 1, title: 'human' }],
    });
    expect(candidatesLine(renderTicketCard(onlyIntent, options).blocks)).toBeUndefined();
  });
});
