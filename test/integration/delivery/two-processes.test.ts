import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Action } from '../../../src/core/action.ts';
import type { Reply } from '../../../src/core/reply.ts';
import type { Turn } from '../../../src/core/turn.ts';
import { createRedisStores } from '../../../src/store/redis/redis-stores.ts';
import type { WorkerCommand, WorkerResponse } from '../../support/bot-worker.ts';
import { deleteRedisKeys, redisTestUrl, uniqueRedisPrefix } from '../../support/redis.ts';

const url = redisTestUrl();
const filePrefix = uniqueRedisPrefix('two-processes');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-two-'));
// Monday 5 January 2026, 10:00 Berlin: inside business hours.
const START = Date.UTC(2026, 0, 5, 9, 0);
const HANDOFFS = 200;

interface Card {
  key: string;
  ticketId: string;
  type: string;
  sla?: string;
  worker: string;
}

/** The agents' channel: records every card; answers one worker slowly when asked to. */
class AgentChannelStandIn {
  readonly cards: Card[] = [];
  slowWorker: string | undefined;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://stand-in');
      if (req.method === 'GET') {
        const key = target.searchParams.get('key');
        res.end(JSON.stringify({ count: this.cards.filter((c) => c.key === key).length }));
        return;
      }
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        const card = JSON.parse(body) as Card;
        this.cards.push(card);
        const delay = card.worker === this.slowWorker ? 2_000 : 0;
        setTimeout(() => res.end('{"ok":true}'), delay);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(filter: (card: Card) => boolean): number {
    return this.cards.filter(filter).length;
  }

  /** How many cards each (ticket, sla) of one type got, from the given workers. */
  perEffect(type: string, workers: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const card of this.cards.filter((c) => c.type === type && workers.includes(c.worker))) {
      const key = `${card.ticketId}/${card.sla ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** One bot process, driven over IPC. */
class BotProcess {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(
    readonly name: string,
    env: Record<string, string>,
  ) {
    this.child = fork(path.resolve('test/support/bot-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, WORKER_NAME: name },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal})`)));
      this.child.on('message', (message: WorkerResponse) => {
        if (message.id === 0) return resolve();
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.ok) waiter?.resolve(message.result);
        else waiter?.reject(new Error(`${name}: ${message.error}`));
      });
    });
    this.child.once('exit', () => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`${name} is gone`));
      this.waiting.clear();
    });
  }

  request<T>(request: WorkerCommand): Promise<T> {
    const id = this.next++;
    if (!this.child.connected) return Promise.reject(new Error(`${this.name} is gone`));
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id });
    });
  }

  say(conversation: string, turnId: string, content: { text?: string; action?: Action }): Promise<Reply[]> {
    const turn: Turn = {
      id: turnId,
      conversation: { channel: 'web', conversationId: conversation, address: {} },
      customer: { id: `customer-${conversation}`, name: 'Kim Kunde' },
      receivedAt: START,
      ...content,
    };
    return this.request<Reply[]>({ kind: 'turn', turn });
  }

  kill(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    return exited;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return this.kill();
  }
}

/** The outbox as Redis holds it: lanes due, lanes leased (by whom, until when), items left. */
async function outboxState(prefix: string, since: number): Promise<string> {
  const redis = new Redis(url);
  try {
    const now = Date.now();
    const ready = await redis.zrange(`${prefix}{outbox}:ready`, '0', '-1', 'WITHSCORES');
    const leased = await redis.zrange(`${prefix}{outbox}:leased`, '0', '-1', 'WITHSCORES');
    const holders = await redis.hgetall(`${prefix}{outbox}:holder`);
    const items = await redis.scard(`${prefix}{outbox}:ids`);
    const rel = (pairs: string[]) =>
      pairs.flatMap((v, i) => (i % 2 ? [] : [`${v}@${Number(pairs[i + 1]) - now}ms`])).slice(0, 10);
    return [
      `${now - since} ms after the kill: ${items} items left`,
      `ready (${ready.length / 2}): ${rel(ready).join(' ')}`,
      `leased (${leased.length / 2}): ${rel(leased).join(' ')}`,
      `lane holders: ${Object.values(holders).sort().join(' ')}`,
    ].join('\n');
  } finally {
    redis.disconnect();
  }
}

const form: Action = {
  type: 'submit-form',
  label: 'Senden',
  values: {
    summary: 'Drucker im 2. OG druckt nicht',
    system: 'Drucker',
    error: 'Papierstau',
    since: 'seit heute früh',
    impact: 'team',
    urgency: 'hinders',
    contact: 'kim@example.com',
  },
};

/** One customer hands off: asks for a person on one process, sends the form to the other. */
async function handOff(first: BotProcess, second: BotProcess, n: number): Promise<string> {
  const conversation = `web:kunde-${n}`;
  await first.say(conversation, `${conversation}:1`, { text: 'Ich möchte mit einem Menschen sprechen' });
  const replies = await second.say(conversation, `${conversation}:2`, { action: form });
  const ticket = replies.find((r) => r.type === 'ticket');
  if (ticket?.type !== 'ticket') throw new Error(`no ticket for ${conversation}: ${JSON.stringify(replies)}`);
  return ticket.ticket.id;
}

