import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFailoverStores } from '../../../src/store/failover/failover-stores.ts';
import { freePort, startRedisServer, stopRedisServer } from '../../support/redis-server.ts';
import { sampleConversation } from '../../support/store-samples.ts';

// A Redis of its own: this test stops and restarts it.
let port: number;
let server: ChildProcess;
let url: string;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-outage-conv-'));
const warnings: string[] = [];

beforeAll(async () => {
  port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = await startRedisServer(port);
});

afterAll(async () => {
  await stopRedisServer(server);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('two processes while one still writes what it spooled', () => {
  it('write a conversation the spool holds nothing of to Redis at once, so the other process sees it', async () => {
    const options = (name: string, drainIntervalMs: number) => ({
      url,
      prefix: 'outage-conv:',
      dataDir: path.join(root, name),
      drainIntervalMs,
      warn: (m: string) => warnings.push(`${name}: ${m}`),
    });
    // `a` writes its spool back slowly (a long spool under load), `b` has none.
    const a = await createFailoverStores(options('a', 60_000));
    const b = await createFailoverStores(options('b', 50));
    try {
      await stopRedisServer(server, 'SIGKILL');
      await vi.waitFor(() => expect(a.health().status).toBe('degraded'));
      await a.counters.increment('turns', '2026-12-07', 1);
      server = await startRedisServer(port);
      await vi.waitFor(() => expect(b.health().status).toBe('ok'), { timeout: 10_000 });

      // A customer's conversation alternates between the processes (a load balancer).
      const first = sampleConversation('web:alternating', Date.now());
      expect(await b.conversations.put(first)).toBe('written');
      const readByA = await vi.waitFor(async () => {
        const found = await a.conversations.get('web:alternating');
        expect(found?.revision).toBe(first.revision);
        return found;
      });
      if (!readByA) throw new Error('unreachable');
      expect(a.health().detail).toMatch(/spooled/);
      readByA.transcript.push({ from: 'customer', text: 'zweite Nachricht', at: Date.now() });
      expect(await a.conversations.put(readByA)).toBe('written');

      // The next message reaches b: it reads a's turn, and a stale write is a conflict it can re-run.
      const readByB = await b.conversations.get('web:alternating');
      expect(readByB?.transcript.map((l) => l.text)).toContain('zweite Nachricht');
      expect(await b.conversations.put(structuredClone(first))).toBe('conflict');
    } finally {
      await a.close();
      await b.close();
    }
    expect(warnings.filter((w) => /changed elsewhere/.test(w))).toEqual([]);
  });
});
