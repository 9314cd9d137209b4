import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebChats } from '../../support/web-chats.ts';

/**
 * `npm start` as a user runs it: the real process, the default knowledge, the embedded store in a
 * fresh data directory. Checks the two promises of start-up: it comes up with nothing but defaults,
 * and broken input stops it with every problem listed.
 */
const running: ChildProcess[] = [];

function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  running.push(child);
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

async function waitFor(predicate: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('runs on the embedded default: web chat answers, console token is created, SIGTERM stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
    const { child, output } = startProcess({ DATA_DIR: dataDir, PORT: '0' });
    await waitFor(() => output().includes('Admin console:'));
    const url = /Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output())?.[1];
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(output()).toContain(token);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const reply = await new WebChats(url ?? '').post('start-test', {
      text: 'Wie setze ich mein Passwort zurück?',
    });
    const body = (await reply.json()) as { replies: { type: string; entryId?: string }[] };
    expect(body.replies[0]).toMatchObject({ type: 'answer', entryId: 'password-reset' });

    const tickets = await fetch(`${url}/api/tickets`, { headers: { authorization: `Bearer ${token}` } });
    expect(tickets.status).toBe(200);

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('keeps the built index in DATA_DIR: the next start restores it and answers the same', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-start-'));
    const answers: unknown[] = [];
    for (const start of ['first', 'next']) {
      const { child, output } = startProcess({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'debug' });
      await waitFor(() => output().includes('Admin console:'));
      expect(output().includes('index restored from cache'), start).toBe(start === 'next');
      const url = /Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output())?.[1];
      const reply = await new WebChats(url ?? '').post(`cache-${start}`, {
        text: 'my vpn keeps disconnecting',
      });
      answers.push(await reply.json());
      const exited = exitOf(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(readdirSync(join(dataDir, 'index-cache'))).toHaveLength(1);
    expect(answers[1]).toStrictEqual(answers[0]);
    expect(answers[0]).toMatchObject({ replies: [{ type: 'answer', entryId: 'vpn-connection-fails' }] });
  });

  it('refuses to start with broken knowledge and lists every problem by file and field', async () => {
    const { child, output } = startProcess({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-start-')),
      PORT: '0',
      KNOWLEDGE_DIR: 'test/fixtures/knowledge-broken',
      INTENTS_DIR: 'test/fixtures/intents-broken',
    });
    expect(await exitOf(child)).toBe(1);
    const text = output();
    expect(text).toMatch(/knowledge-broken\/\S+\.md/);
    expect(text).toMatch(/intents-broken\/\S+\.ya?ml/);
    // More than one problem, each on its own line with its file.
    expect(text.split('\n').filter((l) => /knowledge-broken\/\S+\.md: /.test(l)).length).toBeGreaterThan(1);
    expect(text).not.toContain('Support bot running');
  });

  it('refuses a bad environment and names every variable at once', async () => {
    const { child, output } = startProcess({ PORT: 'eighty', MATCH_THRESHOLD: '3', ADMIN_TOKEN: 'short' });
    expect(await exitOf(child)).toBe(1);
    const text = output();
    expect(text).toContain('env: PORT');
    expect(text).toContain('env: MATCH_THRESHOLD');
    expect(text).toContain('env: ADMIN_TOKEN');
  });

  it('refuses Teams agent channels that are not queue=Teams channel id, listing each', async () => {
    const { child, output } = startProcess({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-start-')),
      PORT: '0',
      TEAMS_AGENT_CHANNELS: 'general=C0SLACK,nope=19:abc@thread.tacv2,network=19:def@thread.tacv2',
    });
    expect(await exitOf(child)).toBe(1);
    const text = output();
    expect(text).toContain('TEAMS_AGENT_CHANNELS');
    expect(text).toContain('"general=C0SLACK" is not queue=19:…@thread.tacv2');
    expect(text).toContain('unknown queue "nope"');
    expect(text).not.toContain('Support bot running');
  });
});
