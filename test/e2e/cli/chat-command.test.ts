import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';

/** Runs `support-bot chat` as a user would, lines piped in; resolves with what it printed. */
function chat(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/support-bot.js', 'chat', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ADMIN_TOKEN: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('support-bot chat', () => {
  it('prints one JSON reply per line and takes a typed number as the offered action', async () => {
    const { code, stdout, stderr } = await chat(['--json'], 'Ich habe mein Passwort vergessen\n1\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const replies = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Reply);
    const [first, ...rest] = replies;
    expect(first).toMatchObject({ type: 'answer', entryId: 'password-reset', language: 'de' });
    // "1" picks the first action of the last replies: the first related entry.
    const picked = first?.actions[0];
    expect(picked?.type).toBe('show-entry');
    expect(rest[0]).toMatchObject({ type: 'answer', entryId: (picked as { entryId: string }).entryId });
  });

  it('answers English in English and numbers actions in text mode', async () => {
    const { code, stdout } = await chat([], 'How do I set up the VPN?\n');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^== .*VPN.* ==$/m);
    expect(stdout).toMatch(/^ {2}\[1\] /m);
    expect(stdout).not.toContain('**');
  });

  it('rejects unknown options with the usage text', async () => {
    const { code, stderr } = await chat(['--colour'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('support-bot chat [options]');
  });
});