describe('two bot processes on one Redis', () => {
  const channel = new AgentChannelStandIn();
  let channelUrl: string;
  let processes: BotProcess[] = [];
  let run = 0;

  beforeAll(async () => {
    channelUrl = await channel.start();
  });

  afterEach(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    processes = [];
  });

  afterAll(async () => {
    await channel.stop();
    await deleteRedisKeys(url, filePrefix);
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function startPair(): Promise<[BotProcess, BotProcess, string]> {
    const prefix = `${filePrefix}${++run}:`;
    // Each pair starts from ticket SUP-1001 again: a card of an earlier pair with the same key
    // would make a retried delivery believe its card was posted already.
    channel.cards.length = 0;
    const env = (name: string) => ({
      REDIS_URL: url,
      REDIS_PREFIX: prefix,
      DATA_DIR: path.join(root, `${run}-${name}`),
      AGENT_CHANNEL_URL: channelUrl,
      START_TIME: String(START),
      // Turns wait briefly for the cards, then leave them to the pump (so work can be cut off).
      INLINE_WAIT_MS: '50',
    });
    const a = new BotProcess(`a${run}`, env('a'));
    const b = new BotProcess(`b${run}`, env('b'));
    processes = [a, b];
    await Promise.all([a.ready, b.ready]);
    return [a, b, prefix];
  }

  async function settled(live: BotProcess[]): Promise<void> {
    await vi.waitFor(
      async () => {
        for (const p of live) expect(await p.request<number>({ kind: 'pending' })).toBe(0);
      },
      { timeout: 20_000, interval: 100 },
    );
  }

  it('creates and announces every ticket once, and fires each SLA reminder once', {
    timeout: 120_000,
  }, async () => {
    const [a, b, prefix] = await startPair();
    const ids = await Promise.all(
      Array.from({ length: HANDOFFS }, (_, n) => (n % 2 ? handOff(a, b, n) : handOff(b, a, n))),
    );
    expect(new Set(ids).size).toBe(HANDOFFS);

    const workers = [a.name, b.name];
    const mine = (c: Card) => workers.includes(c.worker);
    await vi.waitFor(() => expect(channel.count((c) => mine(c) && c.type === 'created')).toBe(HANDOFFS), {
      timeout: 20_000,
    });
    await settled([a, b]);
    const created = channel.perEffect('created', workers);
    expect([...created.values()].every((count) => count === 1)).toBe(true);
    expect(new Set([...created.keys()].map((k) => k.split('/')[0]))).toEqual(new Set(ids));
    // Both processes did announcing work.
    expect(channel.count((c) => c.worker === a.name)).toBeGreaterThan(0);
    expect(channel.count((c) => c.worker === b.name)).toBeGreaterThan(0);

    const stores = await createRedisStores({ url, prefix });
    try {
      const tickets = await stores.tickets.list();
      expect(tickets).toHaveLength(HANDOFFS);
      expect(tickets.every((t) => t.events.filter((e) => e.type === 'created').length === 1)).toBe(true);
      expect(await stores.queues.list('general')).toHaveLength(HANDOFFS);
    } finally {
      await stores.close();
    }

    // A week later both processes check the SLA clocks at the same moment.
    const later = START + 7 * 24 * 3_600_000;
    await Promise.all([a.request({ kind: 'clock', now: later }), b.request({ kind: 'clock', now: later })]);
    const [sentByA, sentByB] = await Promise.all([
      a.request<number>({ kind: 'sla' }),
      b.request<number>({ kind: 'sla' }),
    ]);
    expect(sentByA + sentByB).toBe(2 * HANDOFFS);
    await vi.waitFor(
      () => expect(channel.count((c) => mine(c) && c.type === 'sla-breached')).toBe(2 * HANDOFFS),
      {
        timeout: 20_000,
      },
    );
    await settled([a, b]);
    const breaches = channel.perEffect('sla-breached', workers);
    expect(breaches.size).toBe(2 * HANDOFFS);
    expect([...breaches.values()].every((count) => count === 1)).toBe(true);
  });

  it('lets the surviving process finish the work of one killed with SIGKILL', {
    timeout: 180_000,
  }, async () => {
    const [a, b, prefix] = await startPair();
    // The agents' channel answers b slowly: b is always in the middle of posting a card.
    channel.slowWorker = b.name;
    const ids = await Promise.all(
      Array.from({ length: HANDOFFS }, (_, n) => (n % 2 ? handOff(a, b, n) : handOff(b, a, n))),
    );
    const mine = (c: Card) => c.worker === a.name || c.worker === b.name;
    const redis = new Redis(url);
    try {
      // Precondition: b holds outbox lanes it took and has not finished.
      const holders = await redis.hvals(`${prefix}{outbox}:holder`);
      expect(holders.filter((name) => name === b.name).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    await b.kill();

    // Generous: on a machine busy with other tests the survivor shares both cores.
    const killedAt = Date.now();
    try {
      await vi.waitFor(() => expect(channel.count((c) => mine(c) && c.type === 'created')).toBe(HANDOFFS), {
        timeout: 60_000,
      });
    } catch (error) {
      // Say where the work stands, so a failure on a busy machine can be told from a lost lane.
      throw new Error(`${String(error)}\n${await outboxState(prefix, killedAt)}`);
    }
    await settled([a]);
    const created = new Map<string, number>();
    for (const card of channel.cards.filter((c) => mine(c) && c.type === 'created')) {
      created.set(card.ticketId, (created.get(card.ticketId) ?? 0) + 1);
    }
    expect(new Set(created.keys())).toEqual(new Set(ids));
    expect([...created.values()].every((count) => count === 1)).toBe(true);
    channel.slowWorker = undefined;
  });
});
