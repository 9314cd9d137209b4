import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  markdownToMrkdwn,
  quoteUserText,
  truncate,
} from '../../../../src/channels/slack/slack-text.ts';

describe('escapeMrkdwn', () => {
  it('turns Slack markup typed by a customer into harmless text', () => {
    expect(escapeMrkdwn('<!channel> <!here> <@U123> <https://evil.example|bank> a&b')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|bank&gt; a&amp;b',
    );
  });

  it('quotes every line and escapes it', () => {
    expect(quoteUserText('hi <!everyone>\nsecond')).toBe('>hi &lt;!everyone&gt;\n>second');
  });
});

describe('markdownToMrkdwn', () => {
  it('converts bold, italic, links, headings and lists', () => {
    const md =
      '# VPN\nUse **Cisco** and *restart*.\n- one\n- two\nSee [the guide](https://help.example/vpn).';
    expect(markdownToMrkdwn(md)).toBe(
      '*VPN*\nUse *Cisco* and _restart_.\n• one\n• two\nSee <https://help.example/vpn|the guide>.',
    );
  });

  it('leaves code alone and escapes markup in the answer', () => {
    expect(markdownToMrkdwn('Run `ping **host**` then <!channel>')).toBe(
      'Run `ping **host**` then &lt;!channel&gt;',
    );
  });

  it('does not turn non-web links into Slack links', () => {
    expect(markdownToMrkdwn('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});

describe('truncate', () => {
  it('keeps short text and marks cuts', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a long sentence here', 8)).toBe('a long…');
  });
});
