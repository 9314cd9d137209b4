import { describe, expect, it } from 'vitest';
import { plainText, renderTerminalReplies } from '../../../../src/channels/cli/render-terminal-reply.ts';
import type { Reply } from '../../../../src/core/reply.ts';

describe('renderTerminalReplies', () => {
  it('numbers the actions of all replies in order, so a typed number picks one', () => {
    const replies: Reply[] = [
      {
        type: 'answer',
        entryId: 'vpn-setup',
        title: 'VPN einrichten',
        text: 'Öffnen Sie **den Client**.',
        related: [],
        actions: [{ type: 'show-entry', entryId: 'vpn-fails', label: 'VPN bricht ab' }],
        language: 'de',
      },
      {
        type: 'notice',
        text: 'Noch Fragen?',
        actions: [{ type: 'talk-to-person', label: 'Mit einer Person sprechen' }],
        language: 'de',
      },
    ];
    const { text, actions } = renderTerminalReplies(replies);
    expect(text).toBe(
      '== VPN einrichten ==\nÖffnen Sie den Client.\n  [1] VPN bricht ab\n\nNoch Fragen?\n  [2] Mit einer Person sprechen\n',
    );
    expect(actions.map((a) => a.type)).toEqual(['show-entry', 'talk-to-person']);
  });

  it('shows ticket details and who relayed a message', () => {
    const { text } = renderTerminalReplies([
      {
        type: 'ticket',
        text: 'Ticket angelegt.',
        ticket: { id: 'SUP-1001', queue: 'network', priority: 'P2', status: 'queued' },
        position: 2,
        expectedWaitMinutes: 15,
        actions: [],
        language: 'de',
      },
      { type: 'relay', from: 'Erika', text: 'Ich bin dran.', actions: [], language: 'de' },
    ]);
    expect(text).toContain('Ticket SUP-1001 · network · P2 · #2 · ~15 min');
    expect(text).toContain('[Erika] Ich bin dran.');
  });

  it('strips Markdown markers but keeps link targets', () => {
    expect(plainText('*Hinweis*: `vpn` im [Portal](https://p.example.com)\n- eins')).toBe(
      'Hinweis: vpn im Portal <https://p.example.com>\n  • eins',
    );
  });
});
