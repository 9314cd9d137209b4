import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  markdownToMrkdwn,
  quoteUserText,
  truncate,
} from '../../../../src/channels/slack/slack-text.ts';
import { markdownLiteral } from '../../../../src/core/markdown-literal.ts';

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

  it('escapes Slack markup inside code spans and blocks too, keeping the backticks', () => {
    expect(markdownToMrkdwn('Summary: `<!channel>` and `<https://evil.example|Bank>`')).toBe(
      'Summary: `&lt;!channel&gt;` and `&lt;https://evil.example|Bank&gt;`',
    );
    expect(markdownToMrkdwn('```\n<!here> a&b\n```')).toBe('```\n&lt;!here&gt; a&amp;b\n```');
  });

  it('shows a quoted customer text as typed: no link, no code, no emphasis of its own', () => {
    const typed = 'Click [Passwort](https://evil.example) `x` **now** <!channel>';
    const out = markdownToMrkdwn(`Summary: "${markdownLiteral(typed)}"`);
    expect(out).toBe('Summary: "Click [Passwort](https://evil.example) `x` **now** &lt;!channel&gt;"');
  });

  it('lets no text reach Slack with markup other than the links it makes itself (property)', () => {
    const slackish = fc.constantFrom(
      '<',
      '>',
      '&',
      '`',
      '```',
      '<!channel>',
      '<@U1>',
      '|',
      '\\',
      '*',
      '_',
      '\n',
    );
    const text = fc.array(fc.oneof(fc.string(), slackish), { maxLength: 30 }).map((parts) => parts.join(''));
    let runs = 0;
    fc.assert(
      fc.property(text, fc.boolean(), (input, quoted) => {
        runs += 1;
        const out = markdownToMrkdwn(quoted ? markdownLiteral(input) : input);
        // Every `<` left is one of our own web links; `&` only starts an entity.
        const withoutLinks = out.replace(/<https?:\/\/[^\s|<>]+\|[^<>]*>/g, '');
        expect(withoutLinks).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        if (quoted) expect(out).not.toContain('<http');
      }),
      { numRuns: 2_000 },
    );
    expect(runs).toBe(2_000);
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
