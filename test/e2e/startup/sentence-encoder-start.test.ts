import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { knowledgeWithOwnEntry } from '../../support/own-knowledge.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';
import { WebChats } from '../../support/web-chats.ts';

/**
 * `npm start` with SENTENCE_ENCODER=on (the default), the real process and the real encoder: the
 * default knowledge's vectors are shipped; a team's own phrasings are embedded once and kept in
 * DATA_DIR and in Redis, so a restart embeds none of them, also on a machine with an empty
 * DATA_DIR when Redis has them.
 */
const ownKnowledge = { KNOWLEDGE_DIR: knowledgeWithOwnEntry() };
const running: ChildProcess[] = [];
const url = redisTestUrl();
const prefix = uniqueRedisPrefix('encoder-start');

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

afterAll(async () => {
  await deleteRedisKeys(url, prefix);
});

async function start(
  env: Record<string, string>,
  question: string,
): Promise<{ embedded: number; answer: unknown }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      PORT: '0',
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
    text: question,
  });
  const answer = await reply.json();
  const readiness = (await (await fetch(`${chat}/readyz`)).json()) as { checks: Record<string, unknown> };
  expect(readiness.checks['sentence-encoder']).toStrictEqual({ status: 'ok' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return { embedded: Number(ready?.[1] ?? Number.NaN), answer };
}

describe('npm start with the sentence encoder (the default)', () => {
  it('embeds nothing for the default knowledge: its vectors are shipped', async () => {
    const started = await start(
      { DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-encoder-')) },
      'my vpn keeps disconnecting when I work from home',
    );
    expect(started.embedded).toBe(0);
    expect(started.answer).toMatchObject({ replies: [{ type: 'answer', entryId: 'vpn-connection-fails' }] });
  }, 120_000);

  it("embeds a team's own phrasings once: a restart, or a new DATA_DIR with the same Redis, embeds none", async () => {
    const redis = { REDIS_URL: url, REDIS_PREFIX: prefix };
    const question = 'the espresso machine in the kitchen wants descaling';
    const first = await start(
      { DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-encoder-')), ...ownKnowledge, ...redis },
      question,
    );
    expect(first.embedded).toBe(3);
    expect(first.answer).toMatchObject({
      replies: [{ type: 'answer', entryId: 'coffee-machine-descaling' }],
    });

    // Another machine: its DATA_DIR is empty, Redis has the vectors.
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-encoder-'));
    const second = await start({ DATA_DIR: dataDir, ...ownKnowledge, ...redis }, question);
    expect(second.embedded).toBe(0);
    expect(second.answer).toStrictEqual(first.answer);

    // And without Redis, that machine's own DATA_DIR has them now.
    expect(readdirSync(join(dataDir, 'sentence-vectors'))).toHaveLength(1);
    const third = await start({ DATA_DIR: dataDir, ...ownKnowledge }, question);
    expect(third.embedded).toBe(0);
    expect(third.answer).toStrictEqual(first.answer);
  }, 300_000);
});
