import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnBot } from '../test/support/bot-process.ts';
import { freePort } from '../test/support/redis-server.ts';

/**
 * A flood of new web conversations against `npm start` (the embedded store), while existing
 * customers go on chatting: does the flood slow them? Three phases, each measuring the existing
 * customers' turns (POST a question, the answer in the response):
 * - calm: no flood;
 * - one address: FLOOD new conversations from one client address (the limit refuses all but a few);
 * - many addresses: FLOOD new conversations each from an address of its own (TRUST_PROXY, one
 *   `X-Forwarded-For` each), so every one is issued and written: the worst case for the store.
 *
 * `npm run bench -- flood` (FLOOD_CONVERSATIONS=20000, FLOOD_CONCURRENCY=32 by default).
 */
const FLOOD = Number(process.env.FLOOD_CONVERSATIONS ?? 20_000);
const CONCURRENCY = Number(process.env.FLOOD_CONCURRENCY ?? 32);
const CUSTOMERS = 4;
const QUESTION = 'Wie richte ich das VPN ein?';

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY + CUSTOMERS + 4 });

interface Answer {
  status: number;
  body: string;
}

function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function startBot(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-flood-'));
  const port = await freePort();
  const { child } = await spawnBot({
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      TRUST_PROXY: 'true',
      // The customers measured here ask far more often than a person would.
      WEB_MESSAGES_PER_MINUTE: '100000',
    },
  });
  return { url: `http://127.0.0.1:${port}`, child, dataDir };
}

async function open(url: string, forwardedFor: string): Promise<Answer> {
  return post(
    `${url}/api/conversations`,
    { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    '{}',
  );
}

/** Existing customers asking in turn until `until` says stop; the milliseconds of each turn. */
async function customersChat(url: string, until: () => boolean): Promise<number[]> {
  const chats: { id: string; token: string }[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    chats.push(JSON.parse((await open(url, `192.0.2.${i + 1}`)).body) as { id: string; token: string });
  }
  const samples: number[] = [];
  await Promise.all(
    chats.map(async (chat) => {
      while (!until()) {
        const started = performance.now();
        const answer = await post(
          `${url}/api/conversations/${chat.id}/messages`,
          { 'Content-Type': 'application/json', Authorization: `Bearer ${chat.token}` },
          JSON.stringify({ text: QUESTION }),
        );
        if (answer.status !== 200 || !answer.body.includes('"answer"')) {
          throw new Error(`customer turn failed: ${answer.status} ${answer.body.slice(0, 200)}`);
        }
        samples.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  return samples;
}

interface FloodResult {
  issued: number;
  refused: number;
  seconds: number;
}

async function flood(url: string, addressOf: (n: number) => string, count = FLOOD): Promise<FloodResult> {
  let next = 0;
  let issued = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const n = next++;
        const answer = await open(url, addressOf(n));
        if (answer.status === 201) issued++;
        else if (answer.status === 429) refused++;
        else throw new Error(`flood request answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      }
    }),
  );
  return { issued, refused, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function row(name: string, samples: number[], result?: FloodResult): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => ms.toFixed(1);
  const floodText = result
    ? `${result.issued.toLocaleString('en')} issued, ${result.refused.toLocaleString('en')} refused (429) in ${result.seconds.toFixed(1)} s (${Math.round((result.issued + result.refused) / result.seconds)}/s)`
    : 'none';
  return `| ${name} | ${floodText} | ${sorted.length} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 95))} | ${f(percentile(sorted, 99))} | ${f(sorted.at(-1) ?? 0)} |`;
}

/** One phase: customers chat while `work` runs (or for `calmMs` when there is no work). */
async function phase(url: string, work: (() => Promise<FloodResult>) | undefined, calmMs = 5_000) {
  let done = false;
  const chatting = customersChat(url, () => done);
  let result: FloodResult | undefined;
  if (work) result = await work();
  else await new Promise((resolve) => setTimeout(resolve, calmMs));
  done = true;
  return { samples: await chatting, result };
}

export async function benchFlood(): Promise<string> {
  const bot = await startBot();
  try {
    // Warm-up (not measured): the server's and this client's code paths compiled, sockets open.
    await phase(bot.url, () => flood(bot.url, (n) => `203.0.113.${n % 250}`, 2_000));
    const calm = await phase(bot.url, undefined);
    const single = await phase(bot.url, () => flood(bot.url, () => '198.51.100.1'));
    const many = await phase(bot.url, () =>
      flood(bot.url, (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`),
    );
    return [
      '## Flood of new web conversations',
      '',
      `\`npm run bench -- flood\`: ${FLOOD.toLocaleString('en')} new conversations per flood, ${CONCURRENCY} at a time, against \`npm start\` (embedded store, default limits, TRUST_PROXY on so each flood request can name its address), while ${CUSTOMERS} existing customers keep asking a question (turn = POST to the answer in the response, ms).`,
      '',
      '| phase | flood | turns | p50 | p95 | p99 | max |',
      '|---|---|---|---|---|---|---|',
      row('calm', calm.samples),
      row('flood from one address', single.samples, single.result),
      row('flood from 20,000 addresses', many.samples, many.result),
    ].join('\n');
  } finally {
    bot.child.kill('SIGTERM');
    await new Promise((resolve) => bot.child.once('exit', resolve));
    rmSync(bot.dataDir, { recursive: true, force: true });
    agent.destroy();
  }
}
