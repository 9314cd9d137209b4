import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/config.ts';
import { ValidationFailedError } from '../../../src/core/errors.ts';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return error.problems.map((p) => `${p.field}: ${p.message}`);
  }
}

describe('mail and attachment settings', () => {
  it('lists every problem: a mail server without a sender, a non-SMTP URL, unknown file types, a tiny limit', () => {
    expect(problems({ SMTP_URL: 'smtp://mail.example:587' })).toEqual([
      'SMTP_FROM: set the sender too when SMTP_URL is set',
    ]);
    const listed = problems({
      SMTP_URL: 'https://mail.example',
      ATTACHMENT_TYPES: 'image/png,application/x-msdownload',
      ATTACHMENT_MAX_BYTES: '10',
    });
    expect(listed).toHaveLength(3);
    expect(listed.join('\n')).toMatch(/SMTP_URL: use smtp:\/\/… or smtps:\/\/…/);
    expect(listed.join('\n')).toMatch(/ATTACHMENT_TYPES: use types the bot can recognise/);
    expect(listed.join('\n')).toMatch(/ATTACHMENT_MAX_BYTES/);
  });

  it('accepts a mail server with its sender, and reads the defaults', () => {
    const config = parseConfig({
      SMTP_URL: 'smtps://u:p@mail.example:465',
      SMTP_FROM: 'Support <s@example.com>',
    });
    expect(config.ATTACHMENT_MAX_BYTES).toBe(10_000_000);
    expect(config.ATTACHMENT_TYPES.split(',')).toContain('application/pdf');
  });
});
