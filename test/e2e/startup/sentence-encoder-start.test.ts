import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { WebChats } from '../../support/web-chats.ts';

/**
 * `npm start` with SENTENCE_ENCODER=on, the real process and the real encoder: the phrasings'
 * vectors are kept in DATA_DIR and in Redis, so a restart embeds none of them, also on a machine
 * with an empty DATA_DIR when Redis has them.
 */
const running: ChildProcess[] = [];
const url = redisTestUrl();
const prefix = uniqueRedisPrefix('encoder-start');

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

afterAll(async () => {
  await deleteRedisKeys(url, prefix);
});

async function start(env: Record<string, string>): Promise<{ embedded: number; answer: unknown }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      PORT: '0',
      SENTENCE_ENCODER: 'on',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const until = Date.now() + 120_000;
  while (!output.includes('Admin console:')) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`no start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const ready = /"embedded":(\d+)[^\n]*"msg":"sentence encoder ready"/.exec(output);
  const chat = /Web chat:\s+(http:\/\/\S+?)\/\s/.exec(output)?.[1] ?? '';
  const reply = await new WebChats(chat).post(`encoder-${Date.now()}`, {
    text: 'my vpn keeps disconnecting when I work from home',
  });
  const answer = await reply.json();
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return { embedded: Number(ready?.[1] ?? Number.NaN), answer };
}

describe('npm start with SENTENCE_ENCODER=on', () => {
  it('embeds the phrasings once: a restart, or a new DATA_DIR with the same Redis, embeds none', async () => {
    const redis = { REDIS_URL: url, REDIS_PREFIX: prefix };
    const first = await start({ DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-encoder-')), ...redis });
    expect(first.embedded).toBeGreaterThan(500);
    expect(first.answer).toMatchObject({ replies: [{ type: 'answer', entryId: 'vpn-connection-fails' }] });

    // Another machine: its DATA_DIR is empty, Redis has the vectors.
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-encoder-'));
    const second = await start({ DATA_DIR: dataDir, ...redis });
    expect(second.embedded).toBe(0);
    expect(second.answer).toStrictEqual(first.answer);

    // And without Redis, that machine's own DATA_DIR has them now.
    expect(readdirSync(join(dataDir, 'sentence-vectors'))).toHaveLength(1);
    const third = await start({ DATA_DIR: dataDir });
    expect(third.embedded).toBe(0);
    expect(third.answer).toStrictEqual(first.answer);
  }, 300_000);
});
